import { sql } from 'kysely';
import type { Db, MailStatus } from '../../schema-engine/index.js';

export interface MailJson {
  id: string;
  workspaceId: string | null;
  kind: string;
  refId: string | null;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface MailFilter {
  workspaceId?: string;
  status?: MailStatus;
  kind?: string;
  refId?: string;
  /** Mails with this address among their recipients. */
  to?: string;
  /** At most this many, newest first (default 100). */
  limit?: number;
}

/**
 * Mails as written, newest first: without SMTP the only way to get at them (an invitation's link shown to the admin,
 * a reset link read by a test or an operator).
 */
export async function listMails(db: Db, filter: MailFilter = {}): Promise<MailJson[]> {
  let query = db.selectFrom('mails').selectAll();
  if (filter.workspaceId !== undefined) query = query.where('workspace_id', '=', filter.workspaceId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.refId !== undefined) query = query.where('ref_id', '=', filter.refId);
  if (filter.to !== undefined) query = query.where(sql<boolean>`${filter.to} = ANY(to_addresses)`);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    refId: row.ref_id,
    from: row.from_address,
    to: row.to_addresses,
    cc: row.cc_addresses,
    subject: row.subject,
    text: row.text,
    html: row.html,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  }));
}
