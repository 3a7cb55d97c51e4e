import { fieldErrors } from '../errors.js';
import type { FieldType } from '../field-types/field-type.js';

const NOT_TITLES = new Set(['attachments', 'boolean']);

/** The primary field titles a record in links and lists, so it must show as text. */
export function assertCanBePrimary(field: { name: string; type: string; impl: FieldType<unknown> }): void {
  if (field.type === 'link' || field.type === 'lookup' || NOT_TITLES.has(field.impl.valueKind)) throw fieldErrors({ [field.name]: `a ${field.type} field cannot be the primary field` });
}
