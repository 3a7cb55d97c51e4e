import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileSink } from '../../schema-engine/index.js';
import { filePath } from '../files/stored-path.js';

/** Where a restore writes attached files: the files folder of the new workspace, removed whole if the restore fails. */
export function filesFolderSink(dataDir: string): FileSink {
  return {
    async write(workspaceId, attachmentId, bytes) {
      const target = filePath(dataDir, workspaceId, attachmentId);
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(Readable.from(bytes), createWriteStream(target));
    },
    async discard(workspaceId) {
      await rm(path.dirname(filePath(dataDir, workspaceId, 'x')), { recursive: true, force: true });
    },
  };
}
