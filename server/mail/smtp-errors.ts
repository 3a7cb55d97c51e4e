/**
 * What a failed SMTP attempt means for the mail:
 * - `retry`: the server did not take it: it answered 4xx (or 503, a bad command sequence), or was never reached.
 * - `permanent`: it answered 5xx (a rejected recipient, a failed login, a message refused), or nodemailer refused
 *   the mail before sending: trying again would fail the same way.
 * - `unknown`: the connection ended or timed out mid-conversation with no answer. If that was after the message's
 *   last line, the server may have accepted it, and a retry could deliver it twice.
 */
export type SmtpVerdict = 'retry' | 'permanent' | 'unknown';

/** The fields nodemailer puts on its errors (smtp-connection `_formatError`). */
interface NodemailerError {
  code?: string;
  responseCode?: number;
  command?: string;
  /** The system error under nodemailer's code: ECONNREFUSED under ESOCKET. */
  originalCode?: string;
  timeoutType?: string;
}

/** The connection never got to SMTP: nothing of the mail left this process. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);
const BEFORE_SMTP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'DNS_TIMEOUT']);

export function smtpVerdict(error: unknown): SmtpVerdict {
  const e: NodemailerError = typeof error === 'object' && error !== null ? error : {};
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode !== 503 ? 'permanent' : 'retry';
  if (e.code === 'EDNS' || e.code === 'ETLS' || e.code === 'EPROXY') return 'retry';
  if (e.timeoutType && BEFORE_SMTP_TIMEOUTS.has(e.timeoutType)) return 'retry';
  if (e.originalCode && NOT_CONNECTED.has(e.originalCode)) return 'retry';
  // Refused by nodemailer before anything was sent (missing credentials, an empty message), but for a connection
  // found closed before the command was written.
  if (e.command === 'API') return e.code === 'ECONNECTION' ? 'retry' : 'permanent';
  return 'unknown';
}

/** An error as kept on the mail row: the server's answer is in nodemailer's message. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1000 ? `${message.slice(0, 1000)}…` : message;
}
