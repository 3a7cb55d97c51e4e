import type { User } from '../api/types.js';
import { UserPicker } from '../fields/controls.js';
import type { ClientFieldType } from './types.js';

export const formatUser = (value: unknown): string => (value && typeof value === 'object' ? (value as User).name : '');

export const user: ClientFieldType = {
  id: 'user',
  nameKey: 'designer.type.user',
  valueKind: 'user',
  readOnly: false,
  control: UserPicker,
  format: formatUser,
  toValueInput: (value) => (value && typeof value === 'object' ? (value as User).id : value),
  sample: () => null,
};
