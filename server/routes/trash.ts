import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listTrash, restoreFromTrash } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { wsParams } from './params.js';

export const trashRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;

  app.get('/api/w/:ws/trash', { schema: { params: wsParams } }, async (request) => {
    return listTrash(ctx.engine, await accessOf(ctx, request));
  });

  app.post('/api/w/:ws/trash/:id/restore', { schema: { params: wsParams.extend({ id: z.string() }) } }, async (request) => {
    const access = await accessOf(ctx, request);
    return restoreFromTrash(ctx.engine, access, request.params.id, { userId: access.userId });
  });
};
