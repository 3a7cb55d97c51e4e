import { MembershipCache } from './access/load.js';
import { CatalogCache } from './catalog/cache.js';
import type { RawBuilder, Transaction } from 'kysely';
import type { Database, Db } from './db.js';
import { RecordLoader } from './records/loader.js';

/** When and how a job runs; the queue's defaults otherwise (now, its usual attempts, no key). */
export interface JobOptions {
  /** Not before this time (a scheduled or waiting step). */
  runAt?: Date;
  /** Tries before the job is given up (each failure retried with exponential backoff). */
  maxAttempts?: number;
  /** At most one pending job per key: adding another with the same key replaces the pending one. */
  jobKey?: string;
  /** Jobs of one queue run one at a time, in order (a sheet's record events). */
  queueName?: string;
}

/**
 * Why a write is made, when not by a person directly: by a workflow run (history says "Workflow: <name>", and the
 * workflows it triggers run one deeper), through a form (which `form_submitted` triggers look for), or by an import
 * (history says "Import <number>").
 */
export interface WriteOrigin {
  run?: { id: string; depth: number };
  form?: string;
  import?: string;
}

/** What a history entry records as having made a change: the workflow run's or the import's id. */
export const historyVia = (engine: Engine): string | null => engine.origin?.run?.id ?? engine.origin?.import ?? null;

/**
 * The durable job queue (server/jobs/), seen from the engine: work that must happen after a write (emails, webhooks,
 * workflow steps, the index builds of a schema change) is added in the write's own transaction, so it exists if and only if the write commits, and runs
 * after the commit in whichever server picks it up. The server checks the task name and payload.
 */
export interface JobQueue {
  add(trx: Transaction<Database>, task: string, payload: unknown, options?: JobOptions): Promise<void>;
  /**
   * The same job as one SQL statement (a SELECT), for the caller to run with another of its transaction: a record
   * write runs it with its history row (records/history.ts), one round trip fewer.
   */
  statement(task: string, payload: unknown, options?: JobOptions): RawBuilder<unknown>;
  /** Jobs of one task, one per payload, as one SELECT (graphile-worker's add_jobs), for the caller to run likewise. */
  many(task: string, payloads: unknown[], options?: Pick<JobOptions, 'maxAttempts' | 'queueName'>): RawBuilder<unknown>;
}

/** Everything the engine's services need, created once per process and passed explicitly. */
export interface Engine {
  readonly db: Db;
  readonly catalog: CatalogCache;
  /** Coalesces concurrent reads of single records. */
  readonly records: RecordLoader;
  /** Who is a member of which workspace, with which role and teams (access/load.ts). */
  readonly members: MembershipCache;
  readonly log: (message: string, error?: unknown) => void;
  /** Where after-commit work is queued; absent where nothing runs jobs (a bare engine in a unit test). */
  readonly jobs?: JobQueue;
  /** Set on an engine scoped to a workflow step or a form submission (workflows/events.ts). */
  readonly origin?: WriteOrigin;
}

export function createEngine(db: Db, log: Engine['log'] = (m, e) => console.error(m, e ?? ''), jobs?: JobQueue): Engine {
  return { db, catalog: new CatalogCache(db), records: new RecordLoader(db), members: new MembershipCache(), log, jobs };
}
