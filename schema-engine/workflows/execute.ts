import { sql, type Transaction } from 'kysely';
import type { Database, StepStatus } from '../db.js';
import { accessFor } from '../access/load.js';
import type { Access } from '../access/model.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { scopeEngine } from '../transaction.js';
import type { StoredStep } from './model.js';
import { queueRun } from './runs.js';
import { byName, clockData } from './steps/render.js';
import { stepHandler } from './steps/registry.js';
import { StepError, type StepContext, type StepResult, type TemplateData, type WorkflowServices } from './steps/types.js';

/** What a run's job knows about its own attempt (graphile-worker's). */
export interface RunAttempt {
  attempt: number;
  maxAttempts: number;
  /** When the job was due (a wait's end): the run's clock if it is later than now. */
  at?: string;
}


const isFinal = (error: unknown) => error instanceof StepError || (error instanceof EngineError && !['busy', 'schema_changed', 'version_conflict'].includes(error.code));
/** Steps are numbered from 1 for people: "3", or "3, on reject 1". */
const stepLabel = (path: string) => path.split('.onReject.').map((n, i) => (i ? `on reject ${Number(n) + 1}` : String(Number(n) + 1))).join(', ');
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/** A step of the run as recorded so far. */
interface StepRow {
  path: string;
  status: StepStatus;
  output: unknown;
}

interface TriggerSnapshot {
  record?: Record<string, unknown> | null;
  old?: Record<string, unknown> | null;
  /** The trigger record's values as the run's steps left them. */
  current?: Record<string, unknown>;
}

/** Marks the run failed (and the steps after the failed one skipped), saying why. */
async function failRun(engine: Engine, runId: string, error: string, path?: string, attempt?: { error: string }): Promise<void> {
  await engine.db.transaction().execute(async (trx) => {
    if (path !== undefined) {
      await trx.updateTable('workflow_run_steps').set({ status: 'failed', finished_at: new Date(), error: attempt?.error ?? error }).where('run_id', '=', runId).where('path', '=', path).execute();
    }
    await trx.updateTable('workflow_run_steps').set({ status: 'skipped' }).where('run_id', '=', runId).where('status', '=', 'pending').execute();
    await trx.updateTable('workflow_runs').set({ status: 'failed', finished_at: new Date(), error }).where('id', '=', runId).where('status', 'in', ['queued', 'running']).execute();
  });
}

/**
 * Carries out a run from where it stands: steps already done are not done again (their outputs are read back), the
 * next one is claimed (its attempt counted, committed) and then done in one transaction with its result, so a step's
 * writes, the mail it queues and its recorded output commit together or not at all. A server stopped mid-step
 * leaves the step claimed, not done: the job runs again (graphile-worker, after the lock expires) and redoes it,
 * which repeats nothing, since nothing of it committed.
 */
export async function executeRun(engine: Engine, services: WorkflowServices, runId: string, job: RunAttempt): Promise<void> {
  try {
    await carryOut(engine, services, runId, job);
  } catch (error) {
    // Its last attempt failed before a step could say so (the database away while loading it): the run fails visibly.
    if (job.attempt >= job.maxAttempts) await failRun(engine, runId, `The run could not go on: ${describe(error)}`).catch(() => {});
    throw error;
  }
}

