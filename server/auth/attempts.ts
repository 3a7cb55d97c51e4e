import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../schema-engine/index.js';
import { addressKey } from './client-address.js';

export interface Limit {
  max: number;
  windowMs: number;
}

/** How many password attempts (sign-in, password change) are allowed before a 429. */
export interface AttemptLimits {
  /** Every attempt from one address, whatever the account. */
  perAddress: Limit;
  /** Attempts at one account from one address that have not (yet) succeeded: a success clears them. */
  perAccountAddress: Limit;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = {
  perAddress: { max: 100, windowMs: 15 * 60_000 },
  perAccountAddress: { max: 5, windowMs: 15 * 60_000 },
};

/**
 * What is being tried: signing in to an account (by email), changing a signed-in user's password (by user id), asking
 * for a password reset mail (by email), or setting a password through a reset link (by the link's hash).
 */
export type AttemptKind = 'login' | 'password' | 'reset' | 'reset_link';

export interface Refusal {
  /** Seconds until the window that refused ends. */
  retryAfter: number;
  reason: 'address' | 'account';
}

const hashKey = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Password attempts counted in PostgreSQL, so every server on the database shares them. The counters are per address
 * and per (account, address): a lock earned from one address never keeps the account's owner out from another.
 * Windows are fixed: a counter whose window has ended restarts at its next attempt, and each attempt also deletes a
 * few long-ended counters, so nothing has to run on a schedule.
 */
export class Attempts {
  constructor(
    private readonly db: Db,
    private readonly limits: AttemptLimits,
  ) {}

  /** Counts one attempt; answers a refusal when the address, or this account from this address, is over its limit. */
  async begin(kind: AttemptKind, account: string, ip: string): Promise<Refusal | null> {
    await this.sweep();
    const address = addressKey(ip);
    const fromAddress = await this.hit('address', hashKey(address), this.limits.perAddress);
    if (fromAddress) return { retryAfter: fromAddress, reason: 'address' };
    const atAccount = await this.hit(`${kind}_account`, this.accountKey(account, address), this.limits.perAccountAddress);
    if (atAccount) return { retryAfter: atAccount, reason: 'account' };
    return null;
  }

  /** The password was right: the account's count from this address starts over. */
  async succeeded(kind: AttemptKind, account: string, ip: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('scope', '=', `${kind}_account`).where('key', '=', this.accountKey(account, addressKey(ip))).execute();
  }

  private accountKey(account: string, address: string): string {
    return hashKey(`${account}\u0000${address}`);
  }

  /** Adds one to a counter (restarting an ended window) in one statement; answers seconds to wait when over the limit. */
  private async hit(scope: string, key: string, limit: Limit): Promise<number | null> {
    const { rows } = await sql<{ hits: number; wait_ms: number }>`
      INSERT INTO rate_limits (scope, key, hits, window_ends_at)
      VALUES (${scope}, ${key}, 1, now() + ${limit.windowMs} * interval '1 millisecond')
      ON CONFLICT (scope, key) DO UPDATE SET
        hits = CASE WHEN rate_limits.window_ends_at <= now() THEN 1 ELSE rate_limits.hits + 1 END,
        window_ends_at = CASE WHEN rate_limits.window_ends_at <= now() THEN excluded.window_ends_at ELSE rate_limits.window_ends_at END
      RETURNING hits, (extract(epoch FROM window_ends_at - now()) * 1000)::float8 AS wait_ms`.execute(this.db);
    const row = rows[0]!;
    return row.hits > limit.max ? Math.max(1, Math.ceil(row.wait_ms / 1000)) : null;
  }

  /** Deletes a few counters whose window ended a while ago; each attempt adds at most two, so the table stays small. */
  private async sweep(): Promise<void> {
    await sql`DELETE FROM rate_limits WHERE (scope, key) IN (
      SELECT scope, key FROM rate_limits WHERE window_ends_at < now() - interval '1 minute' LIMIT 20 FOR UPDATE SKIP LOCKED)`.execute(this.db);
  }
}

/** The 429 message for a refusal, in whole minutes. */
export function refusalMessage(refusal: Refusal, what: string): string {
  const minutes = Math.ceil(refusal.retryAfter / 60);
  const wait = minutes <= 1 ? 'a minute' : `${minutes} minutes`;
  return refusal.reason === 'address'
    ? `Too many ${what} attempts from this address; try again in ${wait}`
    : `Too many failed ${what} attempts for this account from this address; try again in ${wait}`;
}
