import type { FieldDef } from '../catalog/model.js';
import { fieldTypes } from '../field-types/registry.js';
import type { ResultType } from './resolved.js';

/** What a field's values are, as a stored type: a computed field's result, a rating as a whole number. */
export function resultOf(field: FieldDef): ResultType {
  const computed = field.impl.computed?.result as ResultType | undefined;
  if (computed) return computed;
  if (field.type === 'rating') return { type: 'number', options: { precision: 0 } };
  return { type: field.type, options: field.options };
}

/** What a result is to arithmetic and comparison: its type module's formula type (numbers, dates, or neither). */
const kindOf = (result: ResultType) => fieldTypes[result.type].formulaType(result.options ?? {})?.kind;
export const isNumericResult = (result: ResultType) => ['number', 'currency', 'percent'].includes(kindOf(result) ?? '');
export const isTemporalResult = (result: ResultType) => ['date', 'datetime'].includes(kindOf(result) ?? '');
export const isDatetimeResult = (result: ResultType) => kindOf(result) === 'datetime';
