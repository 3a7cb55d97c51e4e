import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createWorkspace, createWorkspaceSchema, workspacesOf } from '../../schema-engine/index.js';
import { requireUser } from '../auth/authenticate.js';

export const workspaceRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const db = app.ctx.engine.db;

  app.get('/api/workspaces', async (request) => {
    const user = requireUser(request);
    return (await workspacesOf(db, user.id)).map(({ id, name }) => ({ id, name }));
  });

  app.post('/api/workspaces', { schema: { body: createWorkspaceSchema } }, async (request, reply) => {
    const user = requireUser(request);
    const workspace = await createWorkspace(db, request.body.name, user.id);
    return reply.status(201).send(workspace);
  });
};
