import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db.js';
import { EngineError } from '../errors.js';
import { CATALOG_CHANNEL } from './cache.js';
import type { WorkspaceOverview } from './model.js';

/**
 * The catalog a request was built from is no longer the current one: a schema change committed meanwhile. Whatever
 * the request wrote was rolled back; the server reads the catalog again and retries once, else answers this 409.
 */
export class CatalogChangedError extends EngineError {
  constructor(readonly workspaceId: string) {
    super('schema_changed', 'The sheet was changed (a field added, changed or deleted) while this request ran; nothing was saved. Try again.');
  }
}

/** The workspace's catalog version as committed now (undefined: no such workspace). */
export async function currentCatalogVersion(db: Db, workspaceId: string): Promise<string | undefined> {
  const { rows } = await sql<{ v: string }>`SELECT catalog_version::text AS v FROM workspaces WHERE id = ${workspaceId}`.execute(db);
  return rows[0]?.v;
}

/**
 * Run last in a write's transaction. A schema change that committed before this read shows as another version: the
 * write's SQL was built for tables that may have changed under it, so it is undone. One still running has not
 * altered a table this write touched (its DDL would wait for this transaction's locks), so the write commits first
 * and the change then converts what it wrote, as it converts every other row.
 */
export async function assertCatalogCurrent(trx: Transaction<Database>, ws: WorkspaceOverview): Promise<void> {
  if ((await currentCatalogVersion(trx, ws.id)) !== ws.catalogVersion) throw new CatalogChangedError(ws.id);
}

/**
 * Raised in every schema change's (and workflow change's) transaction, with a NOTIFY that makes every server drop its
 * cached catalog once it commits (the caller drops its own, after the commit).
 */
export async function raiseCatalogVersion(trx: Transaction<Database>, workspaceId: string): Promise<void> {
  await sql`UPDATE workspaces SET catalog_version = catalog_version + 1 WHERE id = ${workspaceId}`.execute(trx);
  await sql`SELECT pg_notify(${CATALOG_CHANNEL}, ${workspaceId})`.execute(trx);
}
