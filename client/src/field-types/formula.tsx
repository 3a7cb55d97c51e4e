import { ReadOnly } from '../fields/controls.js';
import { FormulaEditor } from '../formula-editor/FormulaEditor.js';
import { asText } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

/** The expression, with completion of fields and functions and the server's live verdict (formula-editor/). */
function FormulaOptions({ options, onChange, ws, sheet, field }: OptionsEditorProps) {
  return (
    <FormulaEditor
      ws={ws}
      sheetId={sheet.id}
      fieldNames={sheet.fields.filter((f) => f.id !== field?.id).map((f) => f.name)}
      fieldId={field?.id}
      value={String(options.expression ?? '')}
      onChange={(expression) => onChange({ ...options, expression })}
    />
  );
}

/** A formula reads and formats as its result type (fields/format.ts). */
export const formula: ClientFieldType = {
  id: 'formula',
  nameKey: 'designer.type.formula',
  valueKind: 'text',
  readOnly: true,
  control: ReadOnly,
  format: asText,
  optionsEditor: FormulaOptions,
  toInput: (o) => ({ expression: o.expression }),
  sample: () => null,
};
