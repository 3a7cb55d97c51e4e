import { TextInput } from '../fields/controls.js';
import { asText } from './shared.js';
import type { ClientFieldType } from './types.js';

export const text: ClientFieldType = {
  id: 'text',
  nameKey: 'designer.type.text',
  valueKind: 'text',
  readOnly: false,
  defaultable: true,
  control: TextInput,
  format: asText,
  sample: (field) => field.name,
};
