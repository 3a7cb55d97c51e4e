import type {} from '@fastify/cookie';
import type { Engine } from '../schema-engine/index.js';
import type { Attempts } from './auth/attempts.js';
import type { Mailer } from './mail/mailer.js';
import type { AuthUser, Credential, IdentityCache } from './auth/identity-cache.js';

/** What route handlers share, built once by buildApp. */
export interface AppContext {
  readonly engine: Engine;
  readonly dataDir: string;
  readonly identities: IdentityCache;
  /** Password attempt counters (sign-in, password change), in PostgreSQL. */
  readonly attempts: Attempts;
  /** Writes mails in a caller's transaction: sent by the job queue, or kept without SMTP_URL (server/mail/). */
  readonly mailer: Mailer;
  /** PUBLIC_URL: where links in mails point (server/mail/messages.ts appLink); unset, the request's own origin. */
  readonly publicUrl?: string;
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
