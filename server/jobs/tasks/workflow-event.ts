import { dispatchRecordEvent, recordEventSchema } from '../../../schema-engine/index.js';
import { defineTask } from '../task.js';

/** A record write's event (added in the write's transaction): starts the runs of the workflows it triggers. */
export const workflowEvent = defineTask({
  payload: recordEventSchema,
  run: async (event, { engine }, job) => {
    await dispatchRecordEvent(engine, event, job.id);
  },
});
