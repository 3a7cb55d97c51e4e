import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BackupArchive, planBackup, restoreWorkspace, scopeEngine, type BackupPlan } from '../../schema-engine/index.js';
import { requireUser } from '../auth/authenticate.js';
import { accessOf } from '../authorize.js';
import { requestLanguage } from '../language.js';
import { backupZipStream } from '../backup/zip-stream.js';
import { filesFolderSink } from '../backup/file-sink.js';
import { holdSnapshot } from '../backup/snapshot.js';
import { dispositionHeader } from '../files/file-name.js';
import { receiveOneFile } from '../files/receive-upload.js';
import { wsParams } from './params.js';

/** A backup file may be this large (its files included). */
export const MAX_BACKUP_BYTES = 4 * 1024 * 1024 * 1024;

/** A workspace's backup as a download (owners and admins), and a backup restored as a new workspace of the caller. */
export const backupRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;

  app.get('/api/w/:ws/backup', { schema: { params: wsParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    // One snapshot of the database for the whole download, released when the stream ends or is dropped.
    const { trx, release } = await holdSnapshot(ctx.engine.db);
    let plan: BackupPlan;
    try {
      plan = await planBackup(scopeEngine(ctx.engine, trx), access);
    } catch (error) {
      release();
      throw error;
    }
    const stream = backupZipStream(plan, ctx.dataDir);
    stream.once('close', release);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('Content-Type', 'application/zip')
      .header('Content-Disposition', dispositionHeader(`${access.full.name} ${day}.crm-backup.zip`, false))
      .header('Cache-Control', 'no-store')
      .send(stream);
  });

  app.post('/api/workspaces/restore', async (request, reply) => {
    const user = requireUser(request);
    // Received beside the files folder, read from there, and removed whatever happens.
    const upload = path.join(ctx.dataDir, 'files', `restore-${randomBytes(8).toString('hex')}.zip`);
    await mkdir(path.dirname(upload), { recursive: true });
    try {
      await receiveOneFile(request, upload, MAX_BACKUP_BYTES);
      const archive = await BackupArchive.open(upload, requestLanguage(request));
      try {
        return await reply.status(201).send(await restoreWorkspace(ctx.engine, user.id, archive, filesFolderSink(ctx.dataDir)));
      } finally {
        archive.close();
      }
    } finally {
      await rm(upload, { force: true });
    }
  });
};
