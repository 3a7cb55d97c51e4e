import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, newId, notFound } from '../../schema-engine/index.js';
import { authorize } from '../authorize.js';
import { wsParams } from './params.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

// Shown in the browser; anything else downloads, so an uploaded HTML page can never run on our origin.
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp|avif)|application\/pdf|text\/plain|audio\/|video\/)/;

const filePath = (dataDir: string, workspaceId: string, id: string) => path.join(dataDir, 'files', workspaceId, id);

export const attachmentRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const db = ctx.engine.db;

  app.post('/api/w/:ws/attachments', { schema: { params: wsParams } }, async (request, reply) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
    if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data', { fields: { file: 'is missing' } });
    const file = await request.file({ limits: { fileSize: MAX_FILE_BYTES, files: 1 } });
    if (!file) throw badRequest('Send the file as multipart/form-data', { fields: { file: 'is missing' } });
    const id = newId('att');
    const target = filePath(ctx.dataDir, ws.id, id);
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(file.file, createWriteStream(target));
    if (file.file.truncated) {
      await rm(target, { force: true });
      return reply.status(413).send({ error: { code: 'payload_too_large', message: `A file can be at most ${MAX_FILE_BYTES / 1024 / 1024} MB` } });
    }
    const { size } = await stat(target);
    const name = (file.filename || 'file').slice(0, 255);
    const mimeType = file.mimetype || 'application/octet-stream';
    await db.insertInto('attachments').values({ id, workspace_id: ws.id, name, size, mime_type: mimeType, created_by: userId }).execute();
    return reply.status(201).send({ id, name, size, mimeType, url: `/api/w/${ws.id}/attachments/${id}` });
  });

  app.get('/api/w/:ws/attachments/:id', { schema: { params: wsParams.extend({ id: z.string() }) } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    const row = await db.selectFrom('attachments').selectAll().where('workspace_id', '=', ws.id).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound(`File "${request.params.id}"`);
    const disposition = INLINE_TYPES.test(row.mime_type) ? 'inline' : 'attachment';
    const asciiName = row.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return reply
      .header('Content-Type', row.mime_type)
      .header('Content-Length', String(row.size))
      .header('Content-Disposition', `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(row.name)}`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(createReadStream(filePath(ctx.dataDir, ws.id, row.id)));
  });
};
