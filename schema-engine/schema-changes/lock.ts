import { sql, type Transaction } from 'kysely';
import type { Database } from '../db.js';
import { EngineError } from '../errors.js';
import { holdOffIndexBuilds } from './index-builds.js';

/** How long a schema change waits for a busy table before answering 409 instead of hanging. */
const LOCK_TIMEOUT = '3s';

/**
 * Serializes schema changes per workspace for the rest of the transaction (taking it again in the same transaction
 * is free), holds off the workspace's index builds (index-builds.ts: a build running throws, for `afterIndexBuilds`
 * to begin the transaction again), and makes any wait for a busy table end after LOCK_TIMEOUT.
 */
export async function lockWorkspace(trx: Transaction<Database>, workspaceId: string): Promise<void> {
  await sql`SET LOCAL lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx);
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`crm:ws:${workspaceId}`}))`.execute(trx);
  await holdOffIndexBuilds(trx, workspaceId);
}

/**
 * Takes a sheet's table from writers (and readers) for the rest of a type change, before its values are read: a row
 * committed between reading the values (the preview, the choices a select is made of) and converting them would be
 * converted against choices that lack its value. Writers wait, then find the new catalog (catalog/current.ts).
 */
export async function lockTable(trx: Transaction<Database>, schema: string, table: string): Promise<void> {
  await sql`LOCK TABLE ${sql.id(schema, table)} IN ACCESS EXCLUSIVE MODE`.execute(trx);
}

/** A lock wait that timed out or a deadlock, as the 409 a user can act on; anything else as it is. */
export function busyError(error: unknown): unknown {
  const { code } = error as { code?: string };
  if (code === '55P03') return new EngineError('busy', 'The sheet is busy with other work right now; nothing was changed. Try again in a moment.');
  if (code === '40P01') return new EngineError('busy', 'Another change got in the way; nothing was changed. Try again.');
  return error;
}
