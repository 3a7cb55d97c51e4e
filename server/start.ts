import type { FastifyInstance } from 'fastify';
import { migrateToLatest } from '../migrations/index.js';
import { createEngine, repairSearchIndexes, repairSortIndexes, settle } from '../schema-engine/index.js';
import { buildApp } from './app.js';
import { onAuthNotification } from './auth/revocation.js';
import { listenForCatalogChanges } from './catalog-listener.js';
import type { Config } from './config.js';
import { createDb, createPool } from './database.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Database (external or embedded), migrations, the app, and an orderly shutdown of all of it. */
export async function startServer(config: Config, log: (m: string) => void = console.log): Promise<RunningServer> {
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.dataDir, config.EMBEDDED_PG_PORT, log);
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  const pool = createPool(databaseUrl, 20, (error) => log(`database connection lost: ${error.message}`));
  const db = createDb(pool);
  await migrateToLatest(db);
  const engine = createEngine(db);
  const repairing = await repairSearchIndexes(engine);
  if (repairing) log(`building ${repairing} search index(es) missing, left unfinished by an earlier run or kept per field by an earlier version`);
  const sorting = await repairSortIndexes(engine);
  if (sorting) log(`building ${sorting} primary field sort index(es) missing from earlier versions or runs`);
  const app = await buildApp({ engine, dataDir: config.dataDir, logLevel: config.LOG_LEVEL, trustProxy: config.TRUST_PROXY });
  // Listening starts before the app serves anything, so no change of another server goes unseen.
  const stopListening = await listenForCatalogChanges(databaseUrl, engine, onAuthNotification(app.ctx));
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  return {
    app,
    url: address,
    databaseUrl,
    async close() {
      await app.close();
      await settle(engine);
      await stopListening();
      await db.destroy();
      await embedded?.stop();
    },
  };
}
