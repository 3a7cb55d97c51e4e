import { ReadOnly } from '../fields/controls.js';
import { formatInstant } from './datetime.js';
import type { ClientFieldType } from './types.js';

export const createdTime: ClientFieldType = {
  id: 'created_time',
  nameKey: 'designer.type.created_time',
  valueKind: 'datetime',
  readOnly: true,
  control: ReadOnly,
  format: formatInstant,
  sample: () => null,
};
