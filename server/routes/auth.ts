import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { accessFor, createWorkspaceIn, effectiveAccess, newId, PUBLIC_FORM_USER_ID, workspacesOf } from '../../schema-engine/index.js';
import { requireUser } from '../auth/authenticate.js';
import { dummyHash, hashPassword, verifyPasswordOf } from '../auth/passwords.js';
import { endSession, startSession } from '../auth/sessions.js';
import { HttpError } from '../errors.js';
import { requestLanguage } from '../language.js';
import { sendRefusal } from './rate-limited.js';

/** The name of the installation's first workspace, in the language of whoever sets it up. */
const FIRST_WORKSPACE = { en: 'My workspace', 'zh-TW': '我的工作區' } as const;

const email = z.string().trim().toLowerCase().email('must be an email address').max(320);
export const password = z.string().min(8, 'must be at least 8 characters').max(1024);

export const authRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const db = app.ctx.engine.db;
  // Made now rather than on the first sign-in with an unknown email, which would otherwise take twice as long.
  await dummyHash();

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
        const workspace = await createWorkspaceIn(trx, FIRST_WORKSPACE[requestLanguage(request)], user.id);
        return { user: { id: user.id, name: user.name, email: user.email }, workspace };
      });
      if (!created) throw new HttpError(409, 'conflict', 'This installation is already set up; sign in instead');
      await startSession(db, reply, request, created.user.id);
      return reply.status(201).send(created);
    },
  );

  // Counted per address and per (email, address) before the password is checked (server/auth/attempts.ts); an unknown
  // email costs the same scrypt work as a known one (verifyPasswordOf), so neither the answer nor its time tells.
  app.post(
    '/api/auth/login',
    { schema: { body: z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(1024) }).strict() } },
    async (request, reply) => {
      const { email: address, password: secret } = request.body;
      const refusal = await app.ctx.attempts.begin('login', address, request.ip);
      if (refusal) return sendRefusal(reply, refusal, 'sign-in');
      const user = await db.selectFrom('users').selectAll().where('email', '=', address).executeTakeFirst();
      if (!(await verifyPasswordOf(secret, user?.password_hash)) || !user) {
        throw new HttpError(401, 'unauthorized', 'Wrong email or password');
      }
      await app.ctx.attempts.succeeded('login', address, request.ip);
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
    // Each workspace with the caller's effective access, so the client hides what the server would refuse.
    const workspaces = await Promise.all(
      (await workspacesOf(db, user.id)).map(async (w) => ({ ...w, ...effectiveAccess(await accessFor(app.ctx.engine, w.id, user.id)) })),
    );
    return { user, workspaces };
  });
};
