import type { FastifyReply, FastifyRequest } from 'fastify';
import { newId, type Db } from '../../schema-engine/index.js';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE } from './authenticate.js';
import { revoking } from './revocation.js';
import { newToken, tokenHash } from './tokens.js';

const SESSION_DAYS = 30;
/** Enough of any real browser's User-Agent to tell devices apart. */
const USER_AGENT_MAX = 512;

/** A new session: the cookie holds a random token, the table its hash and a public id for the sessions API. */
export async function startSession(db: Db, reply: FastifyReply, request: FastifyRequest, userId: string): Promise<void> {
  const token = newToken('ses');
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  const userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX) || null;
  await db
    .insertInto('sessions')
    .values({ id: tokenHash(token), public_id: newId('ses'), user_id: userId, expires_at: expires, user_agent: userAgent })
    .execute();
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    expires,
    secure: request.protocol === 'https',
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Signs this request's session out, here and (through the revocation notice) on every server. */
export async function endSession(ctx: AppContext, reply: FastifyReply, request: FastifyRequest): Promise<void> {
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    const remove = (db: Db) => db.deleteFrom('sessions').where('id', '=', tokenHash(cookie)).execute();
    // Without a user the cookie named no live session: nothing to announce.
    if (request.user) await revoking(ctx, request.user.id, remove);
    else await remove(ctx.engine.db);
    ctx.identities.delete(`s:${cookie}`);
  }
  clearSessionCookie(reply);
}
