import { sql, type Kysely, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Database, JobOptions, JobQueue } from '../../schema-engine/index.js';
import { isTaskName, tasks, type TaskName, type TaskPayload } from './registry.js';

/** Most attempts a job may ask for (graphile-worker keeps the count in a smallint; the backoff is e^min(n, 10) s). */
const MAX_ATTEMPTS = 100;

/**
 * Adds a job in `db`'s transaction: graphile-worker's `add_job` is one row in `graphile_worker`, so the job commits
 * or rolls back with the caller's write, and its NOTIFY wakes a worker only once it has committed. Given the pool
 * instead of a transaction, the job is added on its own.
 */
export async function enqueue<T extends TaskName>(db: Kysely<Database>, task: T, payload: TaskPayload<T>, options: JobOptions = {}): Promise<void> {
  await jobStatement(task, payload, options).execute(db);
}

/** `SELECT graphile_worker.add_job(…)` for a task whose payload and options are checked here. */
export function jobStatement<T extends TaskName>(task: T, payload: TaskPayload<T>, options: JobOptions = {}): RawBuilder<unknown> {
  checkJob(task, payload, options);
  const { runAt, maxAttempts, jobKey, queueName } = options;
  return sql`SELECT graphile_worker.add_job(
    ${task},
    ${JSON.stringify(payload)}::json,
    run_at => ${runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${maxAttempts ?? null}::integer,
    job_key => ${jobKey ?? null}::text,
    queue_name => ${queueName ?? null}::text
  )`;
}

function checkJob<T extends TaskName>(task: T, payload: TaskPayload<T>, { maxAttempts }: JobOptions): void {
  const checked = tasks[task].payload.safeParse(payload);
  if (!checked.success) throw new Error(`job ${task}: bad payload: ${z.prettifyError(checked.error)}`);
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS)) {
    throw new Error(`job ${task}: maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS}`);
  }
}

/** Jobs of one task, one per payload, as one `SELECT graphile_worker.add_jobs(…)` (one statement for a whole batch). */
export function jobsStatement<T extends TaskName>(task: T, payloads: TaskPayload<T>[], options: Pick<JobOptions, 'maxAttempts' | 'queueName'> = {}): RawBuilder<unknown> {
  for (const payload of payloads) checkJob(task, payload, options);
  return sql`SELECT graphile_worker.add_jobs(
    ARRAY(
      SELECT ROW(${task}, p.payload, ${options.queueName ?? null}::text, NULL, ${options.maxAttempts ?? null}::smallint, NULL, NULL, NULL)::graphile_worker.job_spec
      FROM json_array_elements(${JSON.stringify(payloads)}::json) AS p(payload)
    ),
    false
  )`;
}

const taskName = (task: string): TaskName => {
  if (!isTaskName(task)) throw new Error(`no job task is named ${JSON.stringify(task)}`);
  return task;
};

/** The engine's view of the queue (schema-engine/engine.ts JobQueue): the task's name and payload checked here. */
export const jobQueue: JobQueue = {
  add: (trx, task, payload, options) => enqueue(trx, taskName(task), payload as TaskPayload<TaskName>, options),
  statement: (task, payload, options) => jobStatement(taskName(task), payload as TaskPayload<TaskName>, options),
  many: (task, payloads, options) => jobsStatement(taskName(task), payloads as TaskPayload<TaskName>[], options),
};
