import { sql, type Transaction } from 'kysely';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { PUBLIC_FORM_USER_ID } from '../ids.js';
import { transact } from '../transaction.js';
import { workflowConditionHolds } from './conditions.js';
import { RECORD_TRIGGERS, type RecordEvent } from './events.js';
import type { StoredStep, StoredTrigger } from './model.js';
import { startRun } from './runs.js';
import { scheduleNext } from './schedule.js';
import { dateFireTime, scheduleDate, type DateFiring } from './dates.js';
import { fetchRecords } from '../records/fetch.js';
import { ruleValues } from '../rules/check.js';

interface Watcher {
  id: string;
  version: number;
  trigger: StoredTrigger;
  steps: StoredStep[];
  author: string | null;
}

type EventRecord = RecordEvent['records'][number];

/**
 * Whether a trigger fires for one record of an event. `record_matches` fires when the record comes to match: the
 * records matching now are kept per workflow, so it fires once per time a record comes to match, not on every write
 * while it does (events of a sheet are dispatched one at a time, in order, so the kept set follows the writes).
 */
async function fires(trx: Transaction<Database>, watcher: Watcher, event: RecordEvent, record: EventRecord): Promise<boolean> {
  const { trigger } = watcher;
  const values = { record: record.values, old: record.old ?? null };
  switch (trigger.type) {
    case 'record_created':
      return event.action === 'create';
    case 'form_submitted':
      return event.action === 'create' && event.form !== undefined && (trigger.form === undefined || trigger.form === event.form);
    case 'record_updated':
      if (event.action !== 'update') return false;
      if (trigger.fields && !trigger.fields.some((id) => record.changed?.includes(id))) return false;
      return trigger.condition === undefined || workflowConditionHolds(trigger.condition, values);
    case 'record_matches': {
      if (event.action === 'delete' || !workflowConditionHolds(trigger.condition, values)) {
        await trx.deleteFrom('workflow_matches').where('workflow_id', '=', watcher.id).where('record_id', '=', record.id).execute();
        return false;
      }
      const inserted = await trx
        .insertInto('workflow_matches')
        .values({ workflow_id: watcher.id, record_id: record.id })
        .onConflict((oc) => oc.doNothing())
        .returning('record_id')
        .executeTakeFirst();
      return inserted !== undefined;
    }
    default:
      return false;
  }
}

/**
 * Starts the runs an event calls for, all in one transaction: the event's job id and the record make each run's key,
 * so a dispatch repeated (its server died before the queue heard it finished) starts nothing twice.
 */
export async function dispatchRecordEvent(engine: Engine, event: RecordEvent, eventId: string): Promise<string[]> {
  return transact(engine.db, async (trx) => {
    const { rows } = await sql<Watcher>`
      SELECT w.id, w.version, v.trigger, v.steps, coalesce(w.updated_by, w.created_by) AS author
      FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.version
      WHERE w.workspace_id = ${event.workspaceId} AND w.trigger_sheet_id = ${event.sheetId} AND w.enabled AND w.deleted_at IS NULL
        AND w.trigger_type IN (${sql.join(RECORD_TRIGGERS.map((t) => sql`${t}`))})
      ORDER BY w.created_at, w.id`.execute(trx);
    const started: string[] = [];
    const dated = rows.filter((w) => w.trigger.type === 'date');
    const zone = dated.length ? (await trx.selectFrom('workspaces').select('time_zone').where('id', '=', event.workspaceId).executeTakeFirstOrThrow()).time_zone : 'UTC';
    for (const record of event.records) {
      // Date triggers: a new or changed date (re)schedules the record's firing.
      for (const watcher of dated) {
        const trigger = watcher.trigger as Extract<StoredTrigger, { type: 'date' }>;
        if (event.action === 'delete' || event.action === 'restore' || (event.action === 'update' && !record.changed?.includes(trigger.field))) continue;
        await scheduleDate(engine, trx, { id: watcher.id, version: watcher.version, trigger }, record.id, record.values[trigger.field], zone);
      }
      for (const watcher of rows) {
        if (watcher.trigger.type === 'date' || !(await fires(trx, watcher, event, record))) continue;
        // A public form's visitor has no access of their own: the run acts as the workflow's author.
        const actor = event.by && event.by !== PUBLIC_FORM_USER_ID ? event.by : watcher.author;
        const runId = await startRun(engine, trx, {
          workspaceId: event.workspaceId,
          workflowId: watcher.id,
          version: watcher.version,
          sheetId: event.sheetId,
          recordId: record.id,
          depth: (event.via?.depth ?? 0) + 1,
          actingUserId: actor,
          trigger: { record: record.values, old: record.old ?? null, ...(event.form ? { form: event.form } : {}), ...(event.via ? { via: event.via.id } : {}) },
          eventKey: `${eventId}:${record.id}`,
          steps: watcher.steps,
        });
        if (runId) started.push(runId);
      }
    }
    return started;
  });
}

