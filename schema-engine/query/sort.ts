import { sql } from 'kysely';
import type { SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import { badRequest } from '../errors.js';
import type { FieldType, Sql, SqlType } from '../field-types/field-type.js';
import { fieldColumn, fieldSqlType } from '../records/columns.js';

export interface SortKey {
  readonly fieldId: string;
  readonly descending: boolean;
  readonly expr: Sql;
  readonly type: SqlType;
  /** Ascending on the sheet's primary field, whose sort index (schema-changes/field-ddl.ts) gives this order. */
  readonly indexed: boolean;
}

/**
 * A field sorts by its bare column: a scalar column of its own and no `sortSql`, so a btree of (column, id) gives its
 * order. Choices (sorted by their position in the options) and users (by name) do not.
 */
export function sortsByColumn(impl: FieldType<unknown>, options: unknown): boolean {
  const type = impl.system ? null : impl.storage(options);
  return type !== null && type !== 'jsonb' && type !== 'text[]' && !impl.sortSql;
}

export const MAX_SORT_KEYS = 10;

const fail = (message: string) => badRequest(`sort: ${message}`, { fields: { sort: message } });

/** `-Amount,Name` → sort keys. Names are exact; a name with a comma can be given by field id. */
export function parseSort(sheet: SheetDef, sort: string | undefined): SortKey[] {
  if (!sort) return [];
  const parts = sort.split(',').filter((p) => p.trim() !== '');
  if (parts.length > MAX_SORT_KEYS) throw fail(`at most ${MAX_SORT_KEYS} fields`);
  return parts.map((part) => {
    const descending = part.startsWith('-');
    const ref = descending ? part.slice(1) : part;
    const field = findField(sheet, ref) ?? findField(sheet, ref.trim());
    if (!field) throw fail(`unknown field "${ref}"`);
    if (field.impl.valueless) throw fail(`"${field.name}" is a ${field.type} field: it has no value to sort by`);
    if (field.impl.valueKind === 'attachments') throw fail(`"${field.name}" is an attachment field and cannot be sorted`);
    const computed = field.impl.computed;
    if (computed?.error) throw fail(`"${field.name}" cannot be computed (${computed.error}), so it cannot be sorted on`);
    // A link or lookup sorts by its first element.
    const leaf = computed?.list?.leaf ?? field;
    const value = sql.ref('se.v');
    const column = computed?.list ? value : fieldColumn(field);
    const custom = leaf.impl.sortSql?.(column, leaf.options);
    const expr = custom?.expr ?? column;
    const type = custom?.type ?? fieldSqlType(leaf);
    if (!computed?.list) {
      const indexed = !descending && field.id === sheet.primaryFieldId && sortsByColumn(field.impl, field.options);
      return { fieldId: field.id, descending, expr, type, indexed };
    }
    return { fieldId: field.id, descending, expr: sql`(SELECT ${expr} FROM (${computed.list.elements('t')}) AS se ORDER BY se.o LIMIT 1)`, type, indexed: false };
  });
}

/** Empty values sort last either way, like a spreadsheet; the record id breaks ties so paging is stable. */
export function orderBy(keys: readonly SortKey[]): Sql {
  const parts = keys.map((k) => sql`${k.expr} ${sql.raw(k.descending ? 'DESC' : 'ASC')} NULLS LAST`);
  return sql.join([...parts, sql`t.id ASC`]);
}
