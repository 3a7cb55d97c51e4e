import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { Field } from '../api/types.js';
import { unsavedFacts } from '../field-types/index.js';

/** A field as the API answers it, for unit tests of the form's logic. */
export const testField = (id: string, name: string, type: FieldTypeId, options: Record<string, unknown> = {}): Field => ({
  id,
  name,
  type,
  options,
  required: false,
  unique: false,
  description: '',
  defaultValue: null,
  ...unsavedFacts(type),
});
