import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireSession } from '../auth/authenticate.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { revoking } from '../auth/revocation.js';
import { clearSessionCookie } from '../auth/sessions.js';
import { HttpError } from '../errors.js';
import { password } from './auth.js';
import { sendRefusal } from './rate-limited.js';

const sessionParams = z.object({ id: z.string().max(100) });

/** The signed-in user's own password and sessions (API.md, Account security). */
export const accountRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const db = ctx.engine.db;

  // A wrong current password counts like a failed sign-in (per user and address), so a borrowed session cannot be
  // used to guess the password. On success every other session of the user ends; this one and API tokens stay.
  app.post(
    '/api/auth/password',
    { schema: { body: z.object({ current: z.string().min(1, 'is required').max(1024), password }).strict() } },
    async (request, reply) => {
      const { user, sessionId } = requireSession(request);
      const refusal = await ctx.attempts.begin('password', user.id, request.ip);
      if (refusal) return sendRefusal(reply, refusal, 'password');
      const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
      if (!(await verifyPassword(request.body.current, row.password_hash))) {
        throw new HttpError(400, 'validation_failed', 'Invalid body: current is not your current password', { fields: { current: 'is not your current password' } });
      }
      await ctx.attempts.succeeded('password', user.id, request.ip);
      const passwordHash = await hashPassword(request.body.password);
      const endedSessions = await revoking(ctx, user.id, async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
        const ended = await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('public_id', '!=', sessionId).executeTakeFirst();
        return Number(ended.numDeletedRows);
      });
      return { endedSessions };
    },
  );

  app.get('/api/auth/sessions', async (request) => {
    const { user, sessionId } = requireSession(request);
    const rows = await db
      .selectFrom('sessions')
      .select(['public_id', 'created_at', 'last_seen_at', 'user_agent'])
      .where('user_id', '=', user.id)
      .where('expires_at', '>', new Date())
      .orderBy('last_seen_at', 'desc')
      .orderBy('public_id')
      .execute();
    return rows.map((s) => ({ id: s.public_id, createdAt: s.created_at, lastSeenAt: s.last_seen_at, userAgent: s.user_agent, current: s.public_id === sessionId }));
  });

  // Ending the current session this way signs this browser out too.
  app.delete('/api/auth/sessions/:id', { schema: { params: sessionParams } }, async (request, reply) => {
    const { user, sessionId } = requireSession(request);
    const { id } = request.params;
    // Not found throws inside the transaction: nothing is announced for a refused request.
    await revoking(ctx, user.id, async (trx) => {
      const ended = await trx.deleteFrom('sessions').where('public_id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
      if (Number(ended.numDeletedRows) === 0) throw new HttpError(404, 'not_found', `No session ${id} of yours`);
    });
    if (id === sessionId) clearSessionCookie(reply);
    return reply.status(204).send();
  });

  app.delete('/api/auth/sessions', async (request, reply) => {
    const { user } = requireSession(request);
    await revoking(ctx, user.id, (trx) => trx.deleteFrom('sessions').where('user_id', '=', user.id).execute());
    clearSessionCookie(reply);
    return reply.status(204).send();
  });
};
