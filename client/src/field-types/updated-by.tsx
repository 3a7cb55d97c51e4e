import { ReadOnly } from '../fields/controls.js';
import { formatUser } from './user.js';
import type { ClientFieldType } from './types.js';

export const updatedBy: ClientFieldType = {
  id: 'updated_by',
  nameKey: 'designer.type.updated_by',
  valueKind: 'user',
  readOnly: true,
  control: ReadOnly,
  format: formatUser,
  sample: () => null,
};
