import { z } from 'zod';
import { fireDate } from '../../../schema-engine/index.js';
import { defineTask } from '../task.js';

/** A date trigger's firing for one record (one pending job per workflow and record). */
export const workflowDate = defineTask({
  payload: z.object({ workflowId: z.string().min(1), version: z.number().int().min(1), recordId: z.string().min(1), at: z.iso.datetime() }),
  run: async (firing, { engine }) => {
    await fireDate(engine, firing);
  },
});
