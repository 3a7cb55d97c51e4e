import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { audit } from '../access/changes.js';
import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, notFound } from '../errors.js';
import { isCatalogId, newId } from '../ids.js';
import { changeCatalog } from '../transaction.js';
import { workflowInputSchema, workflowPatchSchema, type StepInput, type StoredStep, type StoredTrigger, type TriggerInput, type WorkflowJson } from './model.js';
import { cancelApprovals } from './approvals.js';
import { scheduleAllDates } from './dates.js';
import { scheduleNext } from './schedule.js';
import { displaySteps, displayTrigger, invalid, resolveSteps, resolveTrigger } from './resolve.js';
import { checkTurns } from './steps/turns.js';

/** A workspace has at most this many workflows. */
export const MAX_WORKFLOWS = 500;

/** The body checked against its schema: a 400 naming the first bad key by its path (`steps.2.subject`). */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalid(issue.path.length ? issue.path.join('.') : 'workflow', issue.message);
}

/** A workflow's current version, as stored. */
export interface WorkflowDef {
  id: string;
  workspaceId: string;
  name: string;
  enabled: boolean;
  version: number;
  secret: string;
  trigger: StoredTrigger;
  steps: StoredStep[];
  createdBy: string | null;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function baseQuery(db: Engine['db'], workspaceId: string) {
  return db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.version'))
    .select(['w.id', 'w.workspace_id', 'w.name', 'w.enabled', 'w.version', 'w.secret', 'v.trigger', 'v.steps', 'w.created_by', 'w.updated_by', 'w.created_at', 'w.updated_at'])
    .where('w.workspace_id', '=', workspaceId)
    .where('w.deleted_at', 'is', null);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const fromRow = (row: Row): WorkflowDef => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  enabled: row.enabled,
  version: row.version,
  secret: row.secret,
  trigger: row.trigger as StoredTrigger,
  steps: row.steps as StoredStep[],
  createdBy: row.created_by,
  updatedBy: row.updated_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A live workflow of the workspace, or 404. */
export async function loadWorkflow(db: Engine['db'], workspaceId: string, id: string, forUpdate = false): Promise<WorkflowDef> {
  if (!isCatalogId(id)) throw notFound(`Workflow "${id}"`);
  let query = baseQuery(db, workspaceId).where('w.id', '=', id);
  if (forUpdate) query = query.forUpdate('w');
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Workflow "${id}"`);
  return fromRow(row);
}

/** The workflow as the API shows it: sheets and fields by their current names. */
export function workflowJson(access: Access, wf: WorkflowDef): WorkflowJson {
  const ws = access.full;
  const sheet = 'sheet' in wf.trigger ? ws.sheets.find((s) => s.id === (wf.trigger as { sheet: string }).sheet) : undefined;
  return {
    id: wf.id,
    name: wf.name,
    enabled: wf.enabled,
    version: wf.version,
    trigger: displayTrigger(ws, wf.trigger),
    steps: displaySteps({ ws, sheet }, wf.steps),
    webhookSecret: wf.secret,
    createdAt: wf.createdAt.toISOString(),
    updatedAt: wf.updatedAt.toISOString(),
  };
}

export async function listWorkflows(engine: Engine, access: Access): Promise<WorkflowJson[]> {
  requireDesign(access);
  const rows = await baseQuery(engine.db, access.workspaceId).orderBy('w.created_at').orderBy('w.id').execute();
  return rows.map((row) => workflowJson(access, fromRow(row)));
}

export async function getWorkflow(engine: Engine, access: Access, id: string): Promise<WorkflowJson> {
  requireDesign(access);
  return workflowJson(access, await loadWorkflow(engine.db, access.workspaceId, id));
}

/** Checks a trigger and steps against the catalog; answers them with ids. */
function resolveDefinition(access: Access, trigger: TriggerInput, steps: StepInput[]): { trigger: StoredTrigger; steps: StoredStep[] } {
  const resolved = resolveTrigger(access.full, trigger);
  const stored = resolveSteps({ ws: access.full, sheet: resolved.sheet }, steps);
  return { trigger: resolved.trigger, steps: stored };
}

async function writeVersion(trx: Transaction<Database>, id: string, version: number, name: string, def: { trigger: StoredTrigger; steps: StoredStep[] }, by: string) {
  await trx
    .insertInto('workflow_versions')
    .values({ workflow_id: id, version, name, trigger: JSON.stringify(def.trigger), steps: JSON.stringify(def.steps), created_by: by })
    .execute();
}

/**
 * A workflow change raises the catalog's version (transaction.ts changeCatalog): writes know from the catalog which of
 * their sheet's workflows may fire and which lock fields (catalog/model.ts SheetWorkflows).
 */
const changeWorkflows = changeCatalog;

const triggerColumns = (trigger: StoredTrigger) => ({ trigger_type: trigger.type, trigger_sheet_id: 'sheet' in trigger ? trigger.sheet : null });

export async function createWorkflow(engine: Engine, access: Access, input: unknown): Promise<WorkflowJson> {
  requireDesign(access);
  const body = parse(workflowInputSchema, input);
  const def = resolveDefinition(access, body.trigger, body.steps);
  const id = newId('wfl');
  await changeWorkflows(engine, access.workspaceId, async (trx) => {
    const { count } = await trx.selectFrom('workflows').select((eb) => eb.fn.countAll<string>().as('count')).where('workspace_id', '=', access.workspaceId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    if (Number(count) >= MAX_WORKFLOWS) throw new EngineError('conflict', `A workspace has at most ${MAX_WORKFLOWS} workflows`);
    await checkReferences(trx, access, def);
    await trx
      .insertInto('workflows')
      .values({
        id,
        workspace_id: access.workspaceId,
        name: body.name,
        enabled: body.enabled ?? true,
        version: 1,
        secret: randomBytes(32).toString('base64url'),
        ...triggerColumns(def.trigger),
        created_by: access.userId,
        updated_by: access.userId,
      })
      .execute();
    await writeVersion(trx, id, 1, body.name, def, access.userId);
    if (body.enabled ?? true) {
      await scheduleNext(engine, trx, { id, workspaceId: access.workspaceId, version: 1, trigger: def.trigger }, new Date());
      await scheduleAllDates(engine, trx, access.full, { id, version: 1, trigger: def.trigger });
    }
    await audit(trx, access, 'workflow.create', { kind: 'workflow', id, name: body.name }, undefined, { name: body.name, enabled: body.enabled ?? true, trigger: def.trigger, steps: def.steps });
  });
  return getWorkflow(engine, access, id);
}

/** Every step with its path, those of rejection branches included. */
function* withPaths(steps: StoredStep[], prefix = 'steps'): Generator<[StoredStep, string]> {
  for (const [i, step] of steps.entries()) {
    yield [step, `${prefix}.${i}`];
    if (step.type === 'approval') yield* withPaths(step.onReject, `${prefix}.${i}.onReject`);
  }
}

/** What a definition names outside the catalog, checked in the saving transaction: a form, documents, people in turn. */
async function checkReferences(trx: Transaction<Database>, access: Access, def: { trigger: StoredTrigger; steps: StoredStep[] }): Promise<void> {
  await checkForm(trx, access, def.trigger);
  await checkDocuments(trx, access, def);
  await checkTurns(trx, access.workspaceId, access.full, withPaths(def.steps));
}

/** Documents attached by email steps must be of the trigger's sheet: stored by id, named by id or name. */
async function checkDocuments(trx: Transaction<Database>, access: Access, def: { trigger: StoredTrigger; steps: StoredStep[] }): Promise<void> {
  for (const [step, path] of withPaths(def.steps)) {
    if (step.type !== 'send_email' || step.document === undefined || !('sheet' in def.trigger)) continue;
    const ref = step.document;
    const doc = await trx
      .selectFrom('documents')
      .select('id')
      .where('workspace_id', '=', access.workspaceId)
      .where('sheet_id', '=', def.trigger.sheet)
      .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]))
      .executeTakeFirst();
    if (!doc) throw invalid(`${path}.document`, `the trigger's sheet has no document "${ref}"`);
    step.document = doc.id;
  }
}

/** A form named by a `form_submitted` trigger must be one of its sheet's. */
async function checkForm(trx: Transaction<Database>, access: Access, trigger: StoredTrigger): Promise<void> {
  if (trigger.type !== 'form_submitted' || trigger.form === undefined) return;
  const form = await trx.selectFrom('forms').select('id').where('id', '=', trigger.form).where('workspace_id', '=', access.workspaceId).where('sheet_id', '=', trigger.sheet).executeTakeFirst();
  if (!form) throw invalid('trigger.form', `the sheet has no form "${trigger.form}"`);
}

/** Every change is a new version; runs already started finish on theirs. Turning it on or off alone is not one. */
export async function updateWorkflow(engine: Engine, access: Access, id: string, input: unknown): Promise<WorkflowJson> {
  requireDesign(access);
  const body = parse(workflowPatchSchema, input);
  await changeWorkflows(engine, access.workspaceId, async (trx) => {
    const current = await loadWorkflow(trx, access.workspaceId, id, true);
    const shown = workflowJson(access, current);
    const definitionChanged = body.trigger !== undefined || body.steps !== undefined || (body.name !== undefined && body.name !== current.name);
    let def = { trigger: current.trigger, steps: current.steps };
    if (body.trigger !== undefined || body.steps !== undefined) {
      const trigger = (body.trigger ?? shown.trigger) as TriggerInput;
      const steps = (body.steps ?? shown.steps) as StepInput[];
      def = resolveDefinition(access, trigger, steps);
      await checkReferences(trx, access, def);
      // What matched the old trigger says nothing about the new one.
      if (body.trigger !== undefined) await trx.deleteFrom('workflow_matches').where('workflow_id', '=', id).execute();
    }
    const name = body.name ?? current.name;
    const version = definitionChanged ? current.version + 1 : current.version;
    if (definitionChanged) await writeVersion(trx, id, version, name, def, access.userId);
    await trx
      .updateTable('workflows')
      .set({ name, version, enabled: body.enabled ?? current.enabled, ...triggerColumns(def.trigger), updated_by: access.userId, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    const enabled = body.enabled ?? current.enabled;
    // A new version or a switch back on starts the schedule afresh (the pending firing of an older one does nothing).
    if (enabled && (definitionChanged || !current.enabled)) {
      await scheduleNext(engine, trx, { id, workspaceId: access.workspaceId, version, trigger: def.trigger }, new Date());
      await scheduleAllDates(engine, trx, access.full, { id, version, trigger: def.trigger });
    }
    await audit(
      trx,
      access,
      'workflow.update',
      { kind: 'workflow', id, name },
      { name: current.name, enabled: current.enabled, version: current.version, trigger: current.trigger, steps: current.steps },
      { name, enabled: body.enabled ?? current.enabled, version, trigger: def.trigger, steps: def.steps },
    );
  });
  return getWorkflow(engine, access, id);
}

/** Deleted workflows stop triggering; their runs still running are cancelled, their log is kept. */
export async function deleteWorkflow(engine: Engine, access: Access, id: string): Promise<void> {
  requireDesign(access);
  await changeWorkflows(engine, access.workspaceId, async (trx) => {
    const current = await loadWorkflow(trx, access.workspaceId, id, true);
    await trx.updateTable('workflows').set({ deleted_at: new Date(), enabled: false }).where('id', '=', id).execute();
    const cancelled = await trx
      .updateTable('workflow_runs')
      .set({ status: 'cancelled', finished_at: new Date(), error: 'the workflow was deleted' })
      .where('workflow_id', '=', id)
      .where('status', 'in', ['queued', 'running', 'waiting'])
      .returning('id')
      .execute();
    await cancelApprovals(trx, cancelled.map((r) => r.id));
    await trx.deleteFrom('workflow_matches').where('workflow_id', '=', id).execute();
    await audit(trx, access, 'workflow.delete', { kind: 'workflow', id, name: current.name }, { name: current.name, trigger: current.trigger, steps: current.steps }, undefined);
  });
}
