import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, FieldValueError, zodOptions } from './field-type.js';
import { datetimeFromStorage, datetimeToText } from './shared/dates.js';
import { CLOCKS, DATE_FORMATS, formatDatetime } from './shared/display.js';
import { datetimeCell } from './shared/export-cells.js';

const options = z.object({ dateFormat: z.enum(DATE_FORMATS).optional(), clock: z.enum(CLOCKS).optional() }).strict();

export const datetime = defineFieldType<z.output<typeof options>>({
  id: 'datetime',
  valueKind: 'datetime',
  parseOptions: zodOptions(options),
  storage: () => 'timestamptz',
  readOnly: false,
  searchable: false,
  inputSchema: () => ({ type: 'string', format: 'date-time' }),
  outputSchema: () => ({ type: 'string', format: 'date-time' }),
  invalidMessage: 'must be an ISO 8601 date and time with a time zone, such as 2026-11-22T09:30:00.000Z',
  toStorage: (value) => {
    // The format lets through a leap second (23:59:60, no JavaScript time) and UTC years PostgreSQL cannot read.
    const time = new Date(String(value));
    const year = time.getUTCFullYear();
    if (Number.isNaN(year) || year < 1 || year > 9999) throw new FieldValueError('must be a time between the years 1 and 9999 (UTC), without a leap second');
    return time.toISOString();
  },
  fromStorage: datetimeFromStorage,
  format: (value, o, locale) => formatDatetime(String(value), o, locale),
  formulaType: () => ({ kind: 'datetime' }),
  exportCell: (value, _o, ctx) => datetimeCell(value, ctx),
  toTextSql: datetimeToText,
  fromTextSql: (text) => sql`crm_try_timestamptz(${text})`,
});
