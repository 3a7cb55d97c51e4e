import { sql } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import { badRequest } from '../errors.js';
import { containsNul, NUL_MESSAGE } from '../records/validator.js';
import type { Sql } from '../field-types/field-type.js';
import { recordSelect, sheetTable } from '../records/columns.js';
import { toRecord, type ReadOptions, type RecordJson, type RecordRow } from '../records/read.js';
import { afterCursor, cursorKey, cursorScope, decodeCursor, encodeCursor } from './cursor.js';
import { compileFilter } from './filter.js';
import { compileSearch, MAX_SEARCH_LENGTH } from './search.js';
import { orderBy, parseSort, type SortKey } from './sort.js';

export interface ListQuery extends ReadOptions {
  filter?: unknown;
  sort?: string;
  search?: string;
  limit?: number;
  cursor?: string;
  count?: boolean;
}

export interface ListResult {
  records: RecordJson[];
  nextCursor: string | null;
  total?: number;
}

export const MAX_LIMIT = 1000;

/** The WHERE of a listing: live records, the filter and the search, each checked (NUL, length) first. */
export function listConditions(sheet: SheetDef, query: Pick<ListQuery, 'filter' | 'search' | 'sort' | 'cursor'>): Sql {
  // PostgreSQL text cannot hold NUL: refused here, once, for every parameter that reaches SQL.
  for (const [name, value] of Object.entries({ filter: query.filter, search: query.search, sort: query.sort, cursor: query.cursor })) {
    if (containsNul(value)) throw badRequest(`${name}: ${NUL_MESSAGE}`, { fields: { [name]: NUL_MESSAGE } });
  }
  const conditions: Sql[] = [sql`t.deleted_at IS NULL`];
  // A sheet of a catalog narrowed for a user lists only the records they may read (access/narrow.ts).
  if (sheet.rowScope) conditions.push(sheet.rowScope('t'));
  if (query.filter !== undefined) conditions.push(compileFilter(sheet, query.filter));
  if (query.search) {
    if (query.search.length > MAX_SEARCH_LENGTH) throw badRequest(`search must be at most ${MAX_SEARCH_LENGTH} characters`, { fields: { search: 'too long' } });
    conditions.push(compileSearch(sheet, query.search));
  }
  return sql.join(conditions.map((c) => sql`(${c})`), sql` AND `);
}

/**
 * One statement per page. Its rows are picked first, on the sheet's own row (each sort key kept as `_s<i>`): one
 * ordered, limited read per range after the cursor (query/cursor.ts; an index on the sort key serves each), merged
 * in order. Only then are the records' values, computed ones included, selected for those rows.
 */
function pageSql(sheet: SheetDef, table: Sql, where: Sql, keys: readonly SortKey[], ranges: readonly Sql[], limit: number): Sql {
  const keyColumns = sql.join(keys.map((k, i) => sql`, ${k.expr} AS ${sql.id(`_s${i}`)}`), sql``);
  const read = (range: Sql) => sql`SELECT t.*${keyColumns} FROM ${table} AS t WHERE ${where} AND (${range}) ORDER BY ${orderBy(keys)} LIMIT ${limit}`;
  const picked = orderBy(keys.map((k, i) => ({ ...k, expr: sql.ref(`t._s${i}`) })));
  const rows =
    ranges.length === 1
      ? read(ranges[0]!)
      : sql`SELECT * FROM (${sql.join(ranges.map((r) => sql`(${read(r)})`), sql` UNION ALL `)}) AS t ORDER BY ${picked} LIMIT ${limit}`;
  const keyTexts = sql.join(keys.map((_, i) => sql`, ${sql.ref(`t._s${i}`)}::text AS ${sql.id(`_k${i}`)}`), sql``);
  const { list, joins } = recordSelect(sheet);
  return sql`SELECT ${list}${keyTexts} FROM (${rows}) AS t${joins} ORDER BY ${picked}`;
}

/** One statement per page: filter, search, keyset and sort in PostgreSQL; `count` adds one more. */
export async function listRecords(db: Db, ws: WorkspaceOverview, sheet: SheetDef, query: ListQuery): Promise<ListResult> {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}`, { fields: { limit: 'out of range' } });
  const where = listConditions(sheet, query);
  const keys = parseSort(sheet, query.sort);
  const signing = await cursorKey(db);
  const scope = cursorScope(sheet.id, keys);
  const ranges = query.cursor ? afterCursor(keys, decodeCursor(signing, scope, keys.length, query.cursor)) : [sql`TRUE`];
  const table = sheetTable(ws, sheet);
  const [rows, total] = await Promise.all([
    sql<RecordRow>`${pageSql(sheet, table, where, keys, ranges, limit + 1)}`.execute(db),
    query.count ? sql<{ n: string }>`SELECT count(*) AS n FROM ${table} AS t WHERE ${where}`.execute(db) : undefined,
  ]);
  const more = rows.rows.length > limit;
  const pageRows = more ? rows.rows.slice(0, limit) : rows.rows;
  const ctx = { workspaceId: ws.id };
  const last = pageRows[pageRows.length - 1];
  const result: ListResult = {
    records: pageRows.map((row) => toRecord(row, sheet, ctx, query)),
    nextCursor: more && last ? encodeCursor(signing, scope, keys.map((_, i) => (last[`_k${i}`] ?? null) as string | null), String(last.id)) : null,
  };
  if (total) result.total = Number(total.rows[0]!.n);
  return result;
}
