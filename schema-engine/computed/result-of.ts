import type { FieldDef } from '../catalog/model.js';
import type { ResultType } from './resolved.js';

/** What a field's values are, as a stored type: a computed field's result, a rating as a whole number. */
export function resultOf(field: FieldDef): ResultType {
  const computed = field.impl.computed?.result as ResultType | undefined;
  if (computed) return computed;
  if (field.type === 'rating') return { type: 'number', options: { precision: 0 } };
  return { type: field.type, options: field.options };
}

export const NUMERIC_RESULTS = new Set(['number', 'currency', 'percent']);
export const TEMPORAL_RESULTS = new Set(['date', 'datetime', 'created_time', 'updated_time']);
