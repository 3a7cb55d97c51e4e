import type {} from '@fastify/cookie';
import type { Engine } from '../schema-engine/index.js';
import type { Attempts } from './auth/attempts.js';
import type { AuthUser, Credential, IdentityCache } from './auth/identity-cache.js';

/** What route handlers share, built once by buildApp. */
export interface AppContext {
  readonly engine: Engine;
  readonly dataDir: string;
  readonly identities: IdentityCache;
  /** Password attempt counters (sign-in, password change), in PostgreSQL. */
  readonly attempts: Attempts;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    user: AuthUser | null;
    /** The session or API token that signed the request in. */
    credential: Credential | null;
  }
}
