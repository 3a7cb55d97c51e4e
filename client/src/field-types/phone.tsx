import { PhoneInput } from '../fields/controls.js';
import { always, asText } from './shared.js';
import type { ClientFieldType } from './types.js';

export const phone: ClientFieldType = {
  id: 'phone',
  nameKey: 'designer.type.phone',
  valueKind: 'text',
  readOnly: false,
  defaultable: true,
  control: PhoneInput,
  format: asText,
  sample: always('+886 2 1234 5678'),
};
