import { MembershipCache } from './access/load.js';
import { CatalogCache } from './catalog/cache.js';
import type { Transaction } from 'kysely';
import type { Database, Db } from './db.js';
import { RecordLoader } from './records/loader.js';

/** Work that runs once its schema change has committed (search index builds), on the committed database. */
export type AfterCommitWork = (db: Db) => Promise<unknown>;

/** Where after-commit work goes: run at once in the background, or held until an enclosing transaction commits. */
export interface Background {
  run(workspaceId: string, work: AfterCommitWork): void;
  /** Waits for a workspace's tasks (all workspaces' without an id); false if they are still running after `timeoutMs`. */
  idle(workspaceId?: string, timeoutMs?: number): Promise<boolean>;
}

/** Work started after a commit (search index builds), tracked per workspace. */
export class BackgroundTasks implements Background {
  private readonly byWorkspace = new Map<string, Set<Promise<unknown>>>();

  constructor(
    private readonly db: Db,
    private readonly log: Engine['log'],
  ) {}

  run(workspaceId: string, work: AfterCommitWork): void {
    const tasks = this.byWorkspace.get(workspaceId) ?? new Set();
    this.byWorkspace.set(workspaceId, tasks);
    const task = work(this.db).catch((error) => this.log('background task failed', error));
    tasks.add(task);
    void task.finally(() => {
      tasks.delete(task);
      if (!tasks.size) this.byWorkspace.delete(workspaceId);
    });
  }

  async idle(workspaceId?: string, timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = workspaceId ? [...(this.byWorkspace.get(workspaceId) ?? [])] : [...this.byWorkspace.values()].flatMap((s) => [...s]);
      if (!pending.length) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => (timer = setTimeout(resolve, Math.min(left, 2 ** 31 - 1))));
      await Promise.race([Promise.all(pending), timeout]);
      clearTimeout(timer);
    }
  }
}

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
 * workflow steps) is added in the write's own transaction, so it exists if and only if the write commits, and runs
 * after the commit in whichever server picks it up. The server checks the task name and payload.
 */
export interface JobQueue {
  add(trx: Transaction<Database>, task: string, payload: unknown, options?: JobOptions): Promise<void>;
}

/** Everything the engine's services need, created once per process and passed explicitly. */
export interface Engine {
  readonly db: Db;
  readonly catalog: CatalogCache;
  readonly background: Background;
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
  return { db, catalog: new CatalogCache(db), background: new BackgroundTasks(db, log), records: new RecordLoader(db), members: new MembershipCache(), log, jobs };
}

/** Waits for all background work (shutdown, tests). */
export async function settle(engine: Engine): Promise<void> {
  await engine.background.idle();
}
