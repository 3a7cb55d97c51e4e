import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createDocument,
  deleteDocument,
  DOCUMENT_CSP,
  documentInputSchema,
  documentPatchSchema,
  documentPreviewSchema,
  EngineError,
  getDocument,
  listDocuments,
  localeSchema,
  previewDocument,
  renderDocument,
  updateDocument,
  type RenderedDocument,
} from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { recordParams, sheetParams } from './params.js';

const documentParams = sheetParams.extend({ doc: z.string().max(300) });
const renderQuery = z.object({ locale: localeSchema.optional() });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A rendered page: HTML under a CSP that allows no script at all, never cached (it shows a record's data). */
function sendPage(reply: FastifyReply, page: RenderedDocument) {
  return reply.type('text/html; charset=utf-8').header('content-security-policy', DOCUMENT_CSP).header('cache-control', 'no-store').send(page.html);
}

/** A person who opened the page in a tab sees the template's error as a page; a script gets the usual JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return accept.includes('text/html') && !accept.includes('application/json');
}

/** Document templates per sheet (designed by admins), rendered for a record by anyone who may read it. */
export const documentRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/documents', { schema: { params: sheetParams } }, async (request) => {
    return listDocuments(engine, await accessOf(ctx, request), request.params.sheet);
  });

  app.post('/api/w/:ws/sheets/:sheet/documents', { schema: { params: sheetParams, body: documentInputSchema } }, async (request, reply) => {
    return reply.status(201).send(await createDocument(engine, await accessOf(ctx, request), request.params.sheet, request.body));
  });

  app.post('/api/w/:ws/sheets/:sheet/documents/preview', { schema: { params: sheetParams, body: documentPreviewSchema } }, async (request, reply) => {
    return sendPage(reply, await previewDocument(engine, await accessOf(ctx, request), request.params.sheet, request.body));
  });

  app.get('/api/w/:ws/sheets/:sheet/documents/:doc', { schema: { params: documentParams } }, async (request) => {
    return getDocument(engine, await accessOf(ctx, request), request.params.sheet, request.params.doc);
  });

  app.patch('/api/w/:ws/sheets/:sheet/documents/:doc', { schema: { params: documentParams, body: documentPatchSchema } }, async (request) => {
    return updateDocument(engine, await accessOf(ctx, request), request.params.sheet, request.params.doc, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/documents/:doc', { schema: { params: documentParams } }, async (request, reply) => {
    await deleteDocument(engine, await accessOf(ctx, request), request.params.sheet, request.params.doc);
    return reply.status(204).send();
  });

  app.get(
    '/api/w/:ws/sheets/:sheet/records/:record/documents/:doc',
    { schema: { params: recordParams.extend({ doc: z.string().max(300) }), querystring: renderQuery } },
    async (request, reply) => {
      try {
        const access = await accessOf(ctx, request);
        return await sendPage(reply, await renderDocument(engine, access, request.params.sheet, request.params.doc, request.params.record, request.query.locale));
      } catch (error) {
        if (!(error instanceof EngineError) || !wantsHtml(request)) throw error;
        const page = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(error.message)}</title></head><body style="font: 15px system-ui, sans-serif; margin: 3rem auto; max-width: 40rem"><h1 style="font-size: 1.3rem">${escapeHtml(error.message)}</h1></body></html>`;
        return reply.status(error.status).type('text/html; charset=utf-8').header('content-security-policy', DOCUMENT_CSP).send(page);
      }
    },
  );
};
