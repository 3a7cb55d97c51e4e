import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema-engine/index.js';

const DATE_OID = 1082;

/** Dates stay 'YYYY-MM-DD' strings (no time zone shifts); the session runs in UTC. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function createPool(connectionString: string, max = 10, onError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types, options: '-c TimeZone=UTC', application_name: 'crm' });
  // An idle connection dropped by the server (restart, failover) is replaced on next use; it must not crash the app.
  pool.on('error', onError);
  return pool;
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
