import type { Choice } from '../api/types.js';
import { MultiSelect } from '../fields/controls.js';
import { ChoicesEditor } from './choices-editor.js';
import { ChoicesCell } from './shared.js';
import type { ClientFieldType } from './types.js';

export const multiSelect: ClientFieldType = {
  id: 'multi_select',
  nameKey: 'designer.type.multi_select',
  valueKind: 'choices',
  readOnly: false,
  defaultable: true,
  control: MultiSelect,
  format: (value) => (Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value)),
  cell: ChoicesCell,
  listCell: true,
  optionsEditor: ChoicesEditor,
  initialOptions: () => ({ choices: [] }),
  sample: (field) => ((field.options.choices as Choice[] | undefined) ?? []).slice(0, 1).map((c) => c.name),
};
