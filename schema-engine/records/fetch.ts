import { sql, type Kysely } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import { recordSelectList, sheetTable } from './columns.js';
import { toRecord, type ReadOptions, type RecordJson, type RecordRow } from './read.js';

/** Records by id in one statement, in the order of `ids`; deleted ones only when asked. */
export async function fetchRecords(
  db: Kysely<Database>,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  ids: readonly string[],
  options: ReadOptions & { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<RecordJson[]> {
  if (!ids.length) return [];
  const live = options.includeDeleted ? sql`` : sql`AND t.deleted_at IS NULL`;
  const lock = options.forUpdate ? sql`FOR UPDATE OF t` : sql``;
  const result = await sql<RecordRow>`
    SELECT ${recordSelectList(sheet)} FROM ${sheetTable(ws, sheet)} AS t
    WHERE t.id = ANY(${ids}::bigint[]) ${live} ${lock}`.execute(db);
  const byId = new Map(result.rows.map((row) => [String(row.id), toRecord(row, sheet, { workspaceId: ws.id }, options)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Record ids in URLs are digits; anything else is simply not found. */
export const isRecordId = (value: string) => /^[1-9][0-9]{0,17}$/.test(value);
