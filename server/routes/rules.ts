import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRule, deleteRule, listRules, ruleInputSchema, rulePatchSchema, updateRule } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { sheetParams } from './params.js';

const ruleParams = sheetParams.extend({ rule: z.string() });

/** Validation rules of a sheet: anyone who reads the sheet sees them; changing them is designing it. */
export const ruleRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/rules', { schema: { params: sheetParams } }, async (request) => {
    return listRules(await accessOf(ctx, request), request.params.sheet);
  });

  app.post('/api/w/:ws/sheets/:sheet/rules', { schema: { params: sheetParams, body: ruleInputSchema } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(await createRule(engine, access, request.params.sheet, request.body));
  });

  app.patch('/api/w/:ws/sheets/:sheet/rules/:rule', { schema: { params: ruleParams, body: rulePatchSchema } }, async (request) => {
    const access = await accessOf(ctx, request);
    return updateRule(engine, access, request.params.sheet, request.params.rule, request.body);
  });

  app.delete('/api/w/:ws/sheets/:sheet/rules/:rule', { schema: { params: ruleParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    await deleteRule(engine, access, request.params.sheet, request.params.rule);
    return reply.status(204).send();
  });
};
