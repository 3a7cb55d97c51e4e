import { z } from 'zod';
import { runImport } from '../../../schema-engine/index.js';
import { filePath } from '../../files/stored-path.js';
import { defineTask } from '../task.js';

/** Runs a started import, all of it in one transaction (schema-engine/imports/run.ts says what is guaranteed). */
export const importRun = defineTask({
  payload: z.object({ importId: z.string().min(1) }),
  async run({ importId }, { engine, dataDir }) {
    if (!dataDir) throw new Error('import_run: this job runner has no data directory to read the file from');
    const row = await engine.db.selectFrom('imports').select('workspace_id').where('id', '=', importId).executeTakeFirst();
    if (row) await runImport(engine, importId, filePath(dataDir, row.workspace_id, importId));
  },
});
