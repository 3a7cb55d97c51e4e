import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conversionInputSchema, convertRecord, createConversion, deleteConversion, listConversions } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { recordParams, sheetParams } from './params.js';

const conversionParams = sheetParams.extend({ conversion: z.string().max(40) });
const convertBody = z.object({ use: z.record(z.string().max(40), z.string().max(20)).optional() }).strict();

/** Conversions (lead → account, contact, opportunity): designed by admins, run by anyone who may change records. */
export const conversionRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/conversions', { schema: { params: sheetParams } }, async (request) => {
    return listConversions(engine, await accessOf(ctx, request), request.params.sheet);
  });

  app.post('/api/w/:ws/sheets/:sheet/conversions', { schema: { params: sheetParams, body: conversionInputSchema } }, async (request, reply) => {
    return reply.status(201).send(await createConversion(engine, await accessOf(ctx, request), request.params.sheet, request.body));
  });

  app.delete('/api/w/:ws/sheets/:sheet/conversions/:conversion', { schema: { params: conversionParams } }, async (request, reply) => {
    await deleteConversion(engine, await accessOf(ctx, request), request.params.sheet, request.params.conversion);
    return reply.status(204).send();
  });

  app.post(
    '/api/w/:ws/sheets/:sheet/records/:record/convert/:conversion',
    { schema: { params: recordParams.extend({ conversion: z.string().max(40) }), body: convertBody.optional() } },
    async (request, reply) => {
      const { sheet, conversion, record } = request.params;
      return reply.status(201).send(await convertRecord(engine, await accessOf(ctx, request), sheet, conversion, record, request.body ?? {}));
    },
  );
};
