import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/health', { schema: { hide: true } }, async () => {
    await sql`SELECT 1`.execute(app.ctx.engine.db);
    return { ok: true };
  });
};
