import pg from 'pg';
import type { SheetDef } from '../catalog/model.js';
import type { ReadContext } from '../field-types/field-type.js';

export interface RecordJson {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: Record<string, unknown>;
}

export interface ReadOptions {
  /** `string`: every value as display text in `locale`, like Airtable's cellFormat=string. */
  cellFormat?: 'json' | 'string';
  locale?: string;
}

/** A selected row: `created_at` and `updated_at` as PostgreSQL's text (records/columns.ts), the fields by id. */
export type RecordRow = Record<string, unknown> & { id: string; version: number; created_at: string; updated_at: string };

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as a UTC session writes it ('2026-11-22 09:30:00.123456+00') → ISO 8601 with milliseconds
 * ('2026-11-22T09:30:00.123Z'), by rearranging the text (as Date would: the fraction is cut, not rounded). Parsing a
 * Date and formatting it again was a tenth of the server's time for a page of records. Anything else (a year
 * before 1 or after 9999) goes through Date.
 */
export function isoTimestamp(text: string): string {
  const m = UTC_TIMESTAMP.exec(text);
  if (!m) return parseTimestamptz(text).toISOString();
  return `${m[1]}T${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}Z`;
}

/**
 * A selected row → the API record; empty values are omitted. `written`: the values just inserted, which stand in for
 * the columns of fields whose values read as written (see insertedSelectList).
 */
export function toRecord(row: RecordRow, sheet: SheetDef, ctx: ReadContext, options: ReadOptions = {}, written?: ReadonlyMap<string, unknown>): RecordJson {
  const fields: Record<string, unknown> = {};
  const asString = options.cellFormat === 'string';
  for (const field of sheet.fields) {
    const raw = written && field.impl.readsAsWritten ? written.get(field.id) : row[field.id];
    const value = field.impl.fromStorage(raw ?? null, field.options, ctx);
    if (value === undefined) continue;
    fields[field.name] = asString ? field.impl.format(value, field.options, options.locale ?? 'en') : value;
  }
  return {
    id: String(row.id),
    version: row.version,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    fields,
  };
}
