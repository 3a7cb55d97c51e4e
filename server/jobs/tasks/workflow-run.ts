import { z } from 'zod';
import { executeRun, type WorkflowServices } from '../../../schema-engine/index.js';
import { webhookPoster } from '../../webhooks/poster.js';
import { defineTask, type TaskContext } from '../task.js';

/** What a run's steps reach outside the engine: the mailer, and POSTs guarded against the server's own network. */
export function workflowServices(context: TaskContext): WorkflowServices {
  return { mail: context.mailer, webhook: webhookPoster(context.webhookAllowHosts) };
}

/** Carries out a workflow run from where it stands (schema-engine/workflows/execute.ts says what is guaranteed). */
export const workflowRun = defineTask({
  payload: z.object({ runId: z.string().min(1), at: z.iso.datetime().optional() }),
  run: ({ runId, at }, context, job) => executeRun(context.engine, workflowServices(context), runId, { ...job, ...(at ? { at } : {}) }),
});
