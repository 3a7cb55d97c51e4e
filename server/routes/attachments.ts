import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertMayUpload, assertReadableFile, INLINE_FILE_TYPES, newId, notFound } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { dispositionHeader, safeFileName } from '../files/file-name.js';
import { receiveOneFile } from '../files/receive-upload.js';
import { filePath } from '../files/stored-path.js';
import { contentTypeHeader, decideStoredFileType } from '../files/served-type.js';
import { wsParams } from './params.js';

/**
 * Every file answer: no script, plugin, form or navigation runs in it even if a browser renders it (`sandbox` gives
 * it an opaque origin, so it cannot call the API with the user's cookie), and the browser never guesses its type.
 */
const FILE_HEADERS = {
  'Content-Security-Policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
};

export const attachmentRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const db = ctx.engine.db;

  app.post('/api/w/:ws/attachments', { schema: { params: wsParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    assertMayUpload(access);
    const ws = { id: access.workspaceId };
    const userId = access.userId;
    const id = newId('att');
    const target = filePath(ctx.dataDir, ws.id, id);
    await mkdir(path.dirname(target), { recursive: true });
    const received = await receiveOneFile(request, target);
    try {
      const { size } = await stat(target);
      const name = safeFileName(received.filename);
      // The type the client sent is never kept: the server decides it from the bytes and the name.
      const mimeType = await decideStoredFileType(target, name);
      await db.insertInto('attachments').values({ id, workspace_id: ws.id, name, size, mime_type: mimeType, created_by: userId }).execute();
      return await reply.status(201).send({ id, name, size, mimeType, url: `/api/w/${ws.id}/attachments/${id}` });
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  });

  app.get('/api/w/:ws/attachments/:id', { schema: { params: wsParams.extend({ id: z.string() }) } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    await assertReadableFile(ctx.engine, access, request.params.id);
    const ws = { id: access.workspaceId };
    const row = await db.selectFrom('attachments').selectAll().where('workspace_id', '=', ws.id).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound(`File "${request.params.id}"`);
    const file = filePath(ctx.dataDir, ws.id, row.id);
    // Decided again from the bytes: files stored before the server decided types carry their client's claim.
    const type = await decideStoredFileType(file, row.name).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw notFound(`The contents of file "${row.id}"`);
      throw error;
    });
    return reply
      .headers(FILE_HEADERS)
      .header('Content-Type', contentTypeHeader(type))
      .header('Content-Length', String((await stat(file)).size))
      .header('Content-Disposition', dispositionHeader(row.name, INLINE_FILE_TYPES.has(type)))
      .send(createReadStream(file));
  });
};
