import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, FieldValueError, zodOptions } from './field-type.js';
import { DATE_FORMATS, formatDate } from './shared/display.js';
import { dateCell } from './shared/export-cells.js';

const options = z.object({ dateFormat: z.enum(DATE_FORMATS).optional() }).strict();

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
  format: (value, o, locale) => formatDate(String(value), o, locale),
  formulaType: () => ({ kind: 'date' }),
  exportCell: dateCell,
  toTextSql: (column) => sql`to_char(${column}, 'YYYY-MM-DD')`,
  fromTextSql: (text) => sql`crm_try_date(${text})`,
});
