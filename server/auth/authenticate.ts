import type { FastifyRequest } from 'fastify';
import type { Db } from '../../schema-engine/index.js';
import type { AppContext } from '../context.js';
import { forbidden, unauthorized } from '../errors.js';
import type { AuthUser, Credential, Identity } from './identity-cache.js';
import { tokenHash } from './tokens.js';

export type { AuthUser, Credential } from './identity-cache.js';

export const SESSION_COOKIE = 'crm_session';
/** lastSeenAt / lastUsedAt are written at most this often per credential, not on every request. */
export const SEEN_EVERY_MS = 60_000;

/** The API token of `Authorization: Bearer <token>`; when one is sent, the session cookie is not looked at. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Who sent the request: a Bearer API token or the session cookie; cached briefly, as it is asked on every request.
 * The cache is keyed by the credential itself (it is in the request anyway), so a cached request hashes nothing.
 * Expired sessions and tokens are refused, cached or not.
 */
export async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Identity | null> {
  const bearer = bearerToken(request);
  const cookie = request.cookies[SESSION_COOKIE];
  if (!bearer && !cookie) return null;
  const key = bearer ? `t:${bearer}` : `s:${cookie!}`;
  let identity = ctx.identities.get(key);
  if (!identity) {
    const mark = ctx.identities.mark();
    identity = bearer ? await lookUpToken(ctx.engine.db, bearer) : await lookUpSession(ctx.engine.db, cookie!);
    if (!identity) return null;
    ctx.identities.set(key, identity, mark);
  }
  if (!identity.lastSeenAt || Date.now() - identity.lastSeenAt.getTime() >= SEEN_EVERY_MS) {
    identity.lastSeenAt = new Date();
    // Knowing when a credential was last used is worth less than the request: a failed write only logs.
    await recordUse(ctx.engine.db, identity.credential).catch((error: Error) => request.log.warn(`could not record the use of a ${identity.credential.kind}: ${error.message}`));
  }
  return identity;
}

async function lookUpToken(db: Db, token: string): Promise<Identity | undefined> {
  const row = await db
    .selectFrom('api_tokens as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .select(['u.id', 'u.name', 'u.email', 'k.id as tokenId', 'k.expires_at', 'k.last_used_at'])
    .where('k.token_hash', '=', tokenHash(token))
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', new Date())]))
    .executeTakeFirst();
  if (!row) return undefined;
  return { user: { id: row.id, name: row.name, email: row.email }, credential: { kind: 'token', id: row.tokenId }, expiresAt: row.expires_at, lastSeenAt: row.last_used_at };
}

async function lookUpSession(db: Db, cookie: string): Promise<Identity | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.name', 'u.email', 's.public_id', 's.expires_at', 's.last_seen_at'])
    .where('s.id', '=', tokenHash(cookie))
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  return { user: { id: row.id, name: row.name, email: row.email }, credential: { kind: 'session', id: row.public_id }, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at };
}

/** Conditional, so servers sharing the database write a credential's last use once a minute between them. */
async function recordUse(db: Db, credential: Credential): Promise<void> {
  const since = new Date(Date.now() - SEEN_EVERY_MS);
  if (credential.kind === 'session') {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('public_id', '=', credential.id).where('last_seen_at', '<', since).execute();
  } else {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: new Date() })
      .where('id', '=', credential.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', since)]))
      .execute();
  }
}

export function requireUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

/**
 * Sign-ins, sessions, tokens and the password are managed from a signed-in session only: an API token acts with its
 * user's access to data, never more, so it cannot mint longer-lived tokens or end its owner's sessions.
 */
export function requireSession(request: FastifyRequest): { user: AuthUser; sessionId: string } {
  const user = requireUser(request);
  if (request.credential?.kind !== 'session') {
    throw forbidden('Passwords, sessions and API tokens are managed from a signed-in session, not with an API token');
  }
  return { user, sessionId: request.credential.id };
}
