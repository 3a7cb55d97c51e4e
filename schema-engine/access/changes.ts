import { sql, type Transaction } from 'kysely';
import type { Database } from '../db.js';
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
