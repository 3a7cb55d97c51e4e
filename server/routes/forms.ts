import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createForm,
  deleteForm,
  formInputSchema,
  formPatchSchema,
  getForm,
  getFormVersion,
  listForms,
  listFormVersions,
  publicInputSchema,
  publishedForm,
  publishForm,
  restoreFormVersion,
  setFormPublic,
  sheetOrThrow,
  updateForm,
} from '../../schema-engine/index.js';
import { hashPassword } from '../auth/passwords.js';
import { authorize } from '../authorize.js';
import { sheetParams } from './params.js';

const formParams = sheetParams.extend({ form: z.string().max(40) });
const versionParams = formParams.extend({ version: z.coerce.number().int().min(1) });
const versionBody = z.object({ version: z.number().int().optional() }).strict();

/** Designed forms: anyone may read what staff see; designing, publishing and public settings need `design`. */
export const formRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/form', { schema: { params: sheetParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    return publishedForm(engine.db, sheetOrThrow(ws, request.params.sheet));
  });

  app.get('/api/w/:ws/sheets/:sheet/forms', { schema: { params: sheetParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return listForms(engine.db, sheetOrThrow(ws, request.params.sheet));
  });

  app.post('/api/w/:ws/sheets/:sheet/forms', { schema: { params: sheetParams, body: formInputSchema } }, async (request, reply) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'design');
    return reply.status(201).send(await createForm(engine, ws.id, request.params.sheet, request.body, userId));
  });

  app.get('/api/w/:ws/sheets/:sheet/forms/:form', { schema: { params: formParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return getForm(engine.db, sheetOrThrow(ws, request.params.sheet), request.params.form);
  });

  app.patch('/api/w/:ws/sheets/:sheet/forms/:form', { schema: { params: formParams, body: formPatchSchema } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return updateForm(engine, ws.id, request.params.sheet, request.params.form, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/forms/:form', { schema: { params: formParams } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    await deleteForm(engine, ws.id, request.params.sheet, request.params.form);
    return reply.status(204).send();
  });

  app.post('/api/w/:ws/sheets/:sheet/forms/:form/publish', { schema: { params: formParams, body: versionBody.optional() } }, async (request) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'design');
    return publishForm(engine, ws.id, request.params.sheet, request.params.form, request.body?.version, userId);
  });

  app.get('/api/w/:ws/sheets/:sheet/forms/:form/versions', { schema: { params: formParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return listFormVersions(engine.db, sheetOrThrow(ws, request.params.sheet), request.params.form);
  });

  app.get('/api/w/:ws/sheets/:sheet/forms/:form/versions/:version', { schema: { params: versionParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return getFormVersion(engine.db, sheetOrThrow(ws, request.params.sheet), request.params.form, request.params.version);
  });

  app.post('/api/w/:ws/sheets/:sheet/forms/:form/versions/:version/restore', { schema: { params: versionParams, body: versionBody.optional() } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    const { sheet, form, version } = request.params;
    return restoreFormVersion(engine, ws.id, sheet, form, version, request.body?.version);
  });

  app.put('/api/w/:ws/sheets/:sheet/forms/:form/public', { schema: { params: formParams, body: publicInputSchema } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    const { password } = request.body;
    const passwordHash = password === undefined || password === null ? password : await hashPassword(password);
    return setFormPublic(engine, ws.id, request.params.sheet, request.params.form, request.body, passwordHash);
  });
};
