import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assertMayImport,
  badRequest,
  cancelImport,
  createImport,
  getImport,
  importMapping,
  importStartSchema,
  listImports,
  MAX_IMPORT_BYTES,
  newId,
  previewAgain,
  problemsCsv,
  readSettingsSchema,
  startImport,
  type DateOrder,
} from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { requestLanguage } from '../language.js';
import { dispositionHeader, safeFileName } from '../files/file-name.js';
import { receiveOneFile } from '../files/receive-upload.js';
import { filePath } from '../files/stored-path.js';
import { wsParams } from './params.js';

const importParams = wsParams.extend({ id: z.string().max(40) });

/** Dates like 01-02-03 are month first for a US English reader, day first for everyone else (until a value says). */
const guessOrder = (request: FastifyRequest): DateOrder => (/^\s*en-US/i.test(request.headers['accept-language'] ?? '') ? 'mdy' : 'dmy');

/** API.md "Import and export": upload and preview, start, follow, problems, cancel (the engine decides who may). */
export const importRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;
  const stored = (workspaceId: string, id: string) => filePath(ctx.dataDir, workspaceId, id);

  // The file goes to disk as it arrives (never whole in memory), then is read once, streaming, for the preview.
  app.post('/api/w/:ws/imports', { schema: { params: wsParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    assertMayImport(access);
    const id = newId('imp');
    const target = stored(access.workspaceId, id);
    await mkdir(path.dirname(target), { recursive: true });
    const received = await receiveOneFile(request, target, MAX_IMPORT_BYTES);
    try {
      const settings = readSettingsSchema.safeParse(received.fields);
      if (!settings.success) {
        const issue = settings.error.issues[0]!;
        throw badRequest(`${issue.path.join('.')}: ${issue.message}`, { fields: { [issue.path.join('.')]: issue.message } });
      }
      const { size } = await stat(target);
      const created = await createImport(engine, access, { id, path: target, fileName: safeFileName(received.filename), size, settings: settings.data, guessOrder: guessOrder(request) });
      return await reply.status(201).send(created);
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  });

  app.get('/api/w/:ws/imports', { schema: { params: wsParams } }, async (request) => listImports(engine, await accessOf(ctx, request)));

  app.get('/api/w/:ws/imports/:id', { schema: { params: importParams } }, async (request) => getImport(engine, await accessOf(ctx, request), request.params.id));

  app.post('/api/w/:ws/imports/:id/preview', { schema: { params: importParams, body: readSettingsSchema.strict() } }, async (request) => {
    const access = await accessOf(ctx, request);
    return previewAgain(engine, access, request.params.id, stored(access.workspaceId, request.params.id), request.body, guessOrder(request));
  });

  app.get('/api/w/:ws/imports/:id/mapping', { schema: { params: importParams, querystring: z.object({ sheet: z.string().max(1000).optional() }) } }, async (request) =>
    importMapping(engine, await accessOf(ctx, request), request.params.id, request.query.sheet),
  );

  app.post('/api/w/:ws/imports/:id/start', { schema: { params: importParams, body: importStartSchema } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const started = await startImport(engine, access, request.params.id, request.body, requestLanguage(request), stored(access.workspaceId, request.params.id));
    return reply.status(202).send(started);
  });

  app.post('/api/w/:ws/imports/:id/cancel', { schema: { params: importParams } }, async (request) => {
    const access = await accessOf(ctx, request);
    return cancelImport(engine, access, request.params.id, stored(access.workspaceId, request.params.id));
  });

  app.get('/api/w/:ws/imports/:id/problems.csv', { schema: { params: importParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const { number } = await getImport(engine, access, request.params.id);
    const lines = problemsCsv(engine, access, request.params.id, requestLanguage(request));
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', dispositionHeader(`import-${number}-problems.csv`, false))
      .send(Readable.from(lines));
  });
};
