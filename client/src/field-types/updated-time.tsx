import { ReadOnly } from '../fields/controls.js';
import { formatInstant } from './datetime.js';
import type { ClientFieldType } from './types.js';

export const updatedTime: ClientFieldType = {
  id: 'updated_time',
  nameKey: 'designer.type.updated_time',
  valueKind: 'datetime',
  readOnly: true,
  control: ReadOnly,
  format: formatInstant,
  sample: () => null,
};
