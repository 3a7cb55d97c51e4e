import { Kysely, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema-engine/index.js';
import { noteCommit } from './attempt.js';

const DATE_OID = 1082;

/** Dates stay 'YYYY-MM-DD' strings (no time zone shifts); the session runs in UTC. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Settings of every session. The planner's default random_page_cost (4) prices a page read out of order as four read
 * in order, as on a spinning disk; a CRM's sheets are read from memory (or SSD), where they cost about the same. At 4
 * the planner reads the rows of a sheet in id order to fill a page of a search matching a few hundred rows, where
 * their trigram index would find them in a fraction of the time (query/search-text.ts).
 */
export const SESSION_OPTIONS = '-c TimeZone=UTC -c random_page_cost=1.1';

/** The pool's sessions show as this in pg_stat_activity. */
export const APPLICATION_NAME = 'crm';

/**
 * A connection can die at any time (pg_terminate_backend, a database restart or failover, the network). pg-pool
 * listens for that only while a client is idle; a client checked out (in a transaction, or idle in one) whose
 * connection dies emits 'error' with no listener, which would crash the process. So every client gets a listener
 * of its own for its whole life: the query in flight fails (the request answers 503, server/errors.ts), the client
 * is no longer queryable, and pg-pool drops it when it is released and connects a new one when next needed.
 */
export function createPool(connectionString: string, max = 10, onError: (error: Error) => void = () => {}, applicationName = APPLICATION_NAME): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types, options: SESSION_OPTIONS, application_name: applicationName });
  const reported = new WeakSet<pg.Client>();
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      // A terminated backend says so (57P01), then its socket closes ("Connection terminated unexpectedly"): one report.
      if (reported.has(client)) return;
      reported.add(client);
      onError(error);
    });
  });
  // The idle client's loss, already reported by its own listener above; pg-pool has removed it from the pool.
  pool.on('error', () => {});
  return pool;
}

/** Notes each commit in the request's attempt: a handler that committed is never run again (server/schema-retry.ts). */
class CommitNotingDriver extends PostgresDriver {
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    noteCommit();
  }
}

class AppDialect extends PostgresDialect {
  constructor(private readonly settings: PostgresDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new CommitNotingDriver(this.settings);
  }
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new AppDialect({ pool }) });
}
