import { sql } from 'kysely';
import { pureCompiler as compiler } from '../sql-compiler.js';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Sql, SqlType } from '../field-types/field-type.js';
import { columnName, tableName } from '../ids.js';

export const sheetTable = (ws: WorkspaceOverview, sheet: SheetDef): Sql => sql.id(ws.schema, tableName(sheet.id));

/** The SQL holding a field's stored value: its own column or the system column it shows. */
export function fieldColumn(field: FieldDef): Sql {
  return sql.ref(field.impl.system ? `t.${field.impl.system}` : `t.${columnName(field.id)}`);
}

export function fieldSqlType(field: FieldDef): SqlType {
  const stored = field.impl.storage(field.options);
  if (stored) return stored;
  return field.impl.system === 'created_at' || field.impl.system === 'updated_at' ? 'timestamptz' : 'text';
}

// Every read builds this list; it is built and compiled once per catalog snapshot of a sheet
// (a schema change makes a new SheetDef), so a request no longer pays for it.
const selectLists = new WeakMap<SheetDef, Sql>();

const insertedLists = new WeakMap<SheetDef, Sql>();

/**
 * What an insert returns: the system columns and the fields whose values the database fills or rewrites (autonumbers,
 * times, users, files); the other values are taken from what was written (FieldType.readsAsWritten).
 */
export function insertedSelectList(sheet: SheetDef): Sql {
  let list = insertedLists.get(sheet);
  if (!list) {
    const parts = [sql`t.id`, sql`t.version`, sql`t.created_at`, sql`t.updated_at`];
    for (const field of sheet.fields) {
      if (field.impl.readsAsWritten) continue;
      const column = fieldColumn(field);
      parts.push(sql`${field.impl.selectSql ? field.impl.selectSql(column, field.options) : column} AS ${sql.id(field.id)}`);
    }
    list = sql.join(parts);
    insertedLists.set(sheet, list);
  }
  return list;
}

/** The select list of a record: system columns, then one expression per field aliased by its (safe) id. */
export function recordSelectList(sheet: SheetDef): Sql {
  let list = selectLists.get(sheet);
  if (!list) {
    const parts = [sql`t.id`, sql`t.version`, sql`t.created_at`, sql`t.updated_at`];
    for (const field of sheet.fields) {
      const column = fieldColumn(field);
      const expr = field.impl.selectSql ? field.impl.selectSql(column, field.options) : column;
      parts.push(sql`${expr} AS ${sql.id(field.id)}`);
    }
    const built = sql.join(parts);
    const compiled = built.compile(compiler);
    list = compiled.parameters.length ? built : sql.raw(compiled.sql);
    selectLists.set(sheet, list);
  }
  return list;
}
