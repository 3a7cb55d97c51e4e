import { sql, type Kysely } from 'kysely';
import { freeName, nameKey } from '../schema-engine/schema-changes/names.js';

/**
 * Names that look the same are the same (schema-changes/names.ts): sheet, field and document names get a stored
 * `name_key` (NFKC, case folded, invisible characters removed), and their unique indexes move from lower(name) to it,
 * so the database refuses exactly what the engine refuses. Live names that clash under the new comparison (`Name`
 * beside `Ｎａｍｅ`) cannot both keep their name: the later one gets a suffix (`Ｎａｍｅ (2)`), as a restore would.
 */
const TABLES = [
  { table: 'sheets', scope: 'workspace_id', live: true, index: 'sheets_live_name', keyIndex: 'sheets_live_name_key' },
  { table: 'fields', scope: 'sheet_id', live: true, index: 'fields_live_name', keyIndex: 'fields_live_name_key' },
  { table: 'documents', scope: 'sheet_id', live: false, index: 'documents_sheet_name', keyIndex: 'documents_sheet_name_key' },
] as const;

interface Row {
  id: string;
  name: string;
  scope: string;
  live: boolean;
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, scope, live, index, keyIndex } of TABLES) {
    await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN name_key text`.execute(db);
    const liveColumn = live ? sql`deleted_at IS NULL` : sql`true`;
    const { rows } = await sql<Row>`
      SELECT id, name, ${sql.ref(scope)} AS scope, ${liveColumn} AS live FROM ${sql.table(table)} ORDER BY created_at, id`.execute(db);
    const taken = new Map<string, { name: string }[]>();
    const ids: string[] = [];
    const names: string[] = [];
    const keys: string[] = [];
    for (const row of rows) {
      let name = row.name;
      if (row.live) {
        const inScope = taken.get(row.scope) ?? [];
        name = freeName(inScope, row.name);
        inScope.push({ name });
        taken.set(row.scope, inScope);
      }
      ids.push(row.id);
      names.push(name);
      keys.push(nameKey(name));
    }
    if (ids.length) {
      await sql`
        UPDATE ${sql.table(table)} AS t SET name = v.name, name_key = v.key
        FROM unnest(${ids}::text[], ${names}::text[], ${keys}::text[]) AS v(id, name, key) WHERE t.id = v.id`.execute(db);
    }
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN name_key SET NOT NULL`.execute(db);
    const where = live ? sql` WHERE deleted_at IS NULL` : sql``;
    await sql`CREATE UNIQUE INDEX ${sql.id(keyIndex)} ON ${sql.table(table)} (${sql.ref(scope)}, name_key)${where}`.execute(db);
    await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS sheets_live_name ON sheets (workspace_id, lower(name)) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS fields_live_name ON fields (sheet_id, lower(name)) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX IF NOT EXISTS documents_sheet_name ON documents (sheet_id, lower(name))`.execute(db);
  for (const { table, keyIndex } of TABLES) {
    await sql`DROP INDEX IF EXISTS ${sql.id(keyIndex)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} DROP COLUMN IF EXISTS name_key`.execute(db);
  }
}
