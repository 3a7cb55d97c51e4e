import { sql } from 'kysely';
import type { FieldDef } from '../catalog/model.js';
import type { KnownValues } from '../field-types/field-type.js';
import { fieldTypes } from '../field-types/registry.js';
import type { FormulaOperand, FormulaType } from '../formulas/compile.js';
import type { ResultType } from './resolved.js';
import { resultOf } from './result-of.js';
import { elementsOf, leafOf, rawValue, storedColumn } from './sql.js';

/** A stored or result type as a formula sees it (its type module says); undefined for values a formula reads as text. */
export function formulaTypeOf(result: ResultType): FormulaType | undefined {
  return fieldTypes[result.type].formulaType(result.options ?? {});
}

/** A formula result as the stored type it reads and formats like. */
export function resultTypeOf(type: FormulaType): ResultType {
  switch (type.kind) {
    case 'number':
      return { type: 'number', options: { precision: type.precision } };
    case 'currency':
      return { type: 'currency', options: { currency: type.currency, precision: type.precision ?? 2 } };
    case 'percent':
      return { type: 'percent', options: { precision: type.precision } };
    case 'boolean':
      return { type: 'checkbox', options: {} };
    default:
      return { type: type.kind, options: {} };
  }
}

const TEXT: FormulaType = { kind: 'text' };

/**
 * A field as a formula operand for row `alias`. Selects, users, files and autonumbers read as their text; a link or
 * lookup reads as one value: the sum of numbers, the earliest date, whether any box is checked, else its texts
 * joined with ", " (so a lookup through a many_to_one link is simply the linked record's value). A value `known`
 * for the row (a rollup a listing has computed already) is read, not computed again.
 */
export function fieldOperand(field: FieldDef, alias: string, known?: KnownValues): FormulaOperand {
  const list = field.impl.computed?.list;
  if (list) return listOperand(field, alias);
  const result = resultOf(field);
  const type = formulaTypeOf(result);
  const value = known?.get(field.id) ?? rawValue(field, alias, known);
  if (!type) return { sql: field.impl.toTextSql(value, field.options), type: TEXT };
  // Unchecked is empty, as a checkbox reads (a converted column may hold false).
  if (type.kind === 'boolean') return { sql: sql`(CASE WHEN ${value} THEN TRUE END)`, type };
  if (field.type === 'rating') return { sql: sql`(${storedColumn(field, alias)})::numeric`, type };
  return { sql: value, type };
}

function listOperand(field: FieldDef, alias: string): FormulaOperand {
  const leaf = leafOf(field);
  const type = formulaTypeOf(resultOf(leaf));
  const e = `${alias}l`;
  const v = sql.ref(`${e}.v`);
  const over = (aggregate: ReturnType<typeof sql>) => sql`(SELECT ${aggregate} FROM (${elementsOf(field, alias)}) AS ${sql.id(e)})`;
  switch (type?.kind) {
    case 'number':
    case 'currency':
    case 'percent':
      return { sql: over(sql`sum(${v})`), type };
    case 'date':
    case 'datetime':
      return { sql: over(sql`min(${v})`), type };
    case 'boolean':
      return { sql: over(sql`COALESCE(bool_or(${v}), false)`), type };
    default:
      return { sql: over(sql`string_agg(${leaf.impl.toTextSql(v, leaf.options)}, ', ' ORDER BY ${sql.ref(`${e}.o`)})`), type: TEXT };
  }
}
