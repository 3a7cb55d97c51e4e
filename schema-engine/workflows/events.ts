import { sql, type RawBuilder, type Transaction } from 'kysely';
import { z } from 'zod';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import type { RecordJson } from '../records/read.js';
import { ruleValues } from '../rules/check.js';

/** The job that dispatches a record event to the workflows of its sheet (server/jobs/tasks/workflow-event.ts). */
export const EVENT_TASK = 'workflow_event';

/** Record-triggered types: a write looks for enabled workflows of these on its sheet. */
export const RECORD_TRIGGERS = ['record_created', 'record_updated', 'record_matches', 'form_submitted', 'date'] as const;

const values = z.record(z.string(), z.unknown());

/**
 * A record write as workflows see it: the records' values as written (by field id, so a later rename changes
 * nothing), and before an update the values they had. Taken in the write's transaction, so a condition on the
 * values before and after reads this write's, not whatever a later write left.
 */
export const recordEventSchema = z.object({
  workspaceId: z.string().min(1),
  sheetId: z.string().min(1),
  action: z.enum(['create', 'update', 'delete', 'restore']),
  /** The writer: whose access a run it starts acts with. */
  by: z.string().nullable(),
  /** The run whose step made the write. */
  via: z.object({ id: z.string(), depth: z.number().int().min(1) }).optional(),
  form: z.string().optional(),
  records: z.array(z.object({ id: z.string(), values, old: values.optional(), changed: z.array(z.string()).optional() })).min(1),
});
export type RecordEvent = z.output<typeof recordEventSchema>;

/** The trigger types a write may fire. */
function triggersOf(action: RecordEvent['action'], form: boolean): string[] {
  // A record deleted no longer matches; restored, it may come to match again.
  if (action === 'delete' || action === 'restore') return ['record_matches'];
  if (action === 'update') return ['record_updated', 'record_matches', 'date'];
  return form ? ['record_created', 'record_matches', 'form_submitted', 'date'] : ['record_created', 'record_matches', 'date'];
}

/**
 * Whether an enabled workflow of the sheet may fire on this write: known from the catalog the write was built from
 * (a workflow change raises its version, so a write built from an older one is retried), else one indexed lookup in
 * the write's transaction.
 */
async function watched(trx: Transaction<Database>, workspaceId: string, sheet: SheetDef, types: string[]): Promise<boolean> {
  if (sheet.workflows) return sheet.workflows.triggers.some((t) => types.includes(t));
  const { rows } = await sql<{ one: number }>`
    SELECT 1 AS one FROM workflows
    WHERE workspace_id = ${workspaceId} AND trigger_sheet_id = ${sheet.id} AND enabled AND deleted_at IS NULL
      AND trigger_type IN (${sql.join(types.map((t) => sql`${t}`))})
    LIMIT 1`.execute(trx);
  return rows.length > 0;
}

export interface WrittenRecord {
  after: RecordJson;
  before?: RecordJson;
}

/**
 * The event of a record write as the statement that adds it to the job queue, to run in the write's own transaction
 * (records/write.ts runs it with the history row, in one statement): a write that rolls back triggers nothing, one
 * that commits is never missed. Undefined for a sheet no enabled workflow watches for this kind of write. Events of
 * one sheet are dispatched one at a time, in order.
 */
export async function recordEventJob(
  engine: Engine,
  trx: Transaction<Database>,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  by: string | null,
  action: RecordEvent['action'],
  written: WrittenRecord[],
): Promise<RawBuilder<unknown> | undefined> {
  if (!engine.jobs || !written.length) return undefined;
  if (!(await watched(trx, ws.id, sheet, triggersOf(action, engine.origin?.form !== undefined)))) return undefined;
  const records = written.map(({ after, before }) => {
    const now = ruleValues(sheet, after);
    if (!before) return { id: after.id, values: now };
    const old = ruleValues(sheet, before);
    const changed = Object.keys(now).filter((id) => JSON.stringify(now[id]) !== JSON.stringify(old[id]));
    return { id: after.id, values: now, old, changed };
  });
  const origin = engine.origin;
  const event: RecordEvent = {
    workspaceId: ws.id,
    sheetId: sheet.id,
    action,
    by,
    ...(origin?.run ? { via: origin.run } : {}),
    ...(origin?.form ? { form: origin.form } : {}),
    records,
  };
  return engine.jobs.statement(EVENT_TASK, event, { queueName: `wf:${sheet.id}`, maxAttempts: 10 });
}
