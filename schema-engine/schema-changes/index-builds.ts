import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { convergeSearchIndex, needsBuild, searchIndexWork } from './search-index.js';
import { buildSortIndex, missingSortIndexes } from './sort-indexes.js';

/**
 * The indexes a sheet gets after a schema change has committed (its search index) or at start (a sort index missing
 * from an earlier version or run) are built with CREATE INDEX CONCURRENTLY, which cannot run in a transaction. So the
 * change adds a job for them in its own transaction (server/jobs/tasks/build-indexes.ts): it exists if and only if
 * the change commits, runs after the commit on whichever server takes it, and is retried with backoff when it fails
 * (a lost connection). A job reads the catalog as it is when it runs, so a job repeated, or run after a later
 * change, builds what the sheet needs then, and nothing for a field or sheet dropped meanwhile.
 */
export const INDEX_BUILD_TASK = 'build_indexes';

/** Failures retried with exponential backoff (e^n s, about 3 hours in all); the repair at start is the safety net. */
const INDEX_BUILD_ATTEMPTS = 10;

/** How long a schema change waits for a running build of its workspace (it would deadlock with the change's DDL). */
const INDEX_BUILD_WAIT_MS = 30_000;
/** How often a waiting change, or a build waiting for another, looks again. */
const POLL_MS = 100;

/**
 * Held for the whole of a build, on the build's own connection: one build per workspace at a time across servers.
 * A session lock, so a build whose connection (or server) dies releases it at once, with it. Schema changes hold it
 * shared in their transaction.
 */
const buildLock = (workspaceId: string) => sql`hashtext(${`crm:indexes:${workspaceId}`})::bigint`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Adds the build of these sheets' indexes to the queue in the change's transaction: one pending job per sheet (its
 * key), so several changes before the job runs build once. Without a queue (a bare engine) nothing is built; searches
 * read those sheets without an index, with the same answers.
 */
export async function queueIndexBuilds(engine: Engine, trx: Transaction<Database>, workspaceId: string, sheetIds: readonly string[]): Promise<void> {
  for (const sheetId of new Set(sheetIds)) {
    await engine.jobs?.add(trx, INDEX_BUILD_TASK, { workspaceId, sheetId }, { jobKey: `indexes:${sheetId}`, maxAttempts: INDEX_BUILD_ATTEMPTS });
  }
}

/** The same for sheets of any workspace, in a transaction of its own (the repair at start). */
async function queueRepairs(engine: Engine, sheets: readonly { workspaceId: string; sheetId: string }[]): Promise<void> {
  if (!sheets.length || !engine.jobs) return;
  await engine.db.transaction().execute(async (trx) => {
    for (const { workspaceId, sheetId } of sheets) await queueIndexBuilds(engine, trx, workspaceId, [sheetId]);
  });
}

/**
 * At start, a safety net: an interrupted build is retried by its job, but one that used up its attempts, or a sheet
 * from before one index per sheet (with one per field), is not. Queues the build of every live sheet whose search
 * index needs work. Answers how many are (re)built.
 */
export async function repairSearchIndexes(engine: Engine): Promise<number> {
  const pending = await searchIndexWork(engine.db);
  await queueRepairs(engine, pending);
  return pending.filter(needsBuild).length;
}

/** At start: queues the build of every sort or owner index missing from a live sheet. Answers how many. */
export async function repairSortIndexes(engine: Engine): Promise<number> {
  const missing = await missingSortIndexes(engine.db);
  await queueRepairs(engine, missing);
  return missing.length;
}

/** One index a sheet needs built (or dropped), named so a later look can tell whether it is still wanted. */
interface IndexWork {
  name: string;
  run(db: Db): Promise<void>;
}

async function sheetWork(db: Db, workspaceId: string, sheetId: string): Promise<IndexWork[]> {
  const search = (await searchIndexWork(db, workspaceId, [sheetId])).map((state) => ({ name: `search:${state.expected}`, run: (conn: Db) => convergeSearchIndex(conn, state) }));
  const sort = (await missingSortIndexes(db, sheetId)).map((missing) => ({ name: `sort:${missing.index}`, run: (conn: Db) => buildSortIndex(conn, missing) }));
  return [...search, ...sort];
}

/**
 * The job: gives the sheet the search index and sort indexes its current fields call for, on one connection that
 * holds the workspace's build lock. Another build of the workspace (a job of another sheet, or of this one added
 * while this one ran) waits for it by polling: a statement waiting on the lock would hold a snapshot, which the
 * running CREATE INDEX CONCURRENTLY would wait for in turn. A build that fails because the catalog moved on
 * meanwhile (its field or sheet dropped, another index wanted) is no failure: the change that moved it queued what
 * the sheet needs now. Anything else fails the job, to be retried.
 */
export async function buildSheetIndexes(engine: Engine, workspaceId: string, sheetId: string): Promise<void> {
  await engine.db.connection().execute(async (conn) => {
    while (!(await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(${buildLock(workspaceId)}) AS got`.execute(conn)).rows[0]!.got) await sleep(POLL_MS);
    try {
      for (const work of await sheetWork(conn, workspaceId, sheetId)) {
        try {
          await work.run(conn);
        } catch (error) {
          // Looked at through the pool: `conn` may be the connection that was lost.
          if ((await sheetWork(engine.db, workspaceId, sheetId)).some((w) => w.name === work.name)) throw error;
        }
      }
    } finally {
      // A lost connection has released it already.
      await sql`SELECT pg_advisory_unlock(${buildLock(workspaceId)})`.execute(conn).catch(() => undefined);
    }
  });
}

/** Thrown in a schema change's transaction, before it did anything, when a build of its workspace is running. */
class BuildRunning extends Error {}

/**
 * Takes the workspace's build lock shared, for the rest of a schema change's transaction (schema-changes/lock.ts), so
 * no build starts until it has committed: the build's CREATE INDEX CONCURRENTLY would wait for the transaction, and
 * the transaction's DDL for the build (a deadlock, or a lock wait ending in 409). If a build is running, the
 * transaction is given up, to begin again once the build has ended (`afterIndexBuilds`). Taken without waiting, so the
 * transaction never waits on the build while holding a snapshot the build waits for.
 */
export async function holdOffIndexBuilds(trx: Transaction<Database>, workspaceId: string): Promise<void> {
  const { rows } = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock_shared(${buildLock(workspaceId)}) AS got`.execute(trx);
  if (!rows[0]!.got) throw new BuildRunning();
}

/**
 * Runs a schema change's transaction again while a build of its workspace runs on any server, for up to 30 s, then
 * answers 409. In a caller's transaction (a scoped engine) it cannot begin again: 409 at once (`inOneTransaction`
 * holds builds off from its start, so its own changes never meet one).
 */
export async function afterIndexBuilds<T>(engine: Engine, transaction: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + INDEX_BUILD_WAIT_MS;
  for (;;) {
    try {
      return await transaction();
    } catch (error) {
      if (!(error instanceof BuildRunning)) throw error;
      if (engine.db.isTransaction || Date.now() > deadline) {
        throw new EngineError('busy', 'The sheet is still building a search index after an earlier change; nothing was changed. Try again in a moment.');
      }
      await sleep(POLL_MS);
    }
  }
}
