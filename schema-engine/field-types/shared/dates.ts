import { sql } from 'kysely';
import type { Sql } from '../field-type.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Dates are calendar days and datetimes are shown in UTC unless the client formats them itself. */
export function dateFormatter(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions = withTime
      ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }
      : { dateStyle: 'medium', timeZone: 'UTC' };
    try {
      formatter = new Intl.DateTimeFormat(locale, options);
    } catch {
      formatter = new Intl.DateTimeFormat('en', options);
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

export function datetimeFromStorage(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  return (raw instanceof Date ? raw : new Date(String(raw))).toISOString();
}

export const datetimeToText = (column: Sql): Sql =>
  sql`to_char((${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const formatDatetime = (value: unknown, locale: string) => dateFormatter(locale, true).format(new Date(String(value)));
