import { ReadOnly } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { asText } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

function FormulaOptions({ options, onChange }: OptionsEditorProps) {
  const { t } = useI18n();
  return (
    <label>
      {t('schema.expression')}
      <textarea className="input mono" rows={3} value={String(options.expression ?? '')} onChange={(e) => onChange({ expression: e.target.value })} placeholder="{Quantity} * {Unit price}" required />
    </label>
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
