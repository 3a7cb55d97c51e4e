import { sql } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import type { Language } from '../messages.js';
import { listConditions } from '../query/list.js';
import { sheetTable } from '../records/columns.js';
import { dimension } from './dimensions.js';
import { parseSummary, type SummaryInput } from './parse.js';
import { aggregate } from './values.js';

export interface SummaryRow {
  group: unknown[];
  values: (number | null)[];
}

export interface Summary {
  rows: SummaryRow[];
  total: (number | null)[];
  /** Set when there were more groups than MAX_SUMMARY_GROUPS: the first ones are answered. */
  truncated?: true;
}

export const MAX_SUMMARY_GROUPS = 10_000;

const number = (raw: unknown): number | null => (raw === null || raw === undefined ? null : Number(raw));

/**
 * Counts, sums, averages, minimums and maximums per group of up to two fields, and over all the rows, in one
 * statement over the rows a listing with the same filter and search would show (query/list.ts: the row scope of a
 * narrowed sheet included). A list field puts a record in the group of each of its elements; the total counts it once.
 */
export async function summarize(db: Db, ws: WorkspaceOverview, sheet: SheetDef, input: SummaryInput, language: Language): Promise<Summary> {
  const spec = parseSummary(sheet, input, language);
  const where = listConditions(sheet, { filter: spec.filter, search: spec.search });
  const timeZone = sql`(SELECT w.time_zone FROM workspaces AS w WHERE w.id = ${ws.id})`;
  const dims = spec.groups.map((g, i) => dimension(g, { ws, language, timeZone }, `g${i}`));
  const aggregates = sql.join(spec.values.map((v, i) => sql`${aggregate(v, language)} AS ${sql.id(`v${i}`)}`));
  const table = sheetTable(ws, sheet);
  const totalSql = sql`SELECT ${aggregates} FROM ${table} AS t WHERE ${where}`;
  if (!dims.length) {
    const { rows } = await sql<Record<string, unknown>>`${totalSql}`.execute(db);
    const total = spec.values.map((_, i) => number(rows[0]?.[`v${i}`]));
    return { rows: [{ group: [], values: total }], total };
  }
  const columns = (fill: boolean) =>
    sql.join(dims.flatMap((d, i) => (['k', 'o', 'd'] as const).map((c) => sql`${fill ? d[c] : sql`NULL`} AS ${sql.id(`${c}${i}`)}`)));
  const joins = sql.join(dims.map((d, i) => (d.rows ? sql` LEFT JOIN LATERAL ${d.rows} AS ${sql.id(`g${i}`)} ON TRUE` : sql``)), sql``);
  // By position: the key columns follow the first (`total`).
  const groupBy = sql.raw(dims.flatMap((_, i) => [2, 3, 4].map((n) => n + 3 * i)).join(', '));
  const order = sql.join(dims.flatMap((_, i) => [sql`${sql.ref(`o${i}`)} ASC NULLS LAST`, sql`${sql.ref(`k${i}`)} ASC NULLS LAST`]));
  // The groups (one more than answered, to tell a cut list) and, as the last row, the total over rows counted once.
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM (
      (SELECT FALSE AS total, ${columns(true)}, ${aggregates} FROM ${table} AS t${joins} WHERE ${where} GROUP BY ${groupBy} ORDER BY ${order} LIMIT ${MAX_SUMMARY_GROUPS + 1})
      UNION ALL (SELECT TRUE, ${columns(false)}, ${aggregates} FROM ${table} AS t WHERE ${where})
    ) AS s ORDER BY s.total, ${order}`.execute(db);
  const totalRow = rows.pop()!;
  const values = (row: Record<string, unknown>) => spec.values.map((_, i) => number(row[`v${i}`]));
  const result: Summary = {
    rows: rows.slice(0, MAX_SUMMARY_GROUPS).map((row) => ({ group: dims.map((d, i) => d.read(row[`k${i}`], row[`d${i}`])), values: values(row) })),
    total: values(totalRow),
  };
  if (rows.length > MAX_SUMMARY_GROUPS) result.truncated = true;
  return result;
}
