import { LongText } from '../fields/controls.js';
import { asText } from './shared.js';
import type { ClientFieldType } from './types.js';

export const longText: ClientFieldType = {
  id: 'long_text',
  nameKey: 'designer.type.long_text',
  valueKind: 'text',
  readOnly: false,
  defaultable: true,
  control: LongText,
  format: asText,
  sample: (field) => `${field.name}…`,
};
