import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRule, deleteRule, listRules, ruleInputSchema, rulePatchSchema, sheetOrThrow, updateRule } from '../../schema-engine/index.js';
import { authorize } from '../authorize.js';
import { sheetParams } from './params.js';

const ruleParams = sheetParams.extend({ rule: z.string() });

/** Validation rules of a sheet: anyone who reads the sheet sees them; changing them is designing it. */
export const ruleRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/rules', { schema: { params: sheetParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    return listRules(sheetOrThrow(ws, request.params.sheet));
  });

  app.post('/api/w/:ws/sheets/:sheet/rules', { schema: { params: sheetParams, body: ruleInputSchema } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return reply.status(201).send(await createRule(engine, ws.id, request.params.sheet, request.body));
  });

  app.patch('/api/w/:ws/sheets/:sheet/rules/:rule', { schema: { params: ruleParams, body: rulePatchSchema } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return updateRule(engine, ws.id, request.params.sheet, request.params.rule, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/rules/:rule', { schema: { params: ruleParams } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    await deleteRule(engine, ws.id, request.params.sheet, request.params.rule);
    return reply.status(204).send();
  });
};
