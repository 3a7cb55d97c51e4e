import { EmailInput } from '../fields/controls.js';
import { always, asText } from './shared.js';
import type { ClientFieldType } from './types.js';

export const email: ClientFieldType = {
  id: 'email',
  nameKey: 'designer.type.email',
  valueKind: 'text',
  readOnly: false,
  defaultable: true,
  control: EmailInput,
  format: asText,
  sample: always('name@example.com'),
};
