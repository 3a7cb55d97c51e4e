import { sql, type Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { columnName } from '../ids.js';
import { sheetTable } from '../records/columns.js';
import type { StoredTrigger } from './model.js';
import { isTimeZone } from './schedule.js';

type DateTrigger = Extract<StoredTrigger, { type: 'date' }>;

/** The job that fires a date trigger for one record (server/jobs/tasks/workflow-date.ts). */
export const DATE_TASK = 'workflow_date';

/**
 * When a date trigger fires for a value: the value's day (a date, or a time's day in the time zone) moved by
 * `offsetDays`, at HH:MM in the time zone. No value, no time.
 */
export function dateFireTime(trigger: DateTrigger, value: unknown, zone: string): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const tz = isTimeZone(zone) ? zone : 'UTC';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: tz }) : DateTime.fromISO(value, { zone: 'UTC' }).setZone(tz);
  if (!day.isValid) return undefined;
  const [hour, minute] = trigger.at.split(':').map(Number) as [number, number];
  return day.startOf('day').plus({ days: trigger.offsetDays }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

export interface DateFiring {
  workflowId: string;
  version: number;
  recordId: string;
  at: string;
}

/**
 * Puts one record's firing on the queue when it is still to come: one pending job per workflow and record (its key),
 * so a changed date replaces the firing; a past one is not fired late.
 */
export async function scheduleDate(engine: Engine, trx: Transaction<Database>, wf: { id: string; version: number; trigger: DateTrigger }, recordId: string, value: unknown, zone: string, now = new Date()): Promise<void> {
  const at = dateFireTime(wf.trigger, value, zone);
  if (!engine.jobs || !at || at <= now) return;
  const firing: DateFiring = { workflowId: wf.id, version: wf.version, recordId, at: at.toISOString() };
  await engine.jobs.add(trx, DATE_TASK, firing, { runAt: at, jobKey: `date:${wf.id}:${recordId}`, maxAttempts: 10 });
}

/** A date workflow saved or turned on: every live record of its sheet gets its coming firing. */
export async function scheduleAllDates(engine: Engine, trx: Transaction<Database>, ws: WorkspaceOverview, wf: { id: string; version: number; trigger: StoredTrigger }): Promise<number> {
  if (wf.trigger.type !== 'date' || !engine.jobs) return 0;
  const trigger = wf.trigger;
  const sheet = ws.sheets.find((s) => s.id === trigger.sheet);
  const field = sheet?.fields.find((f) => f.id === trigger.field);
  if (!sheet || !field) return 0;
  const { time_zone: zone } = await trx.selectFrom('workspaces').select('time_zone').where('id', '=', ws.id).executeTakeFirstOrThrow();
  const column = sql.id('t', columnName(field.id));
  const value = field.type === 'date' ? sql`${column}::text` : sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const { rows } = await sql<{ id: string; value: string }>`
    SELECT t.id::text AS id, ${value} AS value FROM ${sheetTable(ws, sheet)} AS t
    WHERE t.deleted_at IS NULL AND ${column} IS NOT NULL`.execute(trx);
  for (const row of rows) await scheduleDate(engine, trx, { id: wf.id, version: wf.version, trigger }, row.id, row.value, zone);
  return rows.length;
}
