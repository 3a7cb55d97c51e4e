import { z } from 'zod';
import { buildSheetIndexes } from '../../../schema-engine/index.js';
import { defineTask } from '../task.js';

/**
 * A sheet's indexes built concurrently after the schema change that queued this job committed, or at start
 * (schema-engine/schema-changes/index-builds.ts): one build per workspace at a time across servers, nothing done for a
 * sheet or field dropped meanwhile, and a failure (a lost connection) retried with backoff.
 */
export const buildIndexes = defineTask({
  payload: z.object({ workspaceId: z.string().min(1), sheetId: z.string().min(1) }),
  run: ({ workspaceId, sheetId }, { engine }) => buildSheetIndexes(engine, workspaceId, sheetId),
});
