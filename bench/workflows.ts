import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { ApiClient, SheetJson } from './api.js';
import type { BenchCase } from './cases.js';
import { makeRecord, pick, rng, SHEET_FIELDS, STAGES } from './data.js';
import { runCount } from './load.js';
import { BATCH, recordBatch } from './seed.js';

/**
 * Issue 14's speed: a record write on a sheet with three enabled workflows beside the same write on a sheet without
 * any (both through the API, one request at a time, in alternating slices), and 1,000 queued runs of a two-step
 * workflow through the server's own job runner.
 */
export const WORKFLOW_CREATE_CASE = 'create one record with 3 workflows';
export const WORKFLOW_UPDATE_CASE = 'update one record with 3 workflows';
/** The same writes while the server's job runner dispatches their events and carries out the runs they start. */
const MEANWHILE = ', runs carried out meanwhile';
/** The write's own cost, the job runner paused meanwhile: what the budget is about. */
export const WORKFLOW_BUDGETED_CASES = [WORKFLOW_CREATE_CASE, WORKFLOW_UPDATE_CASE];
export const WORKFLOW_WRITE_CASES = [...WORKFLOW_BUDGETED_CASES, WORKFLOW_CREATE_CASE + MEANWHILE, WORKFLOW_UPDATE_CASE + MEANWHILE];
export const WORKFLOW_RUNS_CASE = '1,000 queued workflow runs';
/** Records of each of the two sheets the writes go to (the update picks one of them). */
const SEEDED = 5_000;
const RUNS = 1_000;

export interface WorkflowSheets {
  plain: { sheet: SheetJson; ids: string[] };
  watched: { sheet: SheetJson; ids: string[] };
}

async function seedSheet(api: ApiClient, workspaceId: string, name: string, inFlight: number): Promise<{ sheet: SheetJson; ids: string[] }> {
  const sheet = await api.post<SheetJson>(`/api/w/${workspaceId}/sheets`, { name, fields: SHEET_FIELDS });
  const ids: string[] = new Array<string>(SEEDED);
  await runCount(Math.ceil(SEEDED / BATCH), inFlight, async (b) => {
    const first = b * BATCH;
    const rows = recordBatch(first, Math.min(BATCH, SEEDED - first), 31);
    const body = await api.post<{ records: { id: string }[] }>(`/api/w/${workspaceId}/sheets/${sheet.id}/records`, { records: rows.map((fields) => ({ fields })) });
    body.records.forEach((r, i) => (ids[first + i] = r.id));
  });
  return { sheet, ids };
}

/**
 * Two sheets of the mixed types, seeded alike; then three enabled workflows on one of them, one of each kind a write
 * looks for: created, updated (Stage changing to Won) and coming to match (a Won deal of 150,000 or more). Each
 * notifies the writer, so the runs they start are real ones, carried out by the server's job runner meanwhile.
 */
export async function seedWorkflowSheets(api: ApiClient, workspaceId: string, inFlight: number): Promise<WorkflowSheets> {
  const plain = await seedSheet(api, workspaceId, 'Deals without workflows', inFlight);
  const watched = await seedSheet(api, workspaceId, 'Deals with workflows', inFlight);
  const sheet = watched.sheet.name;
  const notify = (message: string) => ({ type: 'notify', users: ['{{user.id}}'], message });
  const workflows = [
    { name: 'New deal', trigger: { type: 'record_created', sheet }, steps: [notify('New deal {{record.Name}}')] },
    {
      name: 'Deal won',
      trigger: { type: 'record_updated', sheet, fields: ['Stage'], condition: { '==': [{ var: 'Stage' }, 'Won'] } },
      steps: [notify('{{record.Name}} was won')],
    },
    {
      name: 'Big win',
      trigger: { type: 'record_matches', sheet, condition: { and: [{ '==': [{ var: 'Stage' }, 'Won'] }, { '>=': [{ var: 'Amount' }, 150_000] }] } },
      steps: [notify('{{record.Name}} is a big win')],
    },
  ];
  for (const wf of workflows) await api.post(`/api/w/${workspaceId}/workflows`, wf);
  return { plain, watched };
}

/**
 * Single-record creates and updates, the sheet with workflows as the first side and the one without as the second,
 * one request at a time: the latency of a write, not the machine's throughput. First with the server's job runner
 * paused (the events the writes add wait in the queue, and no commit wakes a worker): the write's own cost, which the
 * budget is about. Then the same writes while the runner dispatches their events and carries out the runs they start,
 * on the same two cores as the writes: what a write costs while its workflows do their work. After each case the
 * queue is emptied.
 */
