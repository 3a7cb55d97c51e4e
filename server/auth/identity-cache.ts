import { TtlCache } from './ttl-cache.js';

export interface AuthUser {
  id: string;
  name: string;
  email: string;
}

/** What signed a request in: a session (by its public id) or an API token (by its id). */
export interface Credential {
  kind: 'session' | 'token';
  id: string;
}

export interface Identity {
  user: AuthUser;
  credential: Credential;
  expiresAt: Date | null;
  /** When the credential's last use was written (lastSeenAt / lastUsedAt), to write it at most once a minute. */
  lastSeenAt: Date | null;
}

/**
 * Who each credential is, kept briefly since it is asked on every request. A revocation drops the user's entries at
 * once, and a lookup that started before a revocation does not store its (possibly stale) answer.
 */
export class IdentityCache {
  private readonly entries: TtlCache<string, Identity>;
  private revocations = 0;

  constructor(ttlMs: number) {
    this.entries = new TtlCache(ttlMs);
  }

  get(key: string): Identity | undefined {
    const identity = this.entries.get(key);
    if (identity?.expiresAt && identity.expiresAt.getTime() <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return identity;
  }

  /** A mark to hand back to `set`: taken before the database is asked. */
  mark(): number {
    return this.revocations;
  }

  set(key: string, identity: Identity, mark: number): void {
    if (mark === this.revocations) this.entries.set(key, identity);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every credential of a user (a session or token of theirs was revoked, or their password changed). */
  dropUser(userId: string): void {
    this.revocations++;
    this.entries.deleteWhere((identity) => identity.user.id === userId);
  }

  clear(): void {
    this.revocations++;
    this.entries.clear();
  }
}
