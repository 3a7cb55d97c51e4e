import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { refusePreview } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { Database, Db } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, badRequest, notFound } from '../errors.js';
import { transact } from '../transaction.js';
import { queueRun } from './runs.js';

export interface ApprovalJson {
  id: string;
  workspaceId: string;
  workflowId: string;
  runId: string;
  sheetId: string | null;
  recordId: string | null;
  title: string;
  message: string;
  requestedAt: string;
}

/** Pending approvals the user is asked for, in the workspaces they are an active member of, oldest first. */
export async function listMyApprovals(db: Db, userId: string): Promise<ApprovalJson[]> {
  const rows = await db
    .selectFrom('approvals as a')
    .innerJoin('workspace_members as m', (j) => j.onRef('m.workspace_id', '=', 'a.workspace_id').on('m.user_id', '=', userId).on('m.active', '=', true))
    .select(['a.id', 'a.workspace_id', 'a.workflow_id', 'a.run_id', 'a.sheet_id', 'a.record_id', 'a.title', 'a.message', 'a.requested_at'])
    .where('a.status', '=', 'pending')
    .where(sql<boolean>`${userId} = ANY(a.approvers)`)
    .orderBy('a.requested_at')
    .orderBy('a.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    runId: r.run_id,
    sheetId: r.sheet_id,
    recordId: r.record_id,
    title: r.title,
    message: r.message,
    requestedAt: r.requested_at.toISOString(),
  }));
}

export const decisionSchema = z.object({ decision: z.enum(['approve', 'reject']), comment: z.string().max(2000).optional() }).strict();

/**
 * One of the approvers decides (403 for anyone else, 409 once decided): the approval step is done with the decision
 * as its output, and the run goes back on the queue, going on (approved) or running its rejection steps.
 */
export async function decideApproval(engine: Engine, access: Access, approvalId: string, input: unknown): Promise<ApprovalJson & { status: string; decidedBy: string; comment: string | null }> {
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || 'decision';
    throw badRequest(`${key}: ${key === 'decision' ? 'must be "approve" or "reject"' : issue.message}`, { fields: { [key]: key === 'decision' ? 'must be "approve" or "reject"' : issue.message } });
  }
  const { decision, comment } = parsed.data;
  refusePreview(access);
  return transact(engine.db, async (trx) => {
    const approval = /^apr[a-z0-9]{12}$/.test(approvalId)
      ? await trx.selectFrom('approvals').selectAll().where('id', '=', approvalId).where('workspace_id', '=', access.workspaceId).forUpdate().executeTakeFirst()
      : undefined;
    if (!approval) throw notFound(`Approval "${approvalId}"`);
    if (!approval.approvers.includes(access.userId)) throw new EngineError('forbidden', 'You are not one of the approvers of this request');
    if (approval.status !== 'pending') throw new EngineError('conflict', `This request was already decided (${approval.status})`);
    const status = decision === 'approve' ? 'approved' : 'rejected';
    const now = new Date();
    await trx.updateTable('approvals').set({ status, decided_by: access.userId, decided_at: now, comment: comment ?? null }).where('id', '=', approval.id).execute();
    const output = { approvalId: approval.id, approvers: approval.approvers, message: approval.message, decision: status, by: access.userId, comment: comment ?? null };
    await trx
      .updateTable('workflow_run_steps')
      .set({ status: 'succeeded', finished_at: now, output: JSON.stringify(output) })
      .where('run_id', '=', approval.run_id)
      .where('path', '=', approval.step_path)
      .where('status', '=', 'waiting')
      .execute();
    const resumed = await trx.updateTable('workflow_runs').set({ status: 'queued' }).where('id', '=', approval.run_id).where('status', '=', 'waiting').executeTakeFirst();
    if (Number(resumed.numUpdatedRows)) await queueRun(engine, trx, approval.run_id);
    return {
      id: approval.id,
      workspaceId: approval.workspace_id,
      workflowId: approval.workflow_id,
      runId: approval.run_id,
      sheetId: approval.sheet_id,
      recordId: approval.record_id,
      title: approval.title,
      message: approval.message,
      requestedAt: approval.requested_at.toISOString(),
      status,
      decidedBy: access.userId,
      comment: comment ?? null,
    };
  });
}

/** Pending approvals of a run end with it (cancelled, its workflow deleted). */
export async function cancelApprovals(trx: Transaction<Database>, runIds: string[]): Promise<void> {
  if (!runIds.length) return;
  await trx.updateTable('approvals').set({ status: 'cancelled', decided_at: new Date() }).where('run_id', 'in', runIds).where('status', '=', 'pending').execute();
}

