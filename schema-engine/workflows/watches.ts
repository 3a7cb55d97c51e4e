import { sql } from 'kysely';
import type { SheetWorkflows } from '../catalog/model.js';
import type { Db } from '../db.js';

const NONE: SheetWorkflows = { triggers: [], locks: false };

/**
 * Per sheet, what its workflows ask of a write (catalog/model.ts SheetWorkflows), read with the workspace's catalog.
 * Locks come from every version of a live workflow, not only the current one: a run started on an older version may
 * still wait for its approval.
 */
export async function loadSheetWorkflows(db: Db, workspaceId: string): Promise<(sheetId: string) => SheetWorkflows> {
  const { rows } = await sql<{ sheet_id: string; triggers: string[]; locks: boolean }>`
    SELECT sheet_id, array_remove(array_agg(DISTINCT trigger_type), NULL) AS triggers, bool_or(locks) AS locks FROM (
      SELECT trigger_sheet_id AS sheet_id, trigger_type, false AS locks FROM workflows
      WHERE workspace_id = ${workspaceId} AND enabled AND deleted_at IS NULL AND trigger_sheet_id IS NOT NULL
      UNION ALL
      SELECT v.trigger->>'sheet', NULL, true FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
      WHERE w.workspace_id = ${workspaceId} AND w.deleted_at IS NULL AND v.trigger ? 'sheet'
        AND jsonb_path_exists(v.steps, '$[*] ? (@.type == "approval" && exists (@.lockFields[*]))')
    ) watched GROUP BY sheet_id`.execute(db);
  const bySheet = new Map(rows.map((r) => [r.sheet_id, { triggers: r.triggers, locks: r.locks }]));
  return (sheetId) => bySheet.get(sheetId) ?? NONE;
}
