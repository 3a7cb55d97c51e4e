import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC_FORM_USER_ID } from '../../schema-engine/index.js';
import { hashPassword } from '../auth/passwords.js';
import { revoking } from '../auth/revocation.js';
import { startSession } from '../auth/sessions.js';
import { tokenHash } from '../auth/tokens.js';
import { HttpError } from '../errors.js';
import { appLink, mailLocale, resetMail } from '../mail/messages.js';
import { password } from './auth.js';
import { sendRefusal } from './rate-limited.js';

/** A reset link works this long, once. */
export const RESET_MINUTES = 60;
/**
 * Every answer to a reset request takes at least this long, whether the email has an account (a row and a mail
 * written) or not (nothing written): neither the answer nor its time tells who has an account.
 */
export const RESET_ANSWER_MS = 300;

const email = z.string().trim().toLowerCase().email('must be an email address').max(320);
const tokenParams = z.object({ token: z.string().min(10, 'is not a reset link').max(100, 'is not a reset link') });

const linkGone = () =>
  new HttpError(404, 'not_found', 'This password reset link does not work: it was used already, has expired, or was never sent. Ask for a new one.');

const waitUntil = (deadline: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));

/**
 * Password reset by email (API.md, Account security): a request mails a one-time link `/reset/<token>` (only the
 * token's SHA-256 is stored, in password_resets); the link sets a new password, ends every session of the user, and
 * signs this browser in.
 */
export const passwordResetRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const db = ctx.engine.db;

  // Counted like sign-ins (per address, and per email and address), known email or not, so a 429 tells nothing either.
  app.post('/api/auth/reset', { schema: { body: z.object({ email }).strict() } }, async (request, reply) => {
    const deadline = Date.now() + RESET_ANSWER_MS;
    const address = request.body.email;
    const refusal = await ctx.attempts.begin('reset', address, request.ip);
    if (refusal) return sendRefusal(reply, refusal, 'password reset');
    try {
      const user = await db.selectFrom('users').select(['id', 'name', 'email']).where('email', '=', address).where('id', '!=', PUBLIC_FORM_USER_ID).executeTakeFirst();
      if (user) {
        const token = randomBytes(32).toString('base64url');
        const mail = resetMail(mailLocale(request), { name: user.name, url: appLink(ctx.publicUrl, request, `/reset/${token}`), minutes: RESET_MINUTES });
        // The link and its mail commit together: the mail is sent (or kept) only for a link that exists.
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('password_resets').values({ token_hash: tokenHash(token), user_id: user.id, expires_at: new Date(Date.now() + RESET_MINUTES * 60_000) }).execute();
          await ctx.mailer.queueMail(trx, { kind: 'password_reset', refId: user.id, to: [user.email], ...mail });
        });
      }
    } finally {
      await waitUntil(deadline);
    }
    return reply.status(202).send({ ok: true });
  });

  // What the reset page asks before showing its form: whether the link still works (and until when), nothing more.
  app.get('/api/auth/reset/:token', { schema: { params: tokenParams } }, async (request) => {
    const row = await db
      .selectFrom('password_resets')
      .select('expires_at')
      .where('token_hash', '=', tokenHash(request.params.token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (!row) throw linkGone();
    return { expiresAt: row.expires_at.toISOString() };
  });

  // A used, expired or unknown link answers 404 and changes nothing. The new password ends every session of the user
  // (here and, through the revocation notice, on every server) and every other reset link of theirs; API tokens stay.
  app.post('/api/auth/reset/:token', { schema: { params: tokenParams, body: z.object({ password }).strict() } }, async (request, reply) => {
    const hash = tokenHash(request.params.token);
    const refusal = await ctx.attempts.begin('reset_link', hash, request.ip);
    if (refusal) return sendRefusal(reply, refusal, 'password reset');
    const live = () =>
      db.selectFrom('password_resets').select('user_id').where('token_hash', '=', hash).where('used_at', 'is', null).where('expires_at', '>', new Date());
    const found = await live().executeTakeFirst();
    if (!found) throw linkGone();
    const passwordHash = await hashPassword(request.body.password);
    const user = await revoking(ctx, found.user_id, async (trx) => {
      // Claimed in the transaction: of two uses of one link at once, one sets the password and the other answers 404.
      const claimed = await trx
        .updateTable('password_resets')
        .set({ used_at: new Date() })
        .where('token_hash', '=', hash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', new Date())
        .returning('user_id')
        .executeTakeFirst();
      if (!claimed) throw linkGone();
      await trx.updateTable('password_resets').set({ used_at: new Date() }).where('user_id', '=', claimed.user_id).where('used_at', 'is', null).execute();
      const changed = await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', claimed.user_id).returning(['id', 'name', 'email']).executeTakeFirstOrThrow();
      await trx.deleteFrom('sessions').where('user_id', '=', claimed.user_id).execute();
      return changed;
    });
    // Failed sign-ins before the reset no longer hold the account back from this address.
    await ctx.attempts.succeeded('login', user.email, request.ip);
    await ctx.attempts.succeeded('reset_link', hash, request.ip);
    await startSession(db, reply, request, user.id);
    return { user };
  });
};
