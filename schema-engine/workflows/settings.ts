import { z } from 'zod';
import { audit } from '../access/changes.js';
import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { Engine } from '../engine.js';
import { badRequest } from '../errors.js';
import { transact } from '../transaction.js';
import type { StoredTrigger } from './model.js';
import { isTimeZone, scheduleNext } from './schedule.js';

export interface WorkspaceSettings {
  name: string;
  timeZone: string;
  locale: string;
}

export const settingsPatchSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    timeZone: z.string().max(100).refine(isTimeZone, 'must be an IANA time zone such as Asia/Taipei or UTC').optional(),
    locale: z.enum(['en', 'zh-TW']).optional(),
  })
  .strict();

async function read(engine: Engine, workspaceId: string): Promise<WorkspaceSettings> {
  const row = await engine.db.selectFrom('workspaces').select(['name', 'time_zone', 'locale']).where('id', '=', workspaceId).executeTakeFirstOrThrow();
  return { name: row.name, timeZone: row.time_zone, locale: row.locale };
}

/** Any member reads them (the app shows dates in the time zone). */
export function getSettings(engine: Engine, access: Access): Promise<WorkspaceSettings> {
  return read(engine, access.workspaceId);
}

/** Admins change them; a new time zone moves every schedule to its times. */
export async function updateSettings(engine: Engine, access: Access, input: unknown): Promise<WorkspaceSettings> {
  requireDesign(access);
  const parsed = settingsPatchSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || 'settings';
    throw badRequest(`${key}: ${issue.message}`, { fields: { [key]: issue.message } });
  }
  const before = await read(engine, access.workspaceId);
  const { name, timeZone, locale } = parsed.data;
  await transact(engine.db, async (trx) => {
    await trx
      .updateTable('workspaces')
      .set({ ...(name !== undefined ? { name } : {}), ...(timeZone !== undefined ? { time_zone: timeZone } : {}), ...(locale !== undefined ? { locale } : {}) })
      .where('id', '=', access.workspaceId)
      .execute();
    if (timeZone !== undefined && timeZone !== before.timeZone) {
      const schedules = await trx
        .selectFrom('workflows as w')
        .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.version'))
        .select(['w.id', 'w.version', 'v.trigger'])
        .where('w.workspace_id', '=', access.workspaceId)
        .where('w.trigger_type', '=', 'schedule')
        .where('w.enabled', '=', true)
        .where('w.deleted_at', 'is', null)
        .execute();
      for (const wf of schedules) await scheduleNext(engine, trx, { id: wf.id, workspaceId: access.workspaceId, version: wf.version, trigger: wf.trigger as StoredTrigger }, new Date());
    }
    await audit(trx, access, 'settings.update', { kind: 'workspace', id: access.workspaceId, name: name ?? before.name }, before, { ...before, ...parsed.data });
  });
  // The catalog carries the name: dropped here; other servers read it again at their next schema change.
  if (name !== undefined) engine.catalog.invalidate(access.workspaceId);
  return read(engine, access.workspaceId);
}
