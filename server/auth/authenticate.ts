import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../schema-engine/index.js';
import type { AppContext } from '../context.js';
import { unauthorized } from '../errors.js';
import { newToken, tokenHash } from './tokens.js';

export interface AuthUser {
  id: string;
  name: string;
  email: string;
}

export const SESSION_COOKIE = 'crm_session';
const SESSION_DAYS = 30;

/** The API token of `Authorization: Bearer <token>`; when one is sent, the session cookie is not looked at. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Who sent the request: a Bearer API token or the session cookie; cached briefly, as it is asked on every request.
 * The cache is keyed by the credential itself (it is in the request anyway), so a cached request hashes nothing.
 */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<AuthUser | null> {
  const bearer = bearerToken(request);
  const cookie = request.cookies[SESSION_COOKIE];
  if (!bearer && !cookie) return null;
  const key = bearer ? `t:${bearer}` : `s:${cookie!}`;
  const cached = ctx.identities.get(key);
  if (cached) return cached;
  const db = ctx.engine.db;
  const user = bearer
    ? await db
        .selectFrom('api_tokens as k')
        .innerJoin('users as u', 'u.id', 'k.user_id')
        .select(['u.id', 'u.name', 'u.email'])
        .where('k.token_hash', '=', tokenHash(bearer))
        .executeTakeFirst()
    : await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['u.id', 'u.name', 'u.email'])
        .where('s.id', '=', tokenHash(cookie!))
        .where('s.expires_at', '>', new Date())
        .executeTakeFirst();
  if (user) ctx.identities.set(key, user);
  return user ?? null;
}

export function requireUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

export async function startSession(db: Db, reply: FastifyReply, request: FastifyRequest, userId: string): Promise<void> {
  const token = newToken('ses');
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.insertInto('sessions').values({ id: tokenHash(token), user_id: userId, expires_at: expires }).execute();
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    expires,
    secure: request.protocol === 'https',
  });
}

export async function endSession(ctx: AppContext, reply: FastifyReply, request: FastifyRequest): Promise<void> {
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) {
    await ctx.engine.db.deleteFrom('sessions').where('id', '=', tokenHash(cookie)).execute();
    ctx.identities.delete(`s:${cookie}`);
  }
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
