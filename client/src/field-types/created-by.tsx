import { ReadOnly } from '../fields/controls.js';
import { formatUser } from './user.js';
import type { ClientFieldType } from './types.js';

export const createdBy: ClientFieldType = {
  id: 'created_by',
  nameKey: 'designer.type.created_by',
  valueKind: 'user',
  readOnly: true,
  control: ReadOnly,
  format: formatUser,
  sample: () => null,
};
