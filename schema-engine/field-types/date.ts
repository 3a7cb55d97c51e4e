import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, FieldValueError, zodOptions } from './field-type.js';
import { dateFormatter } from './shared/dates.js';
import { dateCell } from './shared/export-cells.js';

const options = z.object({}).strict();

export const date = defineFieldType<z.output<typeof options>>({
  id: 'date',
  valueKind: 'date',
  parseOptions: zodOptions(options),
  storage: () => 'date',
  readOnly: false,
  readsAsWritten: true,
  searchable: false,
  inputSchema: () => ({ type: 'string', format: 'date' }),
  outputSchema: () => ({ type: 'string', format: 'date' }),
  invalidMessage: 'must be a date written as YYYY-MM-DD, such as 2026-11-22',
  toStorage: (value) => {
    // There is no year 0 (PostgreSQL refuses it); the format allows it.
    if (String(value).startsWith('0000')) throw new FieldValueError('must be a date from the year 1 on');
    return value;
  },
  fromStorage: (raw) => (raw === null || raw === undefined ? undefined : String(raw)),
  format: (value, _o, locale) => dateFormatter(locale, false).format(new Date(`${String(value)}T00:00:00Z`)),
  exportCell: dateCell,
  toTextSql: (column) => sql`to_char(${column}, 'YYYY-MM-DD')`,
  fromTextSql: (text) => sql`crm_try_date(${text})`,
});
