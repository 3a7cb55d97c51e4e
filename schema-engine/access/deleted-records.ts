import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { EngineError, badRequest } from '../errors.js';
import { MAX_LIMIT } from '../query/list.js';
import { cursorKey, decodeCursor, encodeCursor } from '../query/cursor.js';
import { compileSearch, MAX_SEARCH_LENGTH } from '../query/search.js';
import { sheetTable } from '../records/columns.js';
import { fetchRecords } from '../records/fetch.js';
import type { RecordJson } from '../records/read.js';
import { containsNul, NUL_MESSAGE } from '../records/validator.js';
import { scopeEngine, writeTransaction } from '../transaction.js';
import { readableSheet } from './guard.js';
import type { Access } from './model.js';
import { deleteSheetRecord } from './records.js';

export interface DeletedRecord {
  record: RecordJson;
  deletedAt: string;
  /** Who deleted it (the last writer of a deleted row is its deleter: a deleted record takes no other write). */
  deletedBy: { id: string; name: string } | null;
}

export interface DeletedQuery {
  search?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/**
 * A sheet's deleted records, the latest deleted first, that the user may read and restore (their delete scope):
 * the record trash. A role that deletes no record of the sheet restores none, so it is refused (403).
 */
export async function listDeletedRecords(engine: Engine, access: Access, sheetRef: string, query: DeletedQuery): Promise<{ records: DeletedRecord[]; nextCursor: string | null }> {
  const grant = readableSheet(access, sheetRef);
  const removable = grant.rows('delete');
  if (removable === undefined) throw new EngineError('forbidden', `Your role (${access.role.name}) cannot restore records of "${grant.full.name}"`);
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}`, { fields: { limit: 'out of range' } });
  for (const [name, value] of Object.entries({ search: query.search, cursor: query.cursor })) {
    if (containsNul(value)) throw badRequest(`${name}: ${NUL_MESSAGE}`, { fields: { [name]: NUL_MESSAGE } });
  }
  const conditions = [sql`t.deleted_at IS NOT NULL`];
  if (grant.sheet.rowScope) conditions.push(grant.sheet.rowScope('t'));
  if (removable) conditions.push(removable('t'));
  if (query.search) {
    if (query.search.length > MAX_SEARCH_LENGTH) throw badRequest(`search must be at most ${MAX_SEARCH_LENGTH} characters`, { fields: { search: 'too long' } });
    conditions.push(compileSearch(grant.sheet, query.search));
  }
  const signing = await cursorKey(engine.db);
  // Its own scope: a cursor of the sheet's live listing is refused here, and one of this listing there.
  const scope = `${grant.sheet.id},deleted`;
  if (query.cursor) {
    const after = decodeCursor(signing, scope, 1, query.cursor);
    conditions.push(sql`(t.deleted_at, t.id) < (${after.k[0]}::timestamptz, ${after.id}::bigint)`);
  }
  const where = sql.join(conditions.map((c) => sql`(${c})`), sql` AND `);
  const { rows } = await sql<{ id: string; deleted_at: string; deleted_at_text: string; by_id: string | null; by_name: string | null }>`
    SELECT t.id::text AS id, t.deleted_at, t.deleted_at::text AS deleted_at_text, u.id AS by_id, u.name AS by_name
    FROM ${sheetTable(access.ws, grant.sheet)} AS t LEFT JOIN users AS u ON u.id = t.updated_by
    WHERE ${where} ORDER BY t.deleted_at DESC, t.id DESC LIMIT ${limit + 1}`.execute(engine.db);
  const page = rows.slice(0, limit);
  const records = await fetchRecords(engine.db, access.ws, grant.sheet, page.map((r) => r.id), { includeDeleted: true });
  const byId = new Map(records.map((r) => [r.id, r]));
  const last = page[page.length - 1];
  return {
    records: page.flatMap((row) => {
      const record = byId.get(row.id);
      return record ? [{ record, deletedAt: new Date(row.deleted_at).toISOString(), deletedBy: row.by_id ? { id: row.by_id, name: row.by_name ?? '' } : null }] : [];
    }),
    nextCursor: rows.length > limit && last ? encodeCursor(signing, scope, [last.deleted_at_text], last.id) : null,
  };
}

/**
 * Brings several deleted records back, all or nothing (an undo of a multi-row delete): each must be one the user may
 * read and delete, and deleted; else the first refusal answers (404, 403) and none is restored.
 */
export async function restoreSheetRecords(engine: Engine, access: Access, sheetRef: string, ids: readonly string[]): Promise<RecordJson[]> {
  readableSheet(access, sheetRef);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw badRequest(`ids: record ${twice} is named twice`, { fields: { ids: `names record ${twice} twice` } });
  return writeTransaction(engine.db, access.full, async (trx) => {
    const scoped = scopeEngine(engine, trx);
    const restored: RecordJson[] = [];
    for (const id of ids) restored.push(await deleteSheetRecord(scoped, access, sheetRef, id, false));
    return restored;
  });
}
