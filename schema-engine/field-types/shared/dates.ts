import { sql } from 'kysely';
import type { Sql } from '../field-type.js';

export function datetimeFromStorage(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  return (raw instanceof Date ? raw : new Date(String(raw))).toISOString();
}

export const datetimeToText = (column: Sql): Sql =>
  sql`to_char((${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
