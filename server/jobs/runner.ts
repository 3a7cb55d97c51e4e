import { EventEmitter } from 'node:events';
import { Logger, makeWorkerUtils, run, runMigrations, runOnce, type TaskList, type WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import { z } from 'zod';
import { createPool } from '../database.js';
import { startWorkerLiveness } from './liveness.js';
import { tasks, type TaskName } from './registry.js';
import type { Task, TaskContext } from './task.js';

/** graphile-worker's messages carry their error's. */
type Log = (message: string) => void;

/** graphile-worker's errors and warnings (a failed attempt, a lost connection) in our log; its chatter not. */
function workerLogger(log: Log): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`job queue: ${message}`);
  });
}

/** Creates or upgrades the `graphile_worker` schema (idempotent; concurrent servers take turns on a lock). */
export async function migrateJobQueue(pool: pg.Pool, log: Log = () => {}): Promise<void> {
  await runMigrations({ pgPool: pool, logger: workerLogger(log) });
  await planAddJobOnce(pool);
}

/**
 * `add_job` (and the `add_jobs` it calls) run every record write's workflow event, in the write's transaction. Their
 * statements take the queue's parameters, and PostgreSQL's default for a PL/pgSQL function plans them afresh on most
 * calls: about half a millisecond a call on the development machine, against a write of three. Planned once per
 * session, generically (their statements are inserts and key lookups, whose plan does not depend on the values), a
 * call costs about a third of that. Set on the functions themselves, so it holds for every caller and nothing else;
 * done at each start (a later graphile-worker migration that replaces them drops the setting), only where missing.
 */
async function planAddJobOnce(pool: pg.Pool): Promise<void> {
  await pool.query(`
    DO $$
    DECLARE f regprocedure;
    BEGIN
      -- Servers starting together take turns (two ALTERs of one function at once fail), the second finding it done.
      PERFORM pg_advisory_xact_lock(hashtext('crm: plan add_job once'));
      FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'graphile_worker' AND p.proname IN ('add_job', 'add_jobs')
          AND NOT coalesce('plan_cache_mode=force_generic_plan' = ANY (p.proconfig), false)
      LOOP
        EXECUTE format('ALTER FUNCTION %s SET plan_cache_mode = force_generic_plan', f);
      END LOOP;
    END $$`);
}

/** The tasks (all, or `only` these) as graphile-worker runs them: a runner takes only jobs of tasks in its list. */
function taskList(context: TaskContext, only?: readonly TaskName[]): TaskList {
  return Object.fromEntries(
    // Each task with its own payload type; as a union of tasks, run() would want every payload at once.
    Object.entries(tasks as Record<string, Task>).filter(([name]) => !only || only.includes(name as TaskName)).map(([name, task]) => [
      name,
      async (payload, helpers) => {
        const checked = task.payload.safeParse(payload);
        // Thrown, so the job stays in graphile_worker with its error for someone to look at.
        if (!checked.success) throw new Error(`job ${name}: bad payload: ${z.prettifyError(checked.error)}`);
        await task.run(checked.data, context, { id: helpers.job.id, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
      },
    ]),
  );
}

/** The runner's sessions in pg_stat_activity. */
export const JOBS_APPLICATION_NAME = 'crm-jobs';

export interface JobRunnerOptions {
  databaseUrl: string;
  context: TaskContext;
  log: Log;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /**
   * How often idle workers look for jobs that became due (retries, jobs to run later), in ms; a new job wakes them at
   * once through NOTIFY (default 2000).
   */
  pollInterval?: number;
  /** How often jobs left by a stopped server are looked for, in ms (default 30 s; also once at start). */
  livenessInterval?: number;
}

export interface JobRunner {
  /** Takes no new job, waits for the running ones, and closes its connections. */
  stop(): Promise<void>;
}

/**
 * graphile-worker in this process, on a pool of its own (its LISTEN connection and one per running job are not
 * taken from the requests'). It runs jobs added by any server sharing the database, each locked by the one runner
 * that takes it; a job whose server stopped while running it is run again by a live runner at its next check
 * (liveness.ts), or by the restarted server as it starts.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { databaseUrl, context, log, concurrency = 4, pollInterval = 2000, livenessInterval } = options;
  // graphile-worker logs a lost connection itself; the pool's listener only keeps it from crashing the process.
  const pool = createPool(databaseUrl, concurrency + 2, () => {}, JOBS_APPLICATION_NAME);
  const utils = await makeWorkerUtils({ pgPool: pool, logger: workerLogger(log) });
  const liveness = await startWorkerLiveness({ databaseUrl, applicationName: JOBS_APPLICATION_NAME, utils, log, interval: livenessInterval });
  const events: WorkerEvents = new EventEmitter();
  // Emitted as each worker is made, before it looks for a job.
  events.on('worker:create', ({ worker }) => liveness.register(worker.workerId));
  const runner = await run({
    events,
    pgPool: pool,
    taskList: taskList(context),
    // No crontab file read from the working directory: schedules are jobs with a run time.
    parsedCronItems: [],
    concurrency,
    pollInterval,
    // The server's own SIGTERM handler stops the runner in order (server/start.ts close()).
    noHandleSignals: true,
    logger: workerLogger(log),
  });
  // Rejected only if the runner gave up (it logs why); requests still add jobs, the next start runs them.
  runner.promise.catch((error: unknown) => log(`job queue: runner stopped: ${String(error)}`));
  // A server restarted after a crash picks up where it (or another stopped server) left off.
  await liveness.releaseDead().catch((error: unknown) => log(`job queue: looking for stopped servers' jobs failed: ${String(error)}`));
  return {
    async stop() {
      // Refused only when the runner already stopped by itself (logged above).
      await runner.stop().catch(() => {});
      await liveness.close();
      await utils.release();
      await pool.end();
    },
  };
}

/**
 * Runs the jobs of `only` these tasks that are due and not taken by a runner, in this process, until none is left,
 * then returns: a test without a runner runs the index builds its schema changes queued, and nothing else.
 */
export async function runDueJobs(pool: pg.Pool, context: TaskContext, only: readonly TaskName[], log: Log = () => {}): Promise<void> {
  await runOnce({ pgPool: pool, taskList: taskList(context, only), noHandleSignals: true, logger: workerLogger(log) });
}
