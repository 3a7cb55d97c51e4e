import type { Transaction } from 'kysely';
import { CatalogCache } from './catalog/cache.js';
import { assertCatalogCurrent, raiseCatalogVersion } from './catalog/current.js';
import type { WorkspaceOverview } from './catalog/model.js';
import type { Database, Db } from './db.js';
import type { Engine } from './engine.js';
import { RecordLoader } from './records/loader.js';
import { afterIndexBuilds } from './schema-changes/index-builds.js';
import { busyError, lockWorkspace } from './schema-changes/lock.js';

/** Runs `work` in the database's transaction when it is one (an engine scoped to a caller's), else in a new one. */
export function transact<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

/**
 * A write built from the catalog `ws` in a transaction of its own, checked before commit against the current catalog
 * (catalog/current.ts). Joining a caller's transaction (a scoped engine) it is not checked here: that catalog was read
 * in the transaction, under the workspace lock, or the caller checks its own.
 */
export function writeTransaction<T>(db: Db, ws: WorkspaceOverview, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(async (trx) => {
    const result = await work(trx);
    await assertCatalogCurrent(trx, ws);
    return result;
  });
}

/**
 * The engine with every statement in `trx`: record writes and schema changes join it, and its catalog is read
 * through it, so it sees the transaction's own changes (and is dropped after each of them, as the shared one is).
 */
export function scopeEngine(engine: Engine, trx: Transaction<Database>): Engine {
  return { db: trx, catalog: new CatalogCache(trx), records: new RecordLoader(trx), members: engine.members, log: engine.log, jobs: engine.jobs };
}

/**
 * Runs several engine operations (schema changes, record writes, forms, views, documents) as one transaction under the
 * workspace's schema lock: all of them commit or none does, the jobs they add (index builds, workflow events) with
 * them. Then every server drops its cached catalog.
 */
export async function inOneTransaction<T>(engine: Engine, workspaceId: string, work: (scoped: Engine) => Promise<T>): Promise<T> {
  try {
    return await afterIndexBuilds(engine, () =>
      engine.db.transaction().execute(async (trx) => {
        await lockWorkspace(trx, workspaceId);
        return work(scopeEngine(engine, trx));
      }),
    );
  } catch (error) {
    throw busyError(error);
  } finally {
    engine.catalog.invalidate(workspaceId);
  }
}

/**
 * A change the catalog carries without being a schema change (workflows, record-event webhooks: what a write on a sheet
 * must do besides writing), in one transaction with the raise of the catalog's version: a write built from the catalog
 * before this change is retried, and every server drops its cached catalog.
 */
export async function changeCatalog<T>(engine: Engine, workspaceId: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await transact(engine.db, async (trx) => {
      const result = await work(trx);
      await raiseCatalogVersion(trx, workspaceId);
      return result;
    });
  } finally {
    engine.catalog.invalidate(workspaceId);
  }
}
