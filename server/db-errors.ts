/**
 * What a database error means for the request that met it. Connection losses (the backend terminated, the server
 * restarting or unreachable) are the database's, not the request's: 503, try again. Errors of SQL that does not fit
 * the tables are a stale catalog's, when the catalog changed meanwhile (server/schema-retry.ts decides that).
 */

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** SQLSTATEs of a lost or refused connection besides class 08 (connection exception). */
const CONNECTION_STATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '57014', // query_canceled: pg_cancel_backend
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** pg and pg-pool say these in words only. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
];

/** The error and its causes, outermost first. */
function* chain(error: unknown): Generator<ErrorLike> {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as ErrorLike).cause, depth++) yield e as ErrorLike;
}

export function isConnectionLoss(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code.startsWith('08') || CONNECTION_STATES.has(code) || NETWORK_CODES.has(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}

/**
 * SQL that no longer fits its table: a column or table gone (42703, 42P01), a value, operator or function of the
 * column's old type (42804 datatype_mismatch, 42883 undefined_function, 42846 cannot_coerce, 22P02 invalid text
 * representation, and the rest of classes 42 and 22), a cached plan whose result type changed (0A000) or a catalog
 * lookup that raced the DDL (XX000). Seen replaying the race: 42804, 42883, 22P02. Genuine bugs raise these too,
 * which is why a change of the catalog's version must confirm it.
 */
export function isTableMismatch(error: unknown): boolean {
  const code = (error as ErrorLike | undefined)?.code;
  if (typeof code !== 'string' || code.length !== 5) return false;
  return code.startsWith('42') || code.startsWith('22') || code === '0A000' || code === 'XX000';
}

/** A deadlock or serialization failure: the transaction was undone and may simply be tried again. */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as ErrorLike | undefined)?.code;
  return code === '40P01' || code === '40001';
}
