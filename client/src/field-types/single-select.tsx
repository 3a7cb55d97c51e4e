import type { Choice } from '../api/types.js';
import { SingleSelect } from '../fields/controls.js';
import { ChoicesEditor } from './choices-editor.js';
import { asText, ChoicesCell } from './shared.js';
import type { ClientFieldType } from './types.js';

export const singleSelect: ClientFieldType = {
  id: 'single_select',
  nameKey: 'designer.type.single_select',
  valueKind: 'choice',
  readOnly: false,
  defaultable: true,
  control: SingleSelect,
  format: asText,
  cell: ChoicesCell,
  listCell: true,
  optionsEditor: ChoicesEditor,
  initialOptions: () => ({ choices: [] }),
  sample: (field) => ((field.options.choices as Choice[] | undefined) ?? [])[0]?.name ?? null,
};
