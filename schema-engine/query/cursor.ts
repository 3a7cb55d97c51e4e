import { sql } from 'kysely';
import { badRequest } from '../errors.js';
import type { Sql } from '../field-types/field-type.js';
import type { SortKey } from './sort.js';

/** Where the previous page ended: the sort key values (as text) and the id of its last record. */
interface CursorData {
  s: string;
  k: (string | null)[];
  id: string;
}

const signature = (keys: readonly SortKey[]) => keys.map((k) => `${k.descending ? '-' : ''}${k.fieldId}`).join(',');

export function encodeCursor(keys: readonly SortKey[], values: (string | null)[], id: string): string {
  const data: CursorData = { s: signature(keys), k: values, id };
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

const invalid = () => badRequest('cursor: not a cursor of this listing (take nextCursor from the previous page, with the same sort)', { fields: { cursor: 'is not valid' } });

export function decodeCursor(keys: readonly SortKey[], cursor: string): CursorData {
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorData;
  } catch {
    throw invalid();
  }
  const wellFormed =
    typeof data === 'object' && data !== null && typeof data.s === 'string' && typeof data.id === 'string' && /^\d{1,19}$/.test(data.id) &&
    Array.isArray(data.k) && data.k.length === keys.length && data.k.every((v) => v === null || typeof v === 'string');
  if (!wellFormed || data.s !== signature(keys)) throw invalid();
  return data;
}

/**
 * Rows strictly after the cursor in `ORDER BY keys NULLS LAST, id`, as disjoint conditions whose rows the listing
 * reads each in that order (query/list.ts). With every key ascending and no empty cursor value: the row comparison
 * `(k1, …, kn, id) > (v1, …, vn, last id)`, then for each key the rows tied on the keys before it whose value is empty
 * (empty values sort last, and a row comparison reaching an empty value is unknown). Those are separate conditions
 * when the sort index serves the key, so the first is a range scan from the cursor on and the empty values an index
 * lookup; otherwise they are one (apart they would be as many scans of the sheet). Other sorts and empty cursor
 * values: one condition, the expanded form `(k1 after v1) OR k1 IS NULL OR (k1 = v1 AND (…(id > last id)))`.
 */
export function afterCursor(keys: readonly SortKey[], data: CursorData): Sql[] {
  const params = keys.map((key, i) => {
    const value = data.k[i] ?? null;
    return value === null ? null : sql`${value}::${sql.raw(key.type)}`;
  });
  const id = sql`${data.id}::bigint`;
  if (keys.every((k) => !k.descending) && params.every((p) => p !== null)) {
    const row = (parts: Sql[]) => sql`(${sql.join(parts)})`;
    const range = sql`${row([...keys.map((k) => k.expr), sql`t.id`])} > ${row([...(params as Sql[]), id])}`;
    const empties = keys.map((key, i) => sql.join([...keys.slice(0, i).map((k, j) => sql`${k.expr} = ${params[j]!}`), sql`${key.expr} IS NULL`], sql` AND `));
    const ranges = [range, ...empties];
    return keys.length === 1 && keys[0]!.indexed ? ranges : [sql.join(ranges.map((r) => sql`(${r})`), sql` OR `)];
  }
  let condition: Sql = sql`t.id > ${id}`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i]!;
    const param = params[i];
    if (!param) {
      // Nothing sorts after an empty value but other empty values.
      condition = sql`(${key.expr} IS NULL AND ${condition})`;
      continue;
    }
    const after = key.descending ? sql`${key.expr} < ${param}` : sql`${key.expr} > ${param}`;
    condition = sql`(${after} OR ${key.expr} IS NULL OR (${key.expr} = ${param} AND ${condition}))`;
  }
  return [condition];
}
