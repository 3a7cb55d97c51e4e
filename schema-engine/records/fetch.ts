import { sql, type Kysely } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import { recordSelect, sheetTable } from './columns.js';
import { toRecord, type ReadOptions, type RecordJson, type RecordRow } from './read.js';

export interface FetchOptions {
  includeDeleted?: boolean;
  forUpdate?: boolean;
}

/** Rows of records by id in one statement, in no particular order; deleted ones only when asked. */
export async function fetchRows(db: Kysely<Database>, ws: WorkspaceOverview, sheet: SheetDef, ids: readonly string[], options: FetchOptions = {}): Promise<RecordRow[]> {
  if (!ids.length) return [];
  const live = options.includeDeleted ? sql`` : sql`AND t.deleted_at IS NULL`;
  // A sheet of a catalog narrowed for a user reads only the records they may read (access/narrow.ts).
  const readable = sheet.rowScope ? sql`AND ${sheet.rowScope('t')}` : sql``;
  const lock = options.forUpdate ? sql`FOR UPDATE OF t` : sql``;
  const { list, joins } = recordSelect(sheet);
  const result = await sql<RecordRow>`
    SELECT ${list} FROM ${sheetTable(ws, sheet)} AS t${joins}
    WHERE t.id = ANY(${ids}::bigint[]) ${live} ${readable} ${lock}`.execute(db);
  return result.rows;
}

/** Records by id in one statement, in the order of `ids`; deleted ones only when asked. */
export async function fetchRecords(
  db: Kysely<Database>,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  ids: readonly string[],
  options: ReadOptions & FetchOptions = {},
): Promise<RecordJson[]> {
  const rows = await fetchRows(db, ws, sheet, ids, options);
  const byId = new Map(rows.map((row) => [String(row.id), toRecord(row, sheet, { workspaceId: ws.id }, options)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Record ids in URLs are digits; anything else is simply not found. */
export const isRecordId = (value: string) => /^[1-9][0-9]{0,17}$/.test(value);
