import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../../server/app.js';
import { createDb, createPool } from '../../server/database.js';
import { jobQueue } from '../../server/jobs/enqueue.js';
import type { JobRunner } from '../../server/jobs/runner.js';
import type { TaskContext } from '../../server/jobs/task.js';
import { Mailer } from '../../server/mail/mailer.js';
import { createEngine, INDEX_BUILD_TASK, type Database, type Engine } from '../../schema-engine/index.js';
import { adminQuery, TEMPLATE_DB, withDatabase } from './postgres.js';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** A signed-in HTTP client of the app (through app.inject, no sockets). */
export interface Client {
  request<T = any>(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  get<T = any>(url: string): Promise<Response<T>>;
  post<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  patch<T = any>(url: string, body?: unknown): Promise<Response<T>>;
  delete<T = any>(url: string): Promise<Response<T>>;
}

export interface TestServer {
  app: FastifyInstance;
  db: Kysely<Database>;
  engine: Engine;
  /** Sends through `smtpUrl` when given, else keeps mail. */
  mailer: Mailer;
  /** The job runner, with `jobs: true`. */
  jobs: JobRunner | undefined;
  databaseUrl: string;
  /** DATA_DIR of the app and the job runner (uploaded files). */
  dataDir: string;
  anonymous: Client;
  /** Runs first-run setup and answers the owner's client and first workspace id. */
  setup(email?: string): Promise<{ client: Client; workspaceId: string; userId: string }>;
  /**
   * Runs the index builds that schema changes (and repairs) queued so far, here, and waits for those a runner has
   * taken: the sheets' indexes as they are once the queue has done its work. Throws the error of a build that failed.
   */
  buildIndexes(): Promise<void>;
  /** Signs up another user (directly in the database) and answers their client. */
  signIn(email: string, password: string): Promise<Client>;
  close(): Promise<void>;
}

export function clientOf(app: FastifyInstance, cookie?: string): Client {
  const request = async (method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method,
      url,
      ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    const type = String(response.headers['content-type'] ?? '');
    return { status: response.statusCode, body: type.includes('json') ? response.json() : response.body, headers: response.headers };
  };
  return {
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body) => request('PATCH', url, body ?? {}),
    delete: (url) => request('DELETE', url),
  };
}

export function sessionCookie(headers: Record<string, unknown>): string {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const found = list.map(String).find((c) => c.startsWith('crm_session='));
  if (!found) throw new Error('no session cookie in response');
  return found.split(';')[0]!;
}

/** A fresh database copied from the migrated template, and the app on it. */
export async function startTestServer(
  options: {
    trustProxy?: boolean;
    clientDir?: string;
    publicFormRateLimit?: number;
    attemptLimits?: AppOptions['attemptLimits'];
    /**
     * Runs a job runner on this database (polling for due jobs every 250 ms). Without it jobs are still added, in
     * their transactions, and stay queued: a test that does not run jobs pays nothing for them.
     */
    jobs?: boolean;
    smtpUrl?: string;
    mailFrom?: string;
    /** PUBLIC_URL: the start of links in mails. */
    publicUrl?: string;
    /** WEBHOOK_ALLOW_HOSTS of the job runner. */
    webhookAllowHosts?: string[];
  } = {},
): Promise<TestServer> {
  const adminUrl = inject('pgAdminUrl');
  const name = `crm_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  const databaseUrl = withDatabase(adminUrl, name);
  const pool = createPool(databaseUrl, 10);
  const db = createDb(pool);
  const log = process.env.TEST_LOG_LEVEL ? (m: string) => console.error(m) : () => {};
  const engine = createEngine(db, () => {}, jobQueue);
  const mailer = new Mailer({ smtpUrl: options.smtpUrl, from: options.mailFrom ?? 'CRM <no-reply@localhost>' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-files-'));
  const context: TaskContext = { engine, mailer, webhookAllowHosts: new Set(options.webhookAllowHosts ?? []), dataDir };
  // Imported only here: a test without jobs does not load graphile-worker.
  const runner = () => import('../../server/jobs/runner.js');
  const jobs = options.jobs ? await (await runner()).startJobRunner({ databaseUrl, context, log, concurrency: 2, pollInterval: 250 }) : undefined;
  const app = await buildApp({ engine, dataDir, logLevel: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent', clientDir: options.clientDir ?? '/nonexistent', trustProxy: options.trustProxy ?? false, publicFormRateLimit: options.publicFormRateLimit ?? 1000, attemptLimits: options.attemptLimits, mailer, publicUrl: options.publicUrl });
  const anonymous = clientOf(app);
  return {
    app,
    db,
    engine,
    mailer,
    jobs,
    databaseUrl,
    dataDir,
    anonymous,
    async setup(email = 'owner@example.com') {
      const res = await anonymous.post('/api/setup', { email, password: 'correct horse', name: 'Owner' });
      if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { client: clientOf(app, sessionCookie(res.headers)), workspaceId: res.body.workspace.id, userId: res.body.user.id };
    },
    async buildIndexes() {
      const { runDueJobs } = await runner();
      for (;;) {
        await runDueJobs(pool, context, [INDEX_BUILD_TASK], log);
        // A job replaced while it ran has lost its key: only a running one of those is waited for.
        const { rows } = await sql<{ running: boolean; error: string | null }>`
          SELECT locked_at IS NOT NULL AS running, last_error AS error FROM graphile_worker.jobs
          WHERE task_identifier = ${INDEX_BUILD_TASK} AND (key IS NOT NULL OR locked_at IS NOT NULL)`.execute(db);
        if (!rows.length) return;
        const failed = rows.find((r) => !r.running && r.error);
        if (failed) throw new Error(`an index build failed: ${failed.error}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async signIn(email, password) {
      const res = await anonymous.post('/api/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return clientOf(app, sessionCookie(res.headers));
    },
    async close() {
      await app.close();
      await jobs?.stop();
      await mailer.close();
      await db.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
