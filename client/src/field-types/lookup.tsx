import { ReadOnly } from '../fields/controls.js';
import { asText, ThroughLink } from './shared.js';
import type { ClientFieldType } from './types.js';

/** A lookup reads and formats as the field it looks up (its `result`, see fields/format.ts). */
export const lookup: ClientFieldType = {
  id: 'lookup',
  nameKey: 'designer.type.lookup',
  valueKind: 'text',
  readOnly: true,
  control: ReadOnly,
  format: asText,
  optionsEditor: ThroughLink,
  sample: () => null,
};
