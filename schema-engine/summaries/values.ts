import { sql } from 'kysely';
import type { FieldDef } from '../catalog/model.js';
import type { Sql } from '../field-types/field-type.js';
import type { Language } from '../messages.js';
import { fieldColumn } from '../records/columns.js';
import { checkReadable } from './dimensions.js';
import { summaryError } from './messages.js';
import type { ValueSpec } from './parse.js';

/** A number a sum or an average can be taken of: a number, currency, percent, or a rollup or formula giving one. */
const isNumber = (field: FieldDef) => field.impl.valueKind === 'number' && !field.impl.computed?.list;

/** The field holds a value in this row: a list has an element, a checkbox is ticked. */
function filled(field: FieldDef): Sql {
  const list = field.impl.computed?.list;
  if (list) return sql`EXISTS (SELECT 1 FROM (${list.elements('t')}) AS fe)`;
  const value = fieldColumn(field);
  if (field.impl.valueKind === 'boolean') return sql`${value} IS TRUE`;
  if (field.impl.valueKind === 'choices') return sql`coalesce(cardinality(${value}), 0) > 0`;
  if (field.impl.valueKind === 'attachments') return sql`coalesce(jsonb_array_length(${value}), 0) > 0`;
  if (field.impl.valueKind === 'text') return sql`coalesce(${value}::text, '') <> ''`;
  return sql`${value} IS NOT NULL`;
}

/**
 * One value of a summary in two parts: what each row gives (`row`, over the row `t`), selected into a subquery, and
 * the aggregate of that column (`of`) over a group's rows; every one is checked against its field's type.
 */
export interface ValueSql {
  row: Sql;
  of(column: Sql): Sql;
}

export function valueSql(spec: ValueSpec, language: Language): ValueSql {
  const { fn, field } = spec;
  if (!field) return { row: sql`NULL`, of: () => sql`count(*)` };
  checkReadable('values', field, language, false);
  if (fn === 'filled') return { row: filled(field), of: (c) => sql`count(*) FILTER (WHERE ${c})` };
  if (fn === 'count_distinct') {
    const kind = field.impl.valueKind;
    if (field.impl.computed?.list || kind === 'attachments') throw summaryError('values', 'notDistinct', language, { name: field.name, type: field.type });
    return { row: fieldColumn(field), of: (c) => sql`count(DISTINCT ${c})` };
  }
  if (!isNumber(field)) throw summaryError('values', 'notNumber', language, { name: field.name, fn });
  if (fn === 'sum') return { row: fieldColumn(field), of: (c) => sql`coalesce(sum(${c}), 0)` };
  return { row: fieldColumn(field), of: (c) => sql`${sql.raw(fn)}(${c})` };
}
