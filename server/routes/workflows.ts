import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createWorkflow, deleteWorkflow, getWorkflow, listWorkflows, updateWorkflow } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { wsParams } from './params.js';

const workflowParams = wsParams.extend({ id: z.string() });
/** Bodies are checked by the engine, which names the bad key by its path (`steps.2.subject`). */
const anyBody = z.unknown();

/** Workflows of a workspace (design permission, decided by the engine). */
export const workflowRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;

  app.get('/api/w/:ws/workflows', { schema: { params: wsParams } }, async (request) => listWorkflows(engine, await accessOf(ctx, request)));

  app.post('/api/w/:ws/workflows', { schema: { params: wsParams, body: anyBody } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    return reply.status(201).send(await createWorkflow(engine, access, request.body));
  });

  app.get('/api/w/:ws/workflows/:id', { schema: { params: workflowParams } }, async (request) => getWorkflow(engine, await accessOf(ctx, request), request.params.id));

  app.patch('/api/w/:ws/workflows/:id', { schema: { params: workflowParams, body: anyBody } }, async (request) => {
    return updateWorkflow(engine, await accessOf(ctx, request), request.params.id, request.body);
  });

  app.delete('/api/w/:ws/workflows/:id', { schema: { params: workflowParams } }, async (request, reply) => {
    await deleteWorkflow(engine, await accessOf(ctx, request), request.params.id);
    return reply.status(204).send();
  });
};
