import { sql } from 'kysely';
import { CATALOG_CHANNEL } from '../catalog/cache.js';
import type { Engine } from '../engine.js';
import { junctionName, schemaName, sequenceName, tableName } from '../ids.js';

/** How long an undo waits for the search index builds the install started (they hold the tables). */
const INDEX_BUILD_WAIT_MS = 60_000;

/**
 * Undoes an install that failed part-way: the sheets it created go for good (not to the trash, which would keep
 * them and their names), in one transaction under the workspace's schema lock: their tables, link junctions and
 * autonumber sequences, their catalog rows (fields, rules, views, forms and their versions go with the sheet rows)
 * and the history of their records. Every link of a template joins two of its own sheets, so nothing else changes.
 */
export async function dropCreatedSheets(engine: Engine, workspaceId: string, sheetIds: readonly string[]): Promise<void> {
  if (!sheetIds.length) return;
  await engine.background.idle(workspaceId, INDEX_BUILD_WAIT_MS);
  const schema = schemaName(workspaceId);
  try {
    await engine.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`crm:ws:${workspaceId}`}))`.execute(trx);
      const fields = await trx.selectFrom('fields').select(['id', 'type', 'options']).where('workspace_id', '=', workspaceId).where('sheet_id', 'in', sheetIds).execute();
      const junctions = new Set(fields.flatMap((f) => (f.type === 'link' ? [(f.options as { junction?: string }).junction ?? f.id] : [])));
      for (const junction of junctions) await sql`DROP TABLE IF EXISTS ${sql.id(schema, junctionName(junction))}`.execute(trx);
      for (const id of sheetIds) await sql`DROP TABLE IF EXISTS ${sql.id(schema, tableName(id))} CASCADE`.execute(trx);
      for (const f of fields.filter((x) => x.type === 'autonumber')) await sql`DROP SEQUENCE IF EXISTS ${sql.id(schema, sequenceName(f.id))}`.execute(trx);
      await trx.deleteFrom('record_history').where('workspace_id', '=', workspaceId).where('sheet_id', 'in', sheetIds).execute();
      await trx.deleteFrom('trash').where('workspace_id', '=', workspaceId).where('sheet_id', 'in', sheetIds).execute();
      await trx.deleteFrom('sheets').where('workspace_id', '=', workspaceId).where('id', 'in', sheetIds).execute();
      await sql`SELECT pg_notify(${CATALOG_CHANNEL}, ${workspaceId})`.execute(trx);
    });
  } finally {
    engine.catalog.invalidate(workspaceId);
  }
}
