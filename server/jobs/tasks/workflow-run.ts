import { z } from 'zod';
import { executeRun } from '../../../schema-engine/index.js';
import { defineTask } from '../task.js';

/** Carries out a workflow run from where it stands (schema-engine/workflows/execute.ts says what is guaranteed). */
export const workflowRun = defineTask({
  payload: z.object({ runId: z.string().min(1) }),
  run: ({ runId }, { engine, mailer }, job) => executeRun(engine, { mail: mailer }, runId, job),
});
