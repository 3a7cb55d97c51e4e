import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
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
  publishForm,
  restoreFormVersion,
  setFormPublic,
  sheetForm,
  updateForm,
} from '../../schema-engine/index.js';
import { hashPassword } from '../auth/passwords.js';
import { accessOf } from '../authorize.js';
import { sheetParams } from './params.js';

const formParams = sheetParams.extend({ form: z.string().max(40) });
const versionParams = formParams.extend({ version: z.coerce.number().int().min(1) });
const versionBody = z.object({ version: z.number().int().optional() }).strict();

/** Designed forms: anyone may read what staff see; designing, publishing and public settings need `design`. */
export const formRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;
  const access = (request: { params: { ws: string } } & Parameters<typeof accessOf>[1]) => accessOf(ctx, request);

  app.get('/api/w/:ws/sheets/:sheet/form', { schema: { params: sheetParams } }, async (request) => {
    return sheetForm(engine, await access(request), request.params.sheet);
  });

  app.get('/api/w/:ws/sheets/:sheet/forms', { schema: { params: sheetParams } }, async (request) => {
    return listForms(engine, await access(request), request.params.sheet);
  });

  app.post('/api/w/:ws/sheets/:sheet/forms', { schema: { params: sheetParams, body: formInputSchema } }, async (request, reply) => {
    return reply.status(201).send(await createForm(engine, await access(request), request.params.sheet, request.body));
  });

  app.get('/api/w/:ws/sheets/:sheet/forms/:form', { schema: { params: formParams } }, async (request) => {
    return getForm(engine, await access(request), request.params.sheet, request.params.form);
  });

  app.patch('/api/w/:ws/sheets/:sheet/forms/:form', { schema: { params: formParams, body: formPatchSchema } }, async (request) => {
    return updateForm(engine, await access(request), request.params.sheet, request.params.form, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/forms/:form', { schema: { params: formParams } }, async (request, reply) => {
    await deleteForm(engine, await access(request), request.params.sheet, request.params.form);
    return reply.status(204).send();
  });

  app.post('/api/w/:ws/sheets/:sheet/forms/:form/publish', { schema: { params: formParams, body: versionBody.optional() } }, async (request) => {
    return publishForm(engine, await access(request), request.params.sheet, request.params.form, request.body?.version);
  });

  app.get('/api/w/:ws/sheets/:sheet/forms/:form/versions', { schema: { params: formParams } }, async (request) => {
    return listFormVersions(engine, await access(request), request.params.sheet, request.params.form);
  });

  app.get('/api/w/:ws/sheets/:sheet/forms/:form/versions/:version', { schema: { params: versionParams } }, async (request) => {
    return getFormVersion(engine, await access(request), request.params.sheet, request.params.form, request.params.version);
  });

  app.post('/api/w/:ws/sheets/:sheet/forms/:form/versions/:version/restore', { schema: { params: versionParams, body: versionBody.optional() } }, async (request) => {
    const { sheet, form, version } = request.params;
    return restoreFormVersion(engine, await access(request), sheet, form, version, request.body?.version);
  });

  app.put('/api/w/:ws/sheets/:sheet/forms/:form/public', { schema: { params: formParams, body: publicInputSchema } }, async (request) => {
    const granted = await access(request);
    const { password } = request.body;
    const passwordHash = password === undefined || password === null ? password : await hashPassword(password);
    return setFormPublic(engine, granted, request.params.sheet, request.params.form, request.body, passwordHash);
  });
};
