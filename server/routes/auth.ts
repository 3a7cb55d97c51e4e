import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { createWorkspaceIn, newId, PUBLIC_FORM_USER_ID, workspacesOf } from '../../schema-engine/index.js';
import { endSession, requireUser, startSession } from '../auth/authenticate.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { newToken, tokenHash } from '../auth/tokens.js';
import { HttpError } from '../errors.js';

const email = z.string().trim().toLowerCase().email('must be an email address').max(320);
const password = z.string().min(8, 'must be at least 8 characters').max(1024);

export const authRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const db = app.ctx.engine.db;

  // Whether first-run setup is still open, so the client shows setup rather than sign-in.
  app.get('/api/setup', async () => ({ needed: !(await db.selectFrom('users').select('id').where('id', '!=', PUBLIC_FORM_USER_ID).limit(1).executeTakeFirst()) }));

  app.post(
    '/api/setup',
    { schema: { body: z.object({ email, password, name: z.string().trim().min(1).max(200).optional() }).strict() } },
    async (request, reply) => {
      const { email: address, password: secret, name } = request.body;
      const passwordHash = await hashPassword(secret);
      const created = await db.transaction().execute(async (trx) => {
        // Serializes concurrent first runs: only one of them finds the installation empty.
        await sql`LOCK TABLE users IN EXCLUSIVE MODE`.execute(trx);
        const existing = await trx.selectFrom('users').select('id').where('id', '!=', PUBLIC_FORM_USER_ID).limit(1).executeTakeFirst();
        if (existing) return undefined;
        const user = { id: newId('usr'), email: address, name: name ?? address.split('@')[0]!, password_hash: passwordHash };
        await trx.insertInto('users').values(user).execute();
        const workspace = await createWorkspaceIn(trx, 'My workspace', user.id);
        return { user: { id: user.id, name: user.name, email: user.email }, workspace };
      });
      if (!created) throw new HttpError(409, 'conflict', 'This installation is already set up; sign in instead');
      await startSession(db, reply, request, created.user.id);
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { body: z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1024) }).strict() },
    },
    async (request, reply) => {
      const user = await db.selectFrom('users').selectAll().where('email', '=', request.body.email).executeTakeFirst();
      if (!user || !(await verifyPassword(request.body.password, user.password_hash))) {
        throw new HttpError(401, 'unauthorized', 'Wrong email or password');
      }
      await startSession(db, reply, request, user.id);
      return { user: { id: user.id, name: user.name, email: user.email } };
    },
  );

  app.post('/api/auth/logout', async (request, reply) => {
    await endSession(app.ctx, reply, request);
    return { ok: true };
  });

  app.get('/api/me', async (request) => {
    const user = requireUser(request);
    const workspaces = await workspacesOf(db, user.id);
    return { user, workspaces };
  });

  app.post('/api/tokens', { schema: { body: z.object({ name: z.string().trim().min(1).max(200) }).strict() } }, async (request, reply) => {
    const user = requireUser(request);
    const token = newToken('crm');
    const id = newId('tok');
    await db.insertInto('api_tokens').values({ id, user_id: user.id, name: request.body.name, token_hash: tokenHash(token) }).execute();
    return reply.status(201).send({ id, name: request.body.name, token });
  });
};
