import { sql } from 'kysely';
import type { Db } from '../../schema-engine/index.js';
import type { AppContext } from '../context.js';
import type { NotificationListener } from '../notification-listener.js';

/**
 * Servers sharing the database cache identities for a few seconds; a revocation (session ended, token revoked,
 * password changed) is announced on this channel with the user's id so each of them drops that user's entries.
 */
export const AUTH_CHANNEL = 'crm_auth';

/**
 * Runs a revocation of a user's credentials in one transaction with its NOTIFY (sent by PostgreSQL on commit, so
 * never for a change that was rolled back), then drops the user's cached identities in this process at once.
 */
export async function revoking<T>(ctx: AppContext, userId: string, work: (trx: Db) => Promise<T>): Promise<T> {
  const result = await ctx.engine.db.transaction().execute(async (trx) => {
    const done = await work(trx);
    await sql`SELECT pg_notify(${AUTH_CHANNEL}, ${userId})`.execute(trx);
    return done;
  });
  ctx.identities.dropUser(userId);
  return result;
}

/** The handler for AUTH_CHANNEL notifications: forget that user's cached identities. */
export function onAuthNotification(ctx: AppContext): (payload: string) => void {
  return (userId) => {
    if (userId) ctx.identities.dropUser(userId);
    else ctx.identities.clear();
  };
}

/**
 * Hears other servers' revocations. A revocation sent while the connection was down was missed, so every cached
 * identity is dropped when it goes down and again once listening.
 */
export function listenForRevocations(listener: NotificationListener, ctx: AppContext): Promise<void> {
  return listener.listen(AUTH_CHANNEL, {
    onNotify: onAuthNotification(ctx),
    onDeaf: () => ctx.identities.clear(),
    onListening: () => ctx.identities.clear(),
  });
}