export function workflowWriteCases({ api, pool, jobs, workspaceId, sheets }: { api: ApiClient; pool: pg.Pool; jobs: JobControl; workspaceId: string; sheets: WorkflowSheets }): BenchCase[] {
  const random = rng(1414);
  let created = 0;
  const path = (sheet: SheetJson) => `/api/w/${workspaceId}/sheets/${sheet.id}/records`;
  const create = (side: WorkflowSheets['plain']) => async () => {
    await api.post(path(side.sheet), { fields: makeRecord(random, 30_000_000 + created++) });
  };
  const update = (side: WorkflowSheets['plain']) => async () => {
    const fields = { Amount: Math.round(random() * 200_000) + 0.5, Stage: pick(random, STAGES) };
    await api.patch(`${path(side.sheet)}/${pick(random, side.ids)}`, { fields });
  };
  const { plain, watched } = sheets;
  const drain = () => waitForIdleQueue(pool, () => {});
  const paused = { before: async () => (await drain(), await jobs.pause()), after: async () => (await jobs.resume(), await drain()) };
  const meanwhile = { before: drain, after: drain };
  const common = { concurrency: 1, rounds: 20, bothThroughApi: true };
  const createDescription = 'POST /records {fields} (10 fields), one at a time: a sheet with 3 enabled workflows (created, updated, matches) beside one with none';
  const updateDescription = `PATCH /records/:id {Amount, Stage} of one of ${SEEDED.toLocaleString('en-US')} records, one at a time: the sheet with the 3 workflows beside the one with none`;
  return [
    { name: WORKFLOW_CREATE_CASE, description: `${createDescription}; the job runner paused`, api: create(watched), raw: create(plain), ...common, ...paused },
    { name: WORKFLOW_UPDATE_CASE, description: `${updateDescription}; the job runner paused`, api: update(watched), raw: update(plain), ...common, ...paused },
    { name: WORKFLOW_CREATE_CASE + MEANWHILE, description: `${createDescription}; the job runner dispatching and running meanwhile`, api: create(watched), raw: create(plain), ...common, ...meanwhile },
    { name: WORKFLOW_UPDATE_CASE + MEANWHILE, description: `${updateDescription}; the job runner dispatching and running meanwhile`, api: update(watched), raw: update(plain), ...common, ...meanwhile },
  ];
}

/** The bench server's job runner, stopped and started again over IPC (bench/environment.ts). */
export interface JobControl {
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export interface WorkflowRunsResult {
  runs: number;
  steps: number;
  /** From the write that queued them to the last run finished. */
  seconds: number;
  /** The write (one batch of 1000 records) alone. */
  writeMs: number;
  succeeded: number;
}

/**
 * 1,000 runs of a two-step workflow (a condition, then a notification), queued by one batch write of 1,000 records
 * and carried out by the server's job runner (as configured: 4 jobs at once), timed until the last one succeeded.
 */
export async function queuedRuns(api: ApiClient, pool: pg.Pool, workspaceId: string, log: (line: string) => void): Promise<WorkflowRunsResult> {
  await waitForIdleQueue(pool, log);
  const sheet = await api.post<SheetJson>(`/api/w/${workspaceId}/sheets`, { name: 'Queued leads', fields: [{ name: 'Name', type: 'text' }, { name: 'Score', type: 'number' }] });
  const wf = await api.post<{ id: string }>(`/api/w/${workspaceId}/workflows`, {
    name: 'Tell the owner',
    trigger: { type: 'record_created', sheet: sheet.id },
    steps: [{ type: 'condition', condition: { '>=': [{ var: 'Score' }, 0] } }, { type: 'notify', users: ['{{user.id}}'], message: 'new lead {{record.Name}}' }],
  });
  const started = performance.now();
  await api.post(`/api/w/${workspaceId}/sheets/${sheet.id}/records`, { records: Array.from({ length: RUNS }, (_, i) => ({ fields: { Name: `Lead ${i}`, Score: i } })) });
  const writeMs = performance.now() - started;
  const deadline = started + 180_000;
  let succeeded = 0;
  for (;;) {
    const { rows } = await pool.query<{ done: string; failed: string }>(
      `SELECT count(*) FILTER (WHERE status = 'succeeded') AS done, count(*) FILTER (WHERE status IN ('failed', 'cancelled')) AS failed FROM workflow_runs WHERE workflow_id = $1`,
      [wf.id],
    );
    succeeded = Number(rows[0]!.done);
    if (Number(rows[0]!.failed)) throw new Error(`${WORKFLOW_RUNS_CASE}: ${rows[0]!.failed} runs failed`);
    if (succeeded >= RUNS || performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM workflow_run_steps s JOIN workflow_runs r ON r.id = s.run_id WHERE r.workflow_id = $1 AND s.status = 'succeeded'`, [wf.id]);
  // Off again: the write cases' sheets are others, but nothing of this one should run on.
  await api.patch(`/api/w/${workspaceId}/workflows/${wf.id}`, { enabled: false });
  return { runs: RUNS, steps: Number(rows[0]!.n), seconds, writeMs, succeeded };
}

/** Waits until the job queue has nothing due (the seeds' search-index builds, earlier runs), so the runs start alone. */
async function waitForIdleQueue(pool: pg.Pool, log: (line: string) => void, timeoutMs = 300_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM graphile_worker.jobs WHERE run_at <= now() AND attempts < max_attempts`);
    if (Number(rows[0]!.n) === 0) return;
    if (performance.now() > until) throw new Error(`${rows[0]!.n} jobs still due after ${timeoutMs / 1000} s`);
    log(`  waiting for ${rows[0]!.n} queued jobs before the runs`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
