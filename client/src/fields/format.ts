import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { Field } from '../api/types.js';
import { clientType } from '../field-types/index.js';

/**
 * The type a value reads as: a formula or rollup shows as its result type, a lookup as what it looks up; a link shows
 * as its records (their titles), not as its title field.
 */
export function shownType(field: Field): { type: FieldTypeId; options: Record<string, unknown>; list: boolean } {
  if (field.result && field.valueKind !== 'link') return { type: field.result.type, options: field.result.options ?? {}, list: field.result.list === true };
  return { type: field.type, options: field.options, list: false };
}

/** One value as display text in a locale (dates in UTC, as stored), as its type module formats it. */
export function formatScalar(type: string, options: Record<string, unknown>, value: unknown, locale: string): string {
  if (value === undefined || value === null) return '';
  return clientType(type).format(value, options, locale);
}

/** A record value as display text (lists joined with ", "). */
export function formatValue(field: Field, value: unknown, locale: string): string {
  if (value === undefined || value === null) return '';
  const shown = shownType(field);
  if (shown.list && Array.isArray(value)) return value.map((v) => formatScalar(shown.type, shown.options, v, locale)).join(', ');
  return formatScalar(shown.type, shown.options, value, locale);
}

/** Computed or system (the API's `readOnly`), or read-only for the caller's role (`locked`, see api/access.ts). */
export const isReadOnly = (field: Field) => field.readOnly || field.locked === true;