/** A scheduled firing: `at` is the time it was due (the clock a test controls), which the next one follows. */
export interface ScheduledFiring {
  workflowId: string;
  version: number;
  at: string;
}

/**
 * Starts the scheduled run (once per firing: its key is the time) and puts the next firing on the queue, in one
 * transaction. A firing of a workflow since changed, turned off or deleted does nothing: saving it scheduled anew.
 */
export async function fireSchedule(engine: Engine, firing: ScheduledFiring): Promise<string | undefined> {
  return transact(engine.db, async (trx) => {
    const wf = await trx
      .selectFrom('workflows as w')
      .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.version'))
      .select(['w.id', 'w.workspace_id', 'w.version', 'w.enabled', 'w.deleted_at', 'w.created_by', 'w.updated_by', 'v.trigger'])
      .where('w.id', '=', firing.workflowId)
      .forUpdate('w')
      .executeTakeFirst();
    if (!wf || !wf.enabled || wf.deleted_at || wf.version !== firing.version) return undefined;
    const trigger = wf.trigger as StoredTrigger;
    if (trigger.type !== 'schedule') return undefined;
    const runId = await startRun(engine, trx, {
      workspaceId: wf.workspace_id,
      workflowId: wf.id,
      version: wf.version,
      sheetId: null,
      recordId: null,
      depth: 1,
      // Scheduled runs act as the workflow's author, with the access they have now.
      actingUserId: wf.updated_by ?? wf.created_by,
      trigger: { record: null, old: null, scheduledAt: firing.at },
      eventKey: `schedule:${firing.at}`,
    });
    await scheduleNext(engine, trx, { id: wf.id, workspaceId: wf.workspace_id, version: wf.version, trigger }, new Date(firing.at));
    return runId;
  });
}

/**
 * A date trigger's firing for one record: it runs only if the record still has the date it was scheduled from (a
 * changed date scheduled another firing), acting as the workflow's author.
 */
export async function fireDate(engine: Engine, firing: DateFiring): Promise<string | undefined> {
  return transact(engine.db, async (trx) => {
    const wf = await trx
      .selectFrom('workflows as w')
      .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.version'))
      .innerJoin('workspaces as s', 's.id', 'w.workspace_id')
      .select(['w.id', 'w.workspace_id', 'w.version', 'w.enabled', 'w.deleted_at', 'w.created_by', 'w.updated_by', 'v.trigger', 's.time_zone'])
      .where('w.id', '=', firing.workflowId)
      .executeTakeFirst();
    if (!wf || !wf.enabled || wf.deleted_at || wf.version !== firing.version) return undefined;
    const trigger = wf.trigger as StoredTrigger;
    if (trigger.type !== 'date') return undefined;
    const ws = await engine.catalog.get(wf.workspace_id);
    const sheet = ws.sheets.find((s) => s.id === trigger.sheet);
    if (!sheet) return undefined;
    const [record] = await fetchRecords(trx, ws, sheet, [firing.recordId]);
    if (!record) return undefined;
    const values = ruleValues(sheet, record);
    if (dateFireTime(trigger, values[trigger.field], wf.time_zone)?.toISOString() !== firing.at) return undefined;
    return startRun(engine, trx, {
      workspaceId: wf.workspace_id,
      workflowId: wf.id,
      version: wf.version,
      sheetId: sheet.id,
      recordId: record.id,
      depth: 1,
      actingUserId: wf.updated_by ?? wf.created_by,
      trigger: { record: values, old: null, scheduledAt: firing.at },
      eventKey: `date:${firing.at}:${record.id}`,
    });
  });
}
