import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listTrash, restoreFromTrash } from '../../schema-engine/index.js';
import { authorize } from '../authorize.js';
import { wsParams } from './params.js';

export const trashRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;

  app.get('/api/w/:ws/trash', { schema: { params: wsParams } }, async (request) => {
    const { ws } = await authorize(ctx, request, request.params.ws, 'design');
    return listTrash(ctx.engine, ws.id);
  });

  app.post('/api/w/:ws/trash/:id/restore', { schema: { params: wsParams.extend({ id: z.string() }) } }, async (request) => {
    const { ws, userId } = await authorize(ctx, request, request.params.ws, 'design');
    return restoreFromTrash(ctx.engine, ws.id, request.params.id, { userId });
  });
};
