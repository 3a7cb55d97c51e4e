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
 * Rows strictly after the cursor in `ORDER BY keys NULLS LAST, id`: the expanded form
 * (k1 after v1) OR (k1 = v1 AND ((k2 after v2) OR ... (id > last id))).
 */
export function afterCursor(keys: readonly SortKey[], data: CursorData): Sql {
  let condition: Sql = sql`t.id > ${data.id}::bigint`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i]!;
    const value = data.k[i] ?? null;
    if (value === null) {
      // Nothing sorts after an empty value but other empty values.
      condition = sql`(${key.expr} IS NULL AND ${condition})`;
      continue;
    }
    const param = sql`${value}::${sql.raw(key.type)}`;
    const after = key.descending ? sql`${key.expr} < ${param}` : sql`${key.expr} > ${param}`;
    condition = sql`(${after} OR ${key.expr} IS NULL OR (${key.expr} = ${param} AND ${condition}))`;
  }
  return condition;
}
