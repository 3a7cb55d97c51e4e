import { sql } from 'kysely';
import { ownerField } from '../../access/scope.js';
import { newId } from '../../ids.js';
import { sheetTable } from '../../records/columns.js';
import type { StoredStep } from '../model.js';
import { checkTemplate, displayFieldMap, fieldRefOf, invalid } from '../resolve.js';
import { resolvePeople } from './people.js';
import { renderText } from './render.js';
import { StepError, type StepContext, type StepHandler } from './types.js';

type Approval = Extract<StoredStep, { type: 'approval' }>;

/** The managers of the teams of the trigger record's owner (its owner field, else its creator). */
async function managers(ctx: StepContext): Promise<string[]> {
  if (!ctx.sheet || !ctx.recordId) throw new StepError('"manager" needs a trigger record');
  const owner = ownerField(ctx.sheet);
  let ownerId = owner ? (ctx.values.record[owner.id] as { id?: string } | null)?.id : undefined;
  if (!owner) {
    const { rows } = await sql<{ created_by: string | null }>`SELECT created_by FROM ${sheetTable(ctx.access.full, ctx.sheet)} WHERE id = ${ctx.recordId}`.execute(ctx.trx);
    ownerId = rows[0]?.created_by ?? undefined;
  }
  if (!ownerId) throw new StepError('"manager": the record has no owner');
  const { rows } = await sql<{ manager_id: string }>`
    SELECT DISTINCT t.manager_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
    JOIN workspace_members m ON m.workspace_id = t.workspace_id AND m.user_id = t.manager_id AND m.active
    WHERE tm.workspace_id = ${ctx.run.workspaceId} AND tm.user_id = ${ownerId} AND t.manager_id IS NOT NULL
    ORDER BY t.manager_id`.execute(ctx.trx);
  if (!rows.length) throw new StepError('"manager": no team of the record\'s owner has a manager');
  return rows.map((r) => r.manager_id);
}

interface Plan {
  approvers: string[];
  message: string;
  title: string;
  lockFields: string[];
}

/**
 * Asks for a decision and makes the run wait for it (approvals.ts takes it and puts the run back on the queue).
 * Meanwhile the locked fields of the trigger record cannot be changed, by anyone (locks.ts, in the write path).
 */
export const approvalStep: StepHandler<Approval, Plan> = {
  type: 'approval',
  resolve(input, ctx) {
    input.approvers.forEach((a, i) => checkTemplate(a, `${ctx.path}.approvers.${i}`));
    checkTemplate(input.message, `${ctx.path}.message`);
    const lockFields = (input.lockFields ?? []).map((ref, i) => {
      if (!ctx.sheet) throw invalid(`${ctx.path}.lockFields`, 'needs a trigger with a sheet');
      return fieldRefOf(ctx.sheet, ref, `${ctx.path}.lockFields.${i}`);
    });
    const onReject = ctx.resolveSteps(input.onReject ?? [], `${ctx.path}.onReject`);
    if (onReject.some((s) => s.type === 'approval')) throw invalid(`${ctx.path}.onReject`, 'cannot hold another approval');
    return { type: 'approval', approvers: input.approvers, lockFields: [...new Set(lockFields)], message: input.message, onReject };
  },
  display: (stored, ctx) => ({
    type: 'approval',
    approvers: stored.approvers,
    lockFields: Object.keys(displayFieldMap(ctx.sheet, Object.fromEntries(stored.lockFields.map((id) => [id, true])))),
    message: stored.message,
    onReject: ctx.displaySteps(stored.onReject),
  }),
  async plan(stored, ctx) {
    const ids = new Set<string>();
    const others = stored.approvers.filter((a) => a.trim().toLowerCase() !== 'manager');
    if (others.length !== stored.approvers.length) for (const id of await managers(ctx)) ids.add(id);
    if (others.length) for (const person of await resolvePeople(others, ctx)) ids.add(person.id);
    const primary = ctx.sheet?.fields.find((f) => f.id === ctx.sheet?.primaryFieldId);
    const name = primary ? ctx.values.record[primary.id] : undefined;
    const title = `${ctx.run.workflowName}${name !== undefined && name !== null ? `: ${String(name)}` : ''}`.slice(0, 500);
    return { approvers: [...ids], message: renderText(stored.message, ctx.data).slice(0, 2000), title, lockFields: stored.lockFields };
  },
  async execute(plan, ctx) {
    const id = newId('apr');
    await ctx.trx
      .insertInto('approvals')
      .values({
        id,
        workspace_id: ctx.run.workspaceId,
        workflow_id: ctx.run.workflowId,
        run_id: ctx.run.id,
        step_path: ctx.path,
        sheet_id: ctx.sheet?.id ?? null,
        record_id: ctx.recordId,
        title: plan.title,
        message: plan.message,
        approvers: plan.approvers,
        lock_fields: plan.lockFields,
        status: 'pending',
      })
      .execute();
    // Each approver hears of it in the app (the bell), besides the pending list.
    const link = ctx.sheet && ctx.recordId ? `/w/${ctx.run.workspaceId}/s/${ctx.sheet.id}/r/${ctx.recordId}` : null;
    await ctx.trx
      .insertInto('notifications')
      .values(plan.approvers.map((userId) => ({ id: newId('ntf'), user_id: userId, workspace_id: ctx.run.workspaceId, message: `${plan.title}: ${plan.message}`.slice(0, 2000), link, run_id: ctx.run.id })))
      .execute();
    return { output: { approvalId: id, approvers: plan.approvers, message: plan.message }, wait: true };
  },
  preview: (plan, ctx) => ({ approvers: plan.approvers, message: plan.message, lockFields: Object.keys(displayFieldMap(ctx.sheet, Object.fromEntries(plan.lockFields.map((id) => [id, true])))) }),
};