async function carryOut(engine: Engine, services: WorkflowServices, runId: string, job: RunAttempt): Promise<void> {
  // One statement: the run marked running (unless it is over), read with its version, its workspace's time zone,
  // whom it acts as and its steps so far (the SELECT sees the run as it was before the UPDATE beside it).
  const run = await engine.db
    .with('started', (db) => db.updateTable('workflow_runs').set({ status: 'running' }).where('id', '=', runId).where('status', 'in', ['queued', 'waiting']).returning('id'))
    .selectFrom('workflow_runs as r')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'r.workflow_id').onRef('v.version', '=', 'r.version'))
    .innerJoin('workflows as w', 'w.id', 'r.workflow_id')
    .innerJoin('workspaces as s', 's.id', 'r.workspace_id')
    .leftJoin('users as u', 'u.id', 'r.acting_user_id')
    .select(['w.secret', 'r.id', 'r.workspace_id', 'r.workflow_id', 'r.status', 'r.sheet_id', 'r.record_id', 'r.depth', 'r.acting_user_id', 'r.trigger', 'v.name', 'v.steps'])
    .select(['s.time_zone as zone', 'u.name as user_name', 'u.email as user_email'])
    .select(
      sql<StepRow[]>`(SELECT coalesce(json_agg(json_build_object('path', st.path, 'status', st.status, 'output', st.output)), '[]'::json)
        FROM workflow_run_steps st WHERE st.run_id = r.id)`.as('step_rows'),
    )
    .where('r.id', '=', runId)
    .executeTakeFirst();
  if (!run || !['queued', 'running', 'waiting'].includes(run.status)) return;
  const due = job.at ? new Date(job.at) : undefined;
  const now = due && due.getTime() > Date.now() ? due : new Date();
  const { zone } = run;
  /** Back to waiting, for an approval's decision or a wait's end. */
  const waitAgain = async (resumeAt?: Date) =>
    engine.db.transaction().execute(async (trx) => {
      await trx.updateTable('workflow_runs').set({ status: 'waiting' }).where('id', '=', runId).where('status', '=', 'running').execute();
      if (resumeAt) await queueRun(engine, trx, runId, resumeAt);
    });

  let access: Access;
  try {
    if (!run.acting_user_id) throw new StepError('the user it acts as no longer exists');
    access = await accessFor(engine, run.workspace_id, run.acting_user_id);
  } catch (error) {
    if (!isFinal(error)) throw error;
    await failRun(engine, runId, `The run cannot act: ${describe(error)}`);
    return;
  }
  const sheet = access.full.sheets.find((s) => s.id === run.sheet_id);
  const user = run.acting_user_id && run.user_name !== null && run.user_email !== null ? { id: run.acting_user_id, name: run.user_name, email: run.user_email } : undefined;
  const trigger = run.trigger as TriggerSnapshot;
  const values = { record: trigger.current ?? trigger.record ?? {}, old: trigger.old ?? null };
  const steps = run.steps as StoredStep[];
  const rows = new Map(run.step_rows.map((r) => [r.path, r]));
  const outputs: Record<string, unknown> = {};
  for (const [path, row] of rows) if (row.status === 'succeeded') outputs[path] = row.output;

  /** Carries out a list of steps (the workflow's, or a rejection's): `halt` leaves the run as it is now. */
  const runList = async (list: StoredStep[], position: (j: number) => number, pathOf: (j: number) => string): Promise<'done' | 'stop' | 'halt'> => {
    for (let j = 0; j < list.length; j++) {
      const path = pathOf(j);
      const step = list[j]!;
      const row = rows.get(path);
      if (row?.status === 'skipped' || row?.status === 'cancelled') continue;
      if (row?.status === 'waiting') {
        const until = step.type === 'wait' ? new Date(String((row.output as { until?: string } | null)?.until)) : undefined;
        if (!until || !(until <= now)) {
          await waitAgain(until);
          return 'halt';
        }
        await engine.db.updateTable('workflow_run_steps').set({ status: 'succeeded', finished_at: now }).where('run_id', '=', runId).where('path', '=', path).execute();
        outputs[path] = row.output;
        continue;
      }
      if (row?.status === 'succeeded') {
        const decided = row.output as { decision?: string } | null;
        if (step.type === 'approval' && decided?.decision === 'rejected') {
          const branch = await runList(step.onReject, () => position(j), (k) => `${path}.onReject.${k}`);
          return branch === 'halt' ? 'halt' : 'stop';
        }
        continue;
      }
      const handler = stepHandler(step.type);
      if (!handler) {
        await failRun(engine, runId, `Step ${path} (${step.type}) cannot run in this version`, path);
        return 'halt';
      }
      // Claimed and committed before anything happens: the attempt is counted even if the server dies during it.
      await sql`
        INSERT INTO workflow_run_steps (run_id, path, position, type, status, attempts, started_at)
        VALUES (${runId}, ${path}, ${position(j)}, ${step.type}, 'running', 1, now())
        ON CONFLICT (run_id, path) DO UPDATE SET status = 'running', attempts = workflow_run_steps.attempts + 1,
          started_at = coalesce(workflow_run_steps.started_at, now()), error = NULL`.execute(engine.db);
      let result: StepResult | 'cancelled';
      try {
        const contextIn = (trx: Transaction<Database>): StepContext => ({
          engine: { ...scopeEngine(engine, trx), origin: { run: { id: runId, depth: run.depth } } },
          trx,
          access,
          run: { id: runId, workflowId: run.workflow_id, workflowName: run.name, workspaceId: run.workspace_id, depth: run.depth, secret: run.secret, zone },
          now,
          sheet,
          recordId: run.record_id,
          values,
          data: { record: byName(sheet, run.record_id, values.record), old: byName(sheet, run.record_id, values.old), steps: outputs, user: user ?? null, ...clockData(now, zone) },
          services,
          path,
        });
        /** The step's result, recorded with what it did (in the same transaction when it did it there). */
        const recordResult = async (trx: Transaction<Database>, done: StepResult) => {
          await trx
            .updateTable('workflow_run_steps')
            .set({ status: done.wait ? 'waiting' : 'succeeded', ...(done.wait ? {} : { finished_at: new Date() }), output: JSON.stringify(done.output ?? null) })
            .where('run_id', '=', runId)
            .where('path', '=', path)
            .execute();
          if (done.wait) await trx.updateTable('workflow_runs').set({ status: 'waiting' }).where('id', '=', runId).execute();
          if (done.resumeAt) await queueRun(engine, trx, runId, done.resumeAt);
          if (done.record) await trx.updateTable('workflow_runs').set({ trigger: JSON.stringify({ ...trigger, current: done.record }) }).where('id', '=', runId).execute();
        };
        const running = async (trx: Transaction<Database>) =>
          (await trx.selectFrom('workflow_runs').select('status').where('id', '=', runId).forUpdate().executeTakeFirstOrThrow()).status === 'running';
        if (handler.outside) {
          // Planned in a transaction, carried out holding none (a webhook may take 10 s, and a cancel should not wait
          // for it), then recorded: once it happened it is recorded, even if the run was cancelled meanwhile.
          const planned = await engine.db.transaction().execute(async (trx) => ((await running(trx)) ? { plan: await handler.plan(step as never, contextIn(trx)) } : ('cancelled' as const)));
          if (planned === 'cancelled') result = planned;
          else {
            const done = await handler.execute(planned.plan, contextIn(engine.db as Transaction<Database>));
            result = await engine.db.transaction().execute(async (trx) => {
              await recordResult(trx, done);
              return done;
            });
          }
        } else {
          result = await engine.db.transaction().execute(async (trx) => {
            if (!(await running(trx))) return 'cancelled' as const;
            const ctx = contextIn(trx);
            const done = await handler.execute(await handler.plan(step as never, ctx), ctx);
            await recordResult(trx, done);
            return done;
          });
        }
      } catch (error) {
        const message = describe(error);
        if (!isFinal(error) && job.attempt < job.maxAttempts) {
          await engine.db.updateTable('workflow_run_steps').set({ status: 'pending', error: `attempt failed, retried later: ${message}` }).where('run_id', '=', runId).where('path', '=', path).execute();
          throw new Error(`workflow run ${runId}, step ${path}: ${message}`);
        }
        await failRun(engine, runId, `Step ${stepLabel(path)} (${step.type}) failed: ${message}`, path, { error: message });
        return 'halt';
      }
      if (result === 'cancelled') {
        await engine.db.updateTable('workflow_run_steps').set({ status: 'cancelled' }).where('run_id', '=', runId).where('path', '=', path).execute();
        return 'halt';
      }
      if (result.wait) return 'halt';
      outputs[path] = result.output ?? null;
      if (result.record) values.record = result.record;
      if (result.stop) return 'stop';
    }
    return 'done';
  };

  const outcome = await runList(steps, (j) => j, (j) => String(j));
  if (outcome === 'halt') return;
  if (outcome === 'stop') {
    await engine.db.updateTable('workflow_run_steps').set({ status: 'skipped' }).where('run_id', '=', runId).where('status', '=', 'pending').execute();
  }
  await engine.db.updateTable('workflow_runs').set({ status: 'succeeded', finished_at: new Date() }).where('id', '=', runId).where('status', '=', 'running').execute();
}
