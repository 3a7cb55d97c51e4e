import { z } from 'zod';
import { fireSchedule } from '../../../schema-engine/index.js';
import { defineTask } from '../task.js';

/** A scheduled workflow's firing: one job per workflow at a time, so one run per firing however many servers run. */
export const workflowSchedule = defineTask({
  payload: z.object({ workflowId: z.string().min(1), version: z.number().int().min(1), at: z.iso.datetime() }),
  run: async (firing, { engine }) => {
    await fireSchedule(engine, firing);
  },
});
