import { DateTime, IANAZone } from 'luxon';
import type { Transaction } from 'kysely';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import type { StoredTrigger } from './model.js';

type Schedule = Extract<StoredTrigger, { type: 'schedule' }>;

/** The job that fires a scheduled workflow (server/jobs/tasks/workflow-schedule.ts). */
export const SCHEDULE_TASK = 'workflow_schedule';

export const isTimeZone = (zone: string) => IANAZone.isValidZone(zone);

/**
 * The first time strictly after `after` at which the schedule fires, in the time zone: every day at HH:MM; every
 * week on `weekday` (1 Monday … 7 Sunday, default Monday); every month on `day` (default 1; the 31st is the last day
 * of a shorter month). A time that does not exist that day (a DST gap) is moved forward as luxon does.
 */
export function nextOccurrence(trigger: Schedule, zone: string, after: Date): Date {
  const [hour, minute] = trigger.at.split(':').map(Number) as [number, number];
  const base = DateTime.fromJSDate(after, { zone: isTimeZone(zone) ? zone : 'UTC' });
  const at = (d: DateTime) => d.set({ hour, minute, second: 0, millisecond: 0 });
  const onDay = (month: DateTime) => at(month.set({ day: Math.min(trigger.day ?? 1, month.daysInMonth ?? 28) }));
  let candidate: DateTime;
  switch (trigger.every) {
    case 'day':
      candidate = at(base);
      if (candidate <= base) candidate = at(base.plus({ days: 1 }));
      break;
    case 'week': {
      const weekday = trigger.weekday ?? 1;
      candidate = at(base.plus({ days: (weekday - base.weekday + 7) % 7 }));
      if (candidate <= base) candidate = at(candidate.plus({ weeks: 1 }));
      break;
    }
    case 'month':
      candidate = onDay(base.startOf('month'));
      if (candidate <= base) candidate = onDay(base.startOf('month').plus({ months: 1 }));
      break;
  }
  return candidate.toJSDate();
}

/**
 * Puts the workflow's next firing on the queue, one pending job per workflow (its key): saving it again replaces
 * the pending one, and every server shares the one job, so a schedule fires once however many servers run.
 */
export async function scheduleNext(engine: Engine, trx: Transaction<Database>, wf: { id: string; workspaceId: string; version: number; trigger: StoredTrigger }, after: Date): Promise<Date | undefined> {
  if (wf.trigger.type !== 'schedule' || !engine.jobs) return undefined;
  const ws = await trx.selectFrom('workspaces').select('time_zone').where('id', '=', wf.workspaceId).executeTakeFirstOrThrow();
  const at = nextOccurrence(wf.trigger, ws.time_zone, after);
  await engine.jobs.add(trx, SCHEDULE_TASK, { workflowId: wf.id, version: wf.version, at: at.toISOString() }, { runAt: at, jobKey: `schedule:${wf.id}`, maxAttempts: 10 });
  return at;
}
