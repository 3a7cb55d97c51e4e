import { sql } from 'kysely';
import { pureCompiler as compiler } from '../sql-compiler.js';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { displayValue, rawSqlType, rawValue } from '../computed/sql.js';
import type { Sql, SqlType } from '../field-types/field-type.js';
import { tableName } from '../ids.js';

export const sheetTable = (ws: WorkspaceOverview, sheet: SheetDef): Sql => sql.id(ws.schema, tableName(sheet.id));

/** The SQL of a field's value for the row `t`: its own column, the system column it shows, or what it computes. */
export function fieldColumn(field: FieldDef): Sql {
  return rawValue(field, 't');
}

/** The field stores its value in a column of its own (not a system column, a junction table or a computation). */
export const hasColumn = (field: FieldDef): boolean => !field.impl.system && field.impl.storage(field.options) !== null;

export const fieldSqlType = (field: FieldDef): SqlType => rawSqlType(field);

// Every read builds this list; it is built and compiled once per catalog snapshot of a sheet
// (a schema change makes a new SheetDef), so a request no longer pays for it.
const selectLists = new WeakMap<SheetDef, Sql>();

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
    const parts = [sql`t.id`, sql`t.version`, sql`t.created_at`, sql`t.updated_at`];
    for (const field of sheet.fields) if (!field.impl.readsAsWritten) parts.push(sql`${selectExpr(field)} AS ${sql.id(field.id)}`);
    list = sql.join(parts);
    insertedLists.set(sheet, list);
  }
  return list;
}

/**
 * The select list of a record: system columns, then one expression per field aliased by its (safe) id. Links,
 * lookups, rollups and formulas are subqueries of the same statement: one query per page, never one per row.
 */
export function recordSelectList(sheet: SheetDef): Sql {
  let list = selectLists.get(sheet);
  if (!list) {
    const parts = [sql`t.id`, sql`t.version`, sql`t.created_at`, sql`t.updated_at`];
    for (const field of sheet.fields) {
      parts.push(sql`${selectExpr(field)} AS ${sql.id(field.id)}`);
    }
    const built = sql.join(parts);
    const compiled = built.compile(compiler);
    list = compiled.parameters.length ? built : sql.raw(compiled.sql);
    selectLists.set(sheet, list);
  }
  return list;
}
