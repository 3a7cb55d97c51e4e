import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db.js';
import type { Engine } from '../engine.js';
import { transact } from '../transaction.js';
import type { Access } from './model.js';

/** Every server caches memberships for a few seconds; a change of members, roles or teams is announced here. */
export const ACCESS_CHANNEL = 'crm_access';

export interface AuditTarget {
  kind: string;
  id: string | null;
  name: string | null;
}

/** One entry of the workspace's audit log, written in the transaction of the change it records. */
export async function audit(trx: Transaction<Database>, access: Pick<Access, 'workspaceId' | 'userId'>, action: string, target: AuditTarget, before: unknown, after: unknown): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      workspace_id: access.workspaceId,
      by: access.userId,
      action,
      target_kind: target.kind,
      target_id: target.id,
      target_name: target.name,
      before: before === undefined ? null : JSON.stringify(before),
      after: after === undefined ? null : JSON.stringify(after),
    })
    .execute();
}

/**
 * One entry in every workspace the user is an active member of: for a change that belongs to the user rather than to
 * a workspace (an API token acts in all of them, so each workspace's admins see it made and revoked).
 */
export async function auditUserChange(trx: Db, userId: string, action: string, target: AuditTarget, before: unknown, after: unknown): Promise<void> {
  await sql`INSERT INTO audit_log (workspace_id, by, action, target_kind, target_id, target_name, before, after)
    SELECT m.workspace_id, ${userId}, ${action}, ${target.kind}, ${target.id}, ${target.name},
      ${before === undefined ? null : JSON.stringify(before)}::jsonb, ${after === undefined ? null : JSON.stringify(after)}::jsonb
    FROM workspace_members m WHERE m.user_id = ${userId} AND m.active`.execute(trx);
}

/**
 * A change of who may do what (members, roles, teams): made in one transaction with its audit entry and a NOTIFY
 * (sent on commit), then this server's cached memberships of the workspace are dropped at once; the others drop
 * theirs when the NOTIFY reaches them.
 */
export async function changeAccess<T>(engine: Engine, access: Access, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await transact(engine.db, async (trx) => {
      const result = await work(trx);
      await sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${access.workspaceId})`.execute(trx);
      return result;
    });
  } finally {
    engine.members.invalidate(access.workspaceId);
  }
}
