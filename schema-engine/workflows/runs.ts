import type { Selectable, Transaction } from 'kysely';
import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { Database, RunStatus, StepStatus } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, badRequest, notFound } from '../errors.js';
import { newSortableId } from '../ids.js';
import { transact } from '../transaction.js';
import type { StoredStep } from './model.js';
import { cancelApprovals } from './approvals.js';
import { loadWorkflow } from './workflows.js';

/** The job that carries out a run, step by step (execute.ts). */
export const RUN_TASK = 'workflow_run';
/** Tries of a run's job: a step failing for a passing reason (the database briefly away) is retried with backoff. */
export const RUN_ATTEMPTS = 5;
/** A chain of workflows triggering each other stops here: the run at this depth fails, saying why. */
export const MAX_DEPTH = 10;

export interface RunSpec {
  workspaceId: string;
  workflowId: string;
  version: number;
  sheetId: string | null;
  recordId: string | null;
  depth: number;
  actingUserId: string | null;
  /** {record, old, form?, via?}: values by field id. */
  trigger: Record<string, unknown>;
  eventKey?: string;
  /** The version's steps, when the caller has them (a dispatch starting many runs of one version): not read again. */
  steps?: StoredStep[];
}

/**
 * Adds a run and its steps (all pending) with the job that carries it out, in the caller's transaction. Answers the
 * run's id, or undefined when a run of the same event already exists. A run too deep in a chain is added failed.
 */
