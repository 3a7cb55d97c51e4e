import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  addField,
  checkFormula,
  formulaCheckSchema,
  createSheet,
  createSheetSchema,
  deleteField,
  deleteSheet,
  fieldInputSchema,
  fieldJson,
  getSheet,
  listSheets,
  sheetFormSchema,
  fieldPatchSchema,
  patchSheetSchema,
  sheetJson,
  updateField,
  updateSheet,
} from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { requestLanguage } from '../language.js';
import { validatorModule } from '../validator-module.js';
import { z } from 'zod';
import { booleanFlag, fieldParams, sheetParams, wsParams } from './params.js';

export const sheetRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const engine = ctx.engine;

  app.get('/api/w/:ws/sheets', { schema: { params: wsParams } }, async (request) => {
    return listSheets(await accessOf(ctx, request));
  });

  app.post('/api/w/:ws/sheets', { schema: { params: wsParams, body: createSheetSchema } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(sheetJson(await createSheet(engine, access, request.body)));
  });

  app.get('/api/w/:ws/sheets/:sheet', { schema: { params: sheetParams } }, async (request) => {
    return getSheet(await accessOf(ctx, request), request.params.sheet);
  });

  // The JSON Schema of a record's writable values by field name, for validation in the browser (ajv there too).
  app.get('/api/w/:ws/sheets/:sheet/schema', { schema: { params: sheetParams } }, async (request) => {
    return sheetFormSchema(await accessOf(ctx, request), request.params.sheet);
  });

  // The same schema compiled by ajv into a module the browser imports (no eval, so the CSP stays strict).
  app.get('/api/w/:ws/sheets/:sheet/validator.js', { schema: { params: sheetParams, hide: true } }, async (request, reply) => {
    const code = await validatorModule(sheetFormSchema(await accessOf(ctx, request), request.params.sheet));
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, no-cache').send(code);
  });

  app.patch('/api/w/:ws/sheets/:sheet', { schema: { params: sheetParams, body: patchSheetSchema } }, async (request) => {
    const access = await accessOf(ctx, request);
    return sheetJson(await updateSheet(engine, access, request.params.sheet, request.body));
  });

  app.delete('/api/w/:ws/sheets/:sheet', { schema: { params: sheetParams } }, async (request) => {
    const access = await accessOf(ctx, request);
    await deleteSheet(engine, access, request.params.sheet, { userId: access.userId });
    return { ok: true };
  });

  app.post('/api/w/:ws/sheets/:sheet/fields', { schema: { params: sheetParams, body: fieldInputSchema } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(fieldJson(await addField(engine, access, request.params.sheet, request.body)));
  });

  // A formula checked as the field dialog's editor types it: its result type, or why not in the asker's language.
  app.post('/api/w/:ws/sheets/:sheet/formula-check', { schema: { params: sheetParams, body: formulaCheckSchema } }, async (request) => {
    return checkFormula(engine, await accessOf(ctx, request), request.params.sheet, request.body, requestLanguage(request));
  });

  app.patch(
    '/api/w/:ws/sheets/:sheet/fields/:field',
    { schema: { params: fieldParams, body: fieldPatchSchema, querystring: z.object({ dryRun: booleanFlag, force: booleanFlag }) } },
    async (request) => {
      const access = await accessOf(ctx, request);
      const { dryRun, force } = request.query;
      const result = await updateField(engine, access, request.params.sheet, request.params.field, request.body, { dryRun, force }, { userId: access.userId });
      return result.kind === 'preview' ? result.preview : fieldJson(result.field);
    },
  );

  app.delete('/api/w/:ws/sheets/:sheet/fields/:field', { schema: { params: fieldParams, querystring: z.object({ force: booleanFlag }) } }, async (request) => {
    const access = await accessOf(ctx, request);
    await deleteField(engine, access, request.params.sheet, request.params.field, { userId: access.userId }, request.query.force ?? false);
    return { ok: true };
  });
};
