import { z } from 'zod';
import { executeRun, StepError, type WorkflowServices } from '../../../schema-engine/index.js';
import { RefusedAddressError, safePost } from '../../webhooks/safe-post.js';
import { defineTask, type TaskContext } from '../task.js';

/** What a run's steps reach outside the engine: the mailer, and POSTs guarded against the server's own network. */
export function workflowServices(context: TaskContext): WorkflowServices {
  const allowHosts = context.webhookAllowHosts ?? new Set<string>();
  return {
    mail: context.mailer,
    webhook: {
      post: (request) =>
        safePost(request, allowHosts).catch((error: unknown) => {
          // Refused before anything was sent: no retry can change that.
          throw error instanceof RefusedAddressError ? new StepError(error.message) : error;
        }),
    },
  };
}

/** Carries out a workflow run from where it stands (schema-engine/workflows/execute.ts says what is guaranteed). */
export const workflowRun = defineTask({
  payload: z.object({ runId: z.string().min(1), at: z.iso.datetime().optional() }),
  run: ({ runId, at }, context, job) => executeRun(context.engine, workflowServices(context), runId, { ...job, ...(at ? { at } : {}) }),
});
