import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { workspaceOpenApi } from '../../schema-engine/index.js';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { ownOrigin } from '../auth/csrf.js';
import { accessOf } from '../authorize.js';
import { wsParams } from './params.js';

/**
 * The workspace's own OpenAPI 3.1 document: its sheets' records with their real field names and value types, as the
 * caller may see them (API.md "Import and export"). `GET /api/openapi.json` is the server's, with no workspace's data.
 */
export const workspaceOpenApiRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;

  app.get('/api/w/:ws/openapi.json', { schema: { params: wsParams } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    // Per caller and per catalog version: never kept by a shared cache.
    reply.header('cache-control', 'private, no-cache');
    return workspaceOpenApi(access, { origin: ownOrigin(request), sessionCookie: SESSION_COOKIE });
  });
};
