import { sql } from 'kysely';
import { pureCompiler as compiler } from '../sql-compiler.js';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { displayValue, rawSqlType, rawValue } from '../computed/sql.js';
import type { LinkAggregate, Sql, SqlType } from '../field-types/field-type.js';
import { tableName } from '../ids.js';

export const sheetTable = (ws: WorkspaceOverview, sheet: SheetDef): Sql => sql.id(ws.schema, tableName(sheet.id));

/** The SQL of a field's value for the row `t`: its own column, the system column it shows, or what it computes. */
export function fieldColumn(field: FieldDef): Sql {
  return rawValue(field, 't');
}

/** The field stores its value in a column of its own (not a system column, a junction table or a computation). */
export const hasColumn = (field: FieldDef): boolean => !field.impl.system && field.impl.storage(field.options) !== null;

export const fieldSqlType = (field: FieldDef): SqlType => rawSqlType(field);

/** Every record read selects these; the times as text, which records/read.ts turns into ISO 8601 without a Date. */
const SYSTEM_COLUMNS: readonly Sql[] = [sql`t.id`, sql`t.version`, sql`t.created_at::text AS created_at`, sql`t.updated_at::text AS updated_at`];

// Every read builds these; they are built once per catalog snapshot of a sheet (a schema change makes a new SheetDef).
const recordSelects = new WeakMap<SheetDef, RecordSelect>();

const insertedLists = new WeakMap<SheetDef, Sql>();

/** A field's expression in a select list: what it computes, or its column as records show it. */
const selectExpr = (field: FieldDef): Sql => (field.impl.computed ? field.impl.computed.select('t') : displayValue(field, fieldColumn(field)));

/**
 * What an insert returns: the system columns and the fields whose values the database fills, rewrites or computes
 * (autonumbers, times, users, files, formulas); the other values are taken from what was written
 * (FieldType.readsAsWritten).
 */
export function insertedSelectList(sheet: SheetDef): Sql {
  let list = insertedLists.get(sheet);
  if (!list) {
    const parts = [...SYSTEM_COLUMNS];
    for (const field of sheet.fields) if (!field.impl.readsAsWritten) parts.push(sql`${selectExpr(field)} AS ${sql.id(field.id)}`);
    list = sql.join(parts);
    insertedLists.set(sheet, list);
  }
  return list;
}

export interface RecordSelect {
  /** The select list over the row `t`: system columns, then one expression per field aliased by its (safe) id. */
  readonly list: Sql;
  /** The joins the list reads from, after `FROM … AS t`: one lateral join per link with values aggregated over it. */
  readonly joins: Sql;
}

/** Compiled once when it has no parameters: a request no longer pays for building it. */
function frozen(built: Sql): Sql {
  const compiled = built.compile(compiler);
  return compiled.parameters.length ? built : sql.raw(compiled.sql);
}

/**
 * How a record is selected, in one statement for any number of rows. Values aggregated over a link (its titles,
 * lookups of its stored fields, rollups: LinkAggregate) come from one lateral join per link, which reads the
 * linked records once for all of them; a formula reads those values from the join rather than computing them
 * again; the other computed values are subqueries of the select list.
 */
export function recordSelect(sheet: SheetDef): RecordSelect {
  let select = recordSelects.get(sheet);
  if (select) return select;
  const byLink = new Map<string, { field: FieldDef; via: LinkAggregate }[]>();
  for (const field of sheet.fields) {
    const via = field.impl.computed?.viaLink;
    if (via) byLink.set(via.linkId, [...(byLink.get(via.linkId) ?? []), { field, via }]);
  }
  const known = new Map<string, Sql>();
  const joins = [...byLink.values()].map((values, i) => {
    const join = `l${i}`;
    const columns = values.map(({ field, via }, k) => {
      known.set(field.id, via.value(sql.ref(`${join}.v${k}`)));
      return sql`${via.aggregate('t')} AS ${sql.id(`v${k}`)}`;
    });
    return sql` LEFT JOIN LATERAL (SELECT ${sql.join(columns)} ${values[0]!.via.rows('t')}) AS ${sql.id(join)} ON TRUE`;
  });
  const parts = [...SYSTEM_COLUMNS];
  for (const field of sheet.fields) {
    const value = known.get(field.id) ?? field.impl.computed?.select('t', known) ?? selectExpr(field);
    parts.push(sql`${value} AS ${sql.id(field.id)}`);
  }
  select = { list: frozen(sql.join(parts)), joins: frozen(sql.join(joins, sql``)) };
  recordSelects.set(sheet, select);
  return select;
}
