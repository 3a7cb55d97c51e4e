import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema-engine/index.js';

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

export function createPool(connectionString: string, max = 10, onError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types, options: SESSION_OPTIONS, application_name: 'crm' });
  // An idle connection dropped by the server (restart, failover) is replaced on next use; it must not crash the app.
  pool.on('error', onError);
  return pool;
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
