import type { z } from 'zod';
import type { Engine } from '../../schema-engine/index.js';
import type { Mailer } from '../mail/mailer.js';
import type { AllowHosts } from '../webhooks/safe-post.js';

/** What a running job knows about itself. */
export interface JobInfo {
  id: string;
  /** 1 on the first run, counting this one. */
  attempt: number;
  maxAttempts: number;
}

/** The services every task of a runner works with. */
export interface TaskContext {
  engine: Engine;
  mailer: Mailer;
  /** WEBHOOK_ALLOW_HOSTS: hosts webhooks may reach though their addresses are not public. */
  webhookAllowHosts?: AllowHosts;
  /** DATA_DIR: where uploaded files are (an import reads its spreadsheet from there). */
  dataDir?: string;
}

/**
 * A kind of job: its payload's schema (checked when the job is added and again when it runs, since a job may outlive
 * the version that added it) and what running it does. Throwing makes graphile-worker retry the job with exponential
 * backoff until its attempts are used up; returning ends it.
 */
export interface Task<P extends z.ZodType = z.ZodType> {
  payload: P;
  run(payload: z.output<P>, context: TaskContext, job: JobInfo): Promise<void>;
}

export function defineTask<P extends z.ZodType>(task: Task<P>): Task<P> {
  return task;
}