export async function startRun(engine: Engine, trx: Transaction<Database>, spec: RunSpec): Promise<string | undefined> {
  const id = newSortableId('run');
  const tooDeep = spec.depth >= MAX_DEPTH;
  const inserted = await trx
    .insertInto('workflow_runs')
    .values({
      id,
      workspace_id: spec.workspaceId,
      workflow_id: spec.workflowId,
      version: spec.version,
      status: tooDeep ? 'failed' : 'queued',
      sheet_id: spec.sheetId,
      record_id: spec.recordId,
      depth: spec.depth,
      acting_user_id: spec.actingUserId,
      trigger: JSON.stringify(spec.trigger),
      event_key: spec.eventKey ?? null,
      ...(tooDeep
        ? {
            finished_at: new Date(),
            error: `Stopped: workflows triggered each other ${MAX_DEPTH} deep (this run was started by a change another run made), so this one did not run`,
          }
        : {}),
    })
    .onConflict((oc) => oc.columns(['workflow_id', 'event_key']).where('event_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  const steps =
    spec.steps ??
    ((await trx.selectFrom('workflow_versions').select('steps').where('workflow_id', '=', spec.workflowId).where('version', '=', spec.version).executeTakeFirstOrThrow()).steps as StoredStep[]);
  if (steps.length) {
    await trx
      .insertInto('workflow_run_steps')
      .values(steps.map((step, i) => ({ run_id: id, path: String(i), position: i, type: step.type, status: tooDeep ? ('skipped' as const) : ('pending' as const) })))
      .execute();
  }
  if (!tooDeep) await queueRun(engine, trx, id);
  return id;
}

/** One pending job per run (its key): a retry or resume never has two servers carrying out one run. */
export async function queueRun(engine: Engine, trx: Transaction<Database>, runId: string, runAt?: Date): Promise<void> {
  // `at`: the time it is due, which the run takes as its clock (a test makes the job due early).
  await engine.jobs?.add(trx, RUN_TASK, { runId, ...(runAt ? { at: runAt.toISOString() } : {}) }, { jobKey: `run:${runId}`, maxAttempts: RUN_ATTEMPTS, ...(runAt ? { runAt } : {}) });
}

export interface RunStepJson {
  index: number;
  path: string;
  type: string;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
  output?: unknown;
  error?: string;
  attempts: number;
}

export interface RunJson {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  recordId?: string;
  sheetId?: string;
  depth: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  steps: RunStepJson[];
}

type RunRow = Selectable<Database['workflow_runs']>;

async function runsJson(db: Engine['db'], rows: RunRow[]): Promise<RunJson[]> {
  if (!rows.length) return [];
  const steps = await db
    .selectFrom('workflow_run_steps')
    .selectAll()
    .where(
      'run_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('run_id')
    .orderBy('position')
    .orderBy('path')
    .execute();
  return rows.map((run) => ({
    id: run.id,
    workflowId: run.workflow_id,
    version: run.version,
    status: run.status,
    ...(run.record_id ? { recordId: run.record_id } : {}),
    ...(run.sheet_id ? { sheetId: run.sheet_id } : {}),
    depth: run.depth,
    startedAt: run.started_at.toISOString(),
    ...(run.finished_at ? { finishedAt: run.finished_at.toISOString() } : {}),
    ...(run.error ? { error: run.error } : {}),
    steps: steps
      .filter((s) => s.run_id === run.id)
      .map((s) => ({
        index: s.position,
        path: s.path,
        type: s.type,
        status: s.status,
        startedAt: s.started_at?.toISOString() ?? null,
        finishedAt: s.finished_at?.toISOString() ?? null,
        ...(s.output !== null ? { output: s.output } : {}),
        ...(s.error ? { error: s.error } : {}),
        attempts: s.attempts,
      })),
  }));
}

function runRows(db: Engine['db'], workspaceId: string) {
  return db.selectFrom('workflow_runs').selectAll().where('workspace_id', '=', workspaceId);
}

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
const PAGE = 50;

/** A workflow's runs, newest first, in pages (`cursor`: the last run id of the previous page). */
export async function listRuns(engine: Engine, access: Access, workflowId: string, query: { status?: string; cursor?: string }): Promise<{ runs: RunJson[]; nextCursor: string | null }> {
  requireDesign(access);
  await loadWorkflow(engine.db, access.workspaceId, workflowId);
  if (query.status !== undefined && !RUN_STATUSES.includes(query.status as RunStatus)) {
    throw badRequest(`status: must be one of ${RUN_STATUSES.join(', ')}`, { fields: { status: `must be one of ${RUN_STATUSES.join(', ')}` } });
  }
  if (query.cursor !== undefined && !/^run[a-z0-9]{9,40}$/.test(query.cursor)) throw badRequest('cursor: is not a cursor this server gave', { fields: { cursor: 'is not valid' } });
  let q = runRows(engine.db, access.workspaceId).where('workflow_id', '=', workflowId);
  if (query.status) q = q.where('status', '=', query.status as RunStatus);
  if (query.cursor) q = q.where('id', '<', query.cursor);
  const rows = await q.orderBy('id', 'desc').limit(PAGE + 1).execute();
  const page = rows.slice(0, PAGE);
  return { runs: await runsJson(engine.db, page), nextCursor: rows.length > PAGE ? page.at(-1)!.id : null };
}

async function runOrThrow(db: Engine['db'], workspaceId: string, runId: string, forUpdate = false) {
  let q = runRows(db, workspaceId).where('id', '=', runId);
  if (forUpdate) q = q.forUpdate();
  const row = /^run[a-z0-9]{9,40}$/.test(runId) ? await q.executeTakeFirst() : undefined;
  if (!row) throw notFound(`Run "${runId}"`);
  return row;
}

export async function getRun(engine: Engine, access: Access, runId: string): Promise<RunJson> {
  requireDesign(access);
  const [json] = await runsJson(engine.db, [await runOrThrow(engine.db, access.workspaceId, runId)]);
  return json!;
}

/** A failed or cancelled run goes again from the step that did not finish (those done are not done again). */
export async function retryRun(engine: Engine, access: Access, runId: string): Promise<RunJson> {
  requireDesign(access);
  await transact(engine.db, async (trx) => {
    const run = await runOrThrow(trx, access.workspaceId, runId, true);
    if (run.status !== 'failed' && run.status !== 'cancelled') throw new EngineError('conflict', `Only a failed or cancelled run can be retried; this one is ${run.status}`);
    if (run.depth >= MAX_DEPTH) throw new EngineError('conflict', `This run was stopped ${MAX_DEPTH} deep in a chain of workflows and cannot be retried`);
    await trx.updateTable('workflow_run_steps').set({ status: 'pending', error: null }).where('run_id', '=', runId).where('status', 'in', ['failed', 'cancelled', 'running', 'skipped']).execute();
    // Skipped steps here are those after the one that failed (a run a condition ended has succeeded: no retry).
    await trx.updateTable('workflow_runs').set({ status: 'queued', finished_at: null, error: null }).where('id', '=', runId).execute();
    await queueRun(engine, trx, runId);
  });
  return getRun(engine, access, runId);
}

/** Stops a run that has not finished: the step under way completes, no further one starts. */
export async function cancelRun(engine: Engine, access: Access, runId: string): Promise<RunJson> {
  requireDesign(access);
  await transact(engine.db, async (trx) => {
    const run = await runOrThrow(trx, access.workspaceId, runId, true);
    if (!['queued', 'running', 'waiting'].includes(run.status)) throw new EngineError('conflict', `The run has already ended (${run.status})`);
    await trx.updateTable('workflow_runs').set({ status: 'cancelled', finished_at: new Date(), error: 'cancelled' }).where('id', '=', runId).execute();
    await trx.updateTable('workflow_run_steps').set({ status: 'cancelled' }).where('run_id', '=', runId).where('status', 'in', ['pending', 'waiting']).execute();
    await cancelApprovals(trx, [runId]);
  });
  return getRun(engine, access, runId);
}
