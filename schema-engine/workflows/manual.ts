import { z } from 'zod';
import { readableSheet, refusePreview, requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { getSheetRecord, requireRecordUpdate } from '../access/records.js';
import type { Engine } from '../engine.js';
import { EngineError, badRequest, notFound } from '../errors.js';
import { fetchRecords } from '../records/fetch.js';
import { ruleValues } from '../rules/check.js';
import { scopeEngine, transact } from '../transaction.js';
import { byName, clockData } from './steps/render.js';
import { stepHandler } from './steps/registry.js';
import type { StepContext } from './steps/types.js';
import { startRun } from './runs.js';
import { loadWorkflow } from './workflows.js';

/**
 * A button on the record page: starts the workflow's run on that record, acting as the one who pressed it, who must
 * be able to read the record (else it does not exist for them).
 */
export async function pressButton(engine: Engine, access: Access, sheetRef: string, recordId: string, workflowId: string): Promise<{ runId: string }> {
  refusePreview(access);
  const { sheet } = readableSheet(access, sheetRef);
  // A button acts on its record: pressing it takes the right to change that record (a viewer's is refused).
  await requireRecordUpdate(engine, access, sheet.id, recordId);
  const wf = await loadWorkflow(engine.db, access.workspaceId, workflowId).catch(() => {
    throw notFound(`Workflow "${workflowId}"`);
  });
  if (wf.trigger.type !== 'button' || wf.trigger.sheet !== sheet.id) throw notFound(`Button workflow "${workflowId}" of sheet "${sheet.name}"`);
  if (!wf.enabled) throw new EngineError('conflict', `The workflow "${wf.name}" is turned off`);
  const full = access.full.sheets.find((s) => s.id === sheet.id)!;
  // The values it starts from are the whole record (steps act with the presser's access, which still applies).
  const [record] = await fetchRecords(engine.db, access.full, full, [recordId]);
  const runId = await transact(engine.db, (trx) =>
    startRun(engine, trx, {
      workspaceId: access.workspaceId,
      workflowId: wf.id,
      version: wf.version,
      sheetId: sheet.id,
      recordId,
      depth: 1,
      actingUserId: access.userId,
      trigger: { record: ruleValues(full, record!), old: null, button: true },
    }),
  );
  return { runId: runId! };
}

/**
 * The buttons of a sheet's record page: its enabled `button` workflows, for anyone who reads the sheet (the label is
 * all they see; pressing one still takes the right to change the record).
 */
export async function listButtons(engine: Engine, access: Access, sheetRef: string): Promise<{ id: string; label: string }[]> {
  const { sheet } = readableSheet(access, sheetRef);
  const rows = await engine.db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.version'))
    .select(['w.id', 'v.trigger'])
    .where('w.workspace_id', '=', access.workspaceId)
    .where('w.deleted_at', 'is', null)
    .where('w.enabled', '=', true)
    .where('w.trigger_type', '=', 'button')
    .where('w.trigger_sheet_id', '=', sheet.id)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
  return rows.map((row) => ({ id: row.id, label: (row.trigger as { label: string }).label }));
}

export const testInputSchema = z.object({ recordId: z.string().min(1).max(40) }).strict();

export interface StepPreview {
  index: number;
  type: string;
  status: 'would_run' | 'skipped' | 'would_fail';
  would?: unknown;
  error?: string;
}

/** Thrown to roll back the test's transaction: whatever a plan did (it should do nothing) is undone. */
class RollBack extends Error {}

/**
 * What each step would do on a chosen record, doing nothing: every placeholder filled in, every condition evaluated,
 * recipients resolved; no write, mail or notification. It runs in a transaction that is always rolled back.
 */
export async function testWorkflow(engine: Engine, access: Access, workflowId: string, input: unknown): Promise<{ steps: StepPreview[] }> {
  requireDesign(access);
  const parsed = testInputSchema.safeParse(input);
  if (!parsed.success) throw badRequest('recordId: is required', { fields: { recordId: 'is required: the record to try the workflow on' } });
  const wf = await loadWorkflow(engine.db, access.workspaceId, workflowId);
  if (!('sheet' in wf.trigger)) throw badRequest('This workflow has no trigger sheet to pick a record from');
  const sheet = access.full.sheets.find((s) => s.id === (wf.trigger as { sheet: string }).sheet);
  if (!sheet) throw badRequest('The trigger sheet no longer exists');
  const record = await getSheetRecord(engine, access, sheet.id, parsed.data.recordId).catch((error: unknown) => {
    if (error instanceof EngineError && error.code === 'not_found') throw badRequest(`recordId: no record "${parsed.data.recordId}" in "${sheet.name}"`, { fields: { recordId: 'is not a record of the trigger sheet' } });
    throw error;
  });
  const values = { record: ruleValues(sheet, record), old: null };
  const user = await engine.db.selectFrom('users').select(['id', 'name', 'email']).where('id', '=', access.userId).executeTakeFirst();
  const { time_zone: zone } = await engine.db.selectFrom('workspaces').select('time_zone').where('id', '=', access.workspaceId).executeTakeFirstOrThrow();
  const previews: StepPreview[] = [];
  const now = new Date();
  await engine.db
    .transaction()
    .execute(async (trx) => {
      let stopped = false;
      for (const [index, step] of wf.steps.entries()) {
        if (stopped) {
          previews.push({ index, type: step.type, status: 'skipped' });
          continue;
        }
        const handler = stepHandler(step.type)!;
        const ctx: StepContext = {
          engine: scopeEngine(engine, trx),
          trx,
          access,
          run: { id: 'test', workflowId: wf.id, workflowName: wf.name, workspaceId: access.workspaceId, depth: 1, secret: wf.secret, zone },
          now,
          sheet,
          recordId: record.id,
          values,
          data: { record: byName(sheet, record.id, values.record), old: null, steps: {}, user: user ?? null, ...clockData(now, zone) },
          services: { mail: { queueMail: () => Promise.reject(new Error('a test run sends nothing')) } },
          path: String(index),
        };
        try {
          const plan = await handler.plan(step as never, ctx);
          previews.push({ index, type: step.type, status: 'would_run', would: handler.preview ? handler.preview(plan as never, ctx) : plan });
          if (step.type === 'condition' && !(plan as { passed: boolean }).passed) stopped = true;
        } catch (error) {
          previews.push({ index, type: step.type, status: 'would_fail', error: error instanceof Error ? error.message : String(error) });
          stopped = true;
        }
      }
      throw new RollBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return { steps: previews };
}
