import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conversionInputSchema, convertRecord, createConversion, deleteConversion, getConversion, listConversions, sheetOrThrow } from '../../schema-engine/index.js';
import { authorize } from '../authorize.js';
import { recordParams, sheetParams } from './params.js';

const conversionParams = sheetParams.extend({ conversion: z.string().max(40) });
const convertBody = z.object({ use: z.record(z.string().max(40), z.string().max(20)).optional() }).strict();

/** Conversions (lead → account, contact, opportunity): designed by admins, run by anyone who may change records. */
export const conversionRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/sheets/:sheet/conversions', { schema: { params: sheetParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'read');
    return listConversions(engine.db, sheetOrThrow(ws, request.params.sheet));
  });

  app.post('/api/w/:ws/sheets/:sheet/conversions', { schema: { params: sheetParams, body: conversionInputSchema } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return reply.status(201).send(await createConversion(engine.db, ws, sheetOrThrow(ws, request.params.sheet), request.body));
  });

  app.delete('/api/w/:ws/sheets/:sheet/conversions/:conversion', { schema: { params: conversionParams } }, async (request, reply) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    await deleteConversion(engine.db, sheetOrThrow(ws, request.params.sheet), request.params.conversion);
    return reply.status(204).send();
  });

  app.post(
    '/api/w/:ws/sheets/:sheet/records/:record/convert/:conversion',
    { schema: { params: recordParams.extend({ conversion: z.string().max(40) }), body: convertBody.optional() } },
    async (request, reply) => {
      const { ws, userId } = await authorize(ctx, request, request.params.ws, 'write');
      const sheet = sheetOrThrow(ws, request.params.sheet);
      const conversion = await getConversion(engine.db, sheet, request.params.conversion);
      return reply.status(201).send(await convertRecord(engine, ws, sheet, conversion.spec, request.params.record, request.body ?? {}, { userId }));
    },
  );
};
