import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db.js';
import { badRequest } from '../errors.js';
import type { Sql } from '../field-types/field-type.js';
import type { SortKey } from './sort.js';

/** Where the previous page ended: the sort key values (as text) and the id of its last record. */
export interface CursorData {
  /** The sheet and its sort keys with their SQL types: a cursor of another listing, or of a retyped key, is refused. */
  s: string;
  k: (string | null)[];
  id: string;
}

/** What a cursor is valid for: the sheet, and each sort key's field, direction and SQL type. */
export const cursorScope = (sheetId: string, keys: readonly SortKey[]) =>
  [sheetId, ...keys.map((k) => `${k.descending ? '-' : ''}${k.fieldId}:${k.type}`)].join(',');

const mac = (key: Uint8Array, payload: string) => createHmac('sha256', key).update(payload).digest();

/** `<payload>.<HMAC-SHA256 of it>`, both base64url: the server reads back only what it wrote. */
export function encodeCursor(key: Uint8Array, scope: string, values: (string | null)[], id: string): string {
  const data: CursorData = { s: scope, k: values, id };
  const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export const CURSOR_INVALID = 'is not valid';
const invalid = () =>
  badRequest('cursor is not valid: take nextCursor from the previous page unchanged, with the same sheet and sort', { fields: { cursor: CURSOR_INVALID } });

/** The cursor's data if this server (or one sharing its database) signed it for this listing; 400 otherwise. */
export function decodeCursor(key: Uint8Array, scope: string, keyCount: number, cursor: string): CursorData {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw invalid();
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorData;
  } catch {
    throw invalid();
  }
  // Signed means written by a server; the shape is checked still, against a cursor of an older server version.
  const wellFormed =
    typeof data === 'object' && data !== null && data.s === scope && typeof data.id === 'string' && /^\d{1,18}$/.test(data.id) &&
    Array.isArray(data.k) && data.k.length === keyCount && data.k.every((v) => v === null || typeof v === 'string');
  if (!wellFormed) throw invalid();
  return data;
}

const keys = new WeakMap<object, Promise<Buffer>>();

/** The signing key of cursors, read once per database handle from server_secrets (migration 009). */
export function cursorKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = db
      .selectFrom('server_secrets')
      .select('value')
      .where('name', '=', 'cursor')
      .executeTakeFirstOrThrow()
      .then((row) => Buffer.from(row.value, 'base64url'));
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
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
