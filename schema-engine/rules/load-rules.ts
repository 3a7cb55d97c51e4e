import type { RuleDef } from '../catalog/model.js';
import type { Db } from '../db.js';
import { conditionFieldIds } from './condition.js';

/** One workspace's rules by sheet id, in order (one query, part of the catalog load). */
export async function loadRules(db: Db, workspaceId: string): Promise<Map<string, RuleDef[]>> {
  const rows = await db
    .selectFrom('sheet_rules')
    .select(['id', 'sheet_id', 'condition', 'message', 'position', 'kind', 'locked_fields'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const bySheet = new Map<string, RuleDef[]>();
  for (const row of rows) {
    const list = bySheet.get(row.sheet_id) ?? [];
    list.push({
      id: row.id,
      kind: row.kind,
      lockedFieldIds: row.kind === 'lock' ? ((row.locked_fields as string[] | null) ?? null) : [],
      condition: row.condition,
      message: row.message,
      fieldIds: conditionFieldIds(row.condition),
      position: row.position,
    });
    bySheet.set(row.sheet_id, list);
  }
  return bySheet;
}
