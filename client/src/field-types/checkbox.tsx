import { Checkbox } from '../fields/controls.js';
import { always } from './shared.js';
import type { ClientFieldType } from './types.js';

export const checkbox: ClientFieldType = {
  id: 'checkbox',
  nameKey: 'designer.type.checkbox',
  valueKind: 'boolean',
  readOnly: false,
  defaultable: true,
  control: Checkbox,
  format: (value) => (value === true ? '✓' : ''),
  sample: always(false),
};
