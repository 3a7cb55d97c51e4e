import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { datetimeFromStorage, datetimeToText, formatDatetime } from './shared/dates.js';

const options = z.object({}).strict();

export const datetime = defineFieldType<z.output<typeof options>>({
  id: 'datetime',
  valueKind: 'datetime',
  parseOptions: zodOptions(options),
  storage: () => 'timestamptz',
  readOnly: false,
  searchable: false,
  inputSchema: () => ({ type: 'string', format: 'date-time' }),
  invalidMessage: 'must be an ISO 8601 date and time with a time zone, such as 2026-11-22T09:30:00.000Z',
  toStorage: (value) => new Date(String(value)).toISOString(),
  fromStorage: datetimeFromStorage,
  format: (value, _o, locale) => formatDatetime(value, locale),
  toTextSql: datetimeToText,
  fromTextSql: (text) => sql`crm_try_timestamptz(${text})`,
});
