import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Engine } from '../schema-engine/index.js';
import { Attempts, DEFAULT_ATTEMPT_LIMITS, type AttemptLimits } from './auth/attempts.js';
import { authenticate } from './auth/authenticate.js';
import { registerCsrfProtection } from './auth/csrf.js';
import { IdentityCache } from './auth/identity-cache.js';
import { DEFAULT_MAIL_FROM } from './config.js';
import type { AppContext } from './context.js';
import { registerErrorHandling } from './errors.js';
import { Mailer } from './mail/mailer.js';
import { registerSchemaRetry } from './schema-retry.js';
import { registerStaticClient } from './static-client.js';
import { clientErrorHandler, registerInputGuards } from './input/guards.js';
import { attachmentRoutes } from './routes/attachments.js';
import { accountRoutes } from './routes/account.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { recordRoutes } from './routes/records.js';
import { exportRoutes } from './routes/export.js';
import { ruleRoutes } from './routes/rules.js';
import { viewRoutes } from './routes/views.js';
import { summaryRoutes } from './routes/summaries.js';
import { formRoutes } from './routes/forms.js';
import { publicFormRoutes } from './routes/public-forms.js';
import { conversionRoutes } from './routes/conversions.js';
import { documentRoutes } from './routes/documents.js';
import { sheetRoutes } from './routes/sheets.js';
import { templateRoutes } from './routes/templates.js';
import { invitationRoutes } from './routes/invitations.js';
import { teamRoutes } from './routes/team.js';
import { tokenRoutes } from './routes/tokens.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { trashRoutes } from './routes/trash.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { workflowRoutes } from './routes/workflows.js';
import { webhookRoutes } from './routes/webhooks.js';
import { importRoutes } from './routes/imports.js';
import { workspaceOpenApiRoutes } from './routes/openapi.js';
import { backupRoutes } from './routes/backup.js';

export interface AppOptions {
  engine: Engine;
  dataDir: string;
  logLevel?: string;
  /** Believe X-Forwarded-* from a reverse proxy (https for Secure cookies, client address for rate limits). */
  trustProxy?: boolean;
  /** Built client to serve at /, if present. */
  clientDir?: string;
  /** Public form submissions and password attempts per client address per minute (default 20). */
  publicFormRateLimit?: number;
  /** Sign-in and password change attempts allowed per address and per account and address (server/auth/attempts.ts). */
  attemptLimits?: Partial<AttemptLimits>;
  /** Default: mail is kept, not sent. */
  mailer?: Mailer;
  /** PUBLIC_URL, the start of links in mails. */
  publicUrl?: string;
}

/** A batch of 1000 records fits; a 10 MB body is refused with 413. */
export const BODY_LIMIT = 8 * 1024 * 1024;
/**
 * Sessions and memberships are re-read at most this often. A revoked session or token does not linger: revocations
 * drop the cached entries here and, through a NOTIFY (server/auth/revocation.ts), on every server.
 */
export const IDENTITY_TTL_MS = 10_000;

/** The headers helmet sets with our options, collected from one run of its middleware. */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => {},
  };
  const middleware = helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], styleSrc: ["'self'", "'unsafe-inline'"] } },
  });
  middleware({} as IncomingMessage, collect as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'warn' },
    // Requests are not logged one by one (LOG_LEVEL=info would log every read); errors still are.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: BODY_LIMIT,
    // Lets the server parse a sheet or field name in the path, up to its 255 characters URL-encoded.
    routerOptions: { maxParamLength: 2000 },
    // A URL over Node's 16 KB answers a JSON 431 that points to POST …/records/query.
    clientErrorHandler,
  });
  const ctx: AppContext = {
    engine: options.engine,
    dataDir: options.dataDir,
    identities: new IdentityCache(IDENTITY_TTL_MS),
    attempts: new Attempts(options.engine.db, { ...DEFAULT_ATTEMPT_LIMITS, ...options.attemptLimits }),
    mailer: options.mailer ?? new Mailer({ from: DEFAULT_MAIL_FROM }),
    publicUrl: options.publicUrl,
  };
  app.decorate('ctx', ctx);
  app.decorateRequest('user', null);
  app.decorateRequest('credential', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // Before any route: each workspace route is wrapped to run again when the catalog changed under it.
  registerSchemaRetry(app, options.engine);
  registerInputGuards(app);

  // Security headers (CSP and friends) from helmet, computed once (they depend on no request) and handed to the reply,
  // which writes them with its own headers: helmet's middleware set each one on the raw response, per request.
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  // Before anything reads the body or the session: a cross-site write is refused unread.
  registerCsrfProtection(app);
  await app.register(cookie);
  await app.register(multipart);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: { info: { title: 'CRM builder API', version: '0.1.0', description: 'See API.md and README.md' } },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const identity = await authenticate(ctx, request);
    request.user = identity?.user ?? null;
    request.credential = identity?.credential ?? null;
  });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(passwordResetRoutes);
  await app.register(tokenRoutes);
  await app.register(workspaceRoutes);
  await app.register(backupRoutes);
  await app.register(sheetRoutes);
  await app.register(recordRoutes);
  await app.register(exportRoutes);
  await app.register(ruleRoutes);
  await app.register(viewRoutes);
  await app.register(summaryRoutes);
  await app.register(formRoutes);
  await app.register(conversionRoutes);
  await app.register(documentRoutes);
  await app.register(publicFormRoutes, { rateLimit: options.publicFormRateLimit ?? 20 });
  await app.register(trashRoutes);
  await app.register(attachmentRoutes);
  await app.register(templateRoutes);
  await app.register(teamRoutes);
  await app.register(invitationRoutes);
  await app.register(workflowRoutes);
  await app.register(webhookRoutes);
  await app.register(importRoutes);
  await app.register(workspaceOpenApiRoutes);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerStaticClient(app, options.clientDir ?? path.resolve('dist/client'));
  return app;
}
