import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { requestLanguage } from '../language.js';
import { wsParams } from './params.js';

const webhookParams = wsParams.extend({ id: z.string() });

/** Record-event webhooks and their delivery logs (design permission, decided by the engine). */
export const webhookRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/webhooks', { schema: { params: wsParams } }, async (request) => listWebhooks(engine, await accessOf(ctx, request)));

  // The body is checked by the engine, which names the bad field in the request's language.
  app.post('/api/w/:ws/webhooks', { schema: { params: wsParams, body: z.unknown() } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(await createWebhook(engine, access, request.body, requestLanguage(request)));
  });

  app.delete('/api/w/:ws/webhooks/:id', { schema: { params: webhookParams } }, async (request, reply) => {
    await deleteWebhook(engine, await accessOf(ctx, request), request.params.id);
    return reply.status(204).send();
  });

  app.get('/api/w/:ws/webhooks/:id/deliveries', { schema: { params: webhookParams } }, async (request) => listDeliveries(engine, await accessOf(ctx, request), request.params.id));
};
