import type {} from '@fastify/cookie';
import type { Engine, MemberRole } from '../schema-engine/index.js';
import type { AuthUser } from './auth/authenticate.js';
import type { TtlCache } from './auth/ttl-cache.js';

/** What route handlers share, built once by buildApp. */
export interface AppContext {
  readonly engine: Engine;
  readonly dataDir: string;
  readonly identities: TtlCache<string, AuthUser>;
  readonly memberships: TtlCache<string, MemberRole | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
}
