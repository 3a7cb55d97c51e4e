import { sql } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import type { Language } from '../messages.js';
import { listConditions } from '../query/list.js';
import { sheetTable } from '../records/columns.js';
import { dimension } from './dimensions.js';
import { parseSummary, type SummaryInput } from './parse.js';
import { valueSql } from './values.js';

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
 * narrowed sheet included). Each row's keys and values are selected once into a subquery `s`, then aggregated per
 * group and in all (GROUPING SETS: one scan). A list field puts a record in the group of each of its elements, so
 * the total is then taken over the rows counted once, beside the groups (UNION ALL).
 */
export async function summarize(db: Db, ws: WorkspaceOverview, sheet: SheetDef, input: SummaryInput, language: Language): Promise<Summary> {
  const spec = parseSummary(sheet, input, language);
  const where = listConditions(sheet, { filter: spec.filter, search: spec.search });
  const timeZone = sql`(SELECT w.time_zone FROM workspaces AS w WHERE w.id = ${ws.id})`;
  const dims = spec.groups.map((g, i) => dimension(g, { ws, language, timeZone }, `g${i}`));
  const values = spec.values.map((v) => valueSql(v, language));
  const table = sheetTable(ws, sheet);
  const valueColumns = sql.join(values.map((v, i) => sql`${v.row} AS ${sql.id(`a${i}`)}`));
  const aggregates = sql.join(values.map((v, i) => sql`${v.of(sql.ref(`s.a${i}`))} AS ${sql.id(`v${i}`)}`));
  const read = (row: Record<string, unknown> | undefined) => spec.values.map((_, i) => number(row?.[`v${i}`]));
  if (!dims.length) {
    const { rows } = await sql<Record<string, unknown>>`SELECT ${aggregates} FROM (SELECT ${valueColumns} FROM ${table} AS t WHERE ${where}) AS s`.execute(db);
    const total = read(rows[0]);
    return { rows: [{ group: [], values: total }], total };
  }
  const names = dims.flatMap((_, i) => ['k', 'o', 'd'].map((c) => `${c}${i}`));
  const keyColumns = sql.join(dims.flatMap((d, i) => (['k', 'o', 'd'] as const).map((c) => sql`${d[c]} AS ${sql.id(`${c}${i}`)}`)));
  const keys = sql.join(names.map((n) => sql.ref(`s.${n}`)));
  const joins = sql.join(dims.map((d, i) => (d.rows ? sql` LEFT JOIN LATERAL ${d.rows} AS ${sql.id(`g${i}`)} ON TRUE` : sql``)), sql``);
  const grouped = sql`(SELECT ${keyColumns}, ${valueColumns} FROM ${table} AS t${joins} WHERE ${where}) AS s`;
  const order = sql.join(dims.flatMap((_, i) => [sql`${sql.ref(`o${i}`)} ASC NULLS LAST`, sql`${sql.ref(`k${i}`)} ASC NULLS LAST`]));
  // The total first, then the groups in order (one more than answered, to tell a cut list).
  const statement = dims.some((d) => d.rows)
    ? sql`SELECT * FROM (
        (SELECT FALSE AS total, ${keys}, ${aggregates} FROM ${grouped} GROUP BY ${keys})
        UNION ALL (SELECT TRUE, ${sql.join(names.map(() => sql`NULL`))}, ${aggregates} FROM (SELECT ${valueColumns} FROM ${table} AS t WHERE ${where}) AS s)
      ) AS r ORDER BY r.total DESC, ${order} LIMIT ${MAX_SUMMARY_GROUPS + 2}`
    : sql`SELECT GROUPING(${keys}) <> 0 AS total, ${keys}, ${aggregates} FROM ${grouped}
        GROUP BY GROUPING SETS ((${keys}), ()) ORDER BY total DESC, ${order} LIMIT ${MAX_SUMMARY_GROUPS + 2}`;
  const { rows } = await sql<Record<string, unknown>>`${statement}`.execute(db);
  const totalRow = rows.shift();
  const result: Summary = {
    rows: rows.slice(0, MAX_SUMMARY_GROUPS).map((row) => ({ group: dims.map((d, i) => d.read(row[`k${i}`], row[`d${i}`])), values: read(row) })),
    total: read(totalRow),
  };
  if (rows.length > MAX_SUMMARY_GROUPS) result.truncated = true;
  return result;
}
