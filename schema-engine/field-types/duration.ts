import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { numericFromStorage, numericFromText, numericToText, roundDecimal } from './shared/decimal.js';
import { DURATION_FORMATS, excelDurationFormat, formatDuration } from './shared/duration.js';

const options = z.object({ format: z.enum(DURATION_FORMATS).optional() }).strict();

/**
 * A length of time as whole seconds in a numeric column: it filters, sorts, sums and reads in formulas as that
 * number, and shows as h:mm or h:mm:ss. Text converts from "1:30" or "1:30:15"; a plain number in text is seconds,
 * as the API writes them (so number ↔ duration keeps the number).
 */
export const duration = defineFieldType<z.output<typeof options>>({
  id: 'duration',
  valueKind: 'number',
  parseOptions: zodOptions(options),
  storage: () => 'numeric',
  readOnly: false,
  searchable: false,
  inputSchema: () => ({ type: 'number', minimum: -1e15, maximum: 1e15 }),
  outputSchema: () => ({ type: 'integer' }),
  invalidMessage: 'must be a number of seconds',
  toStorage: (value) => roundDecimal(value as number, 0),
  fromStorage: numericFromStorage,
  format: (value, o) => (typeof value === 'number' ? formatDuration(value, o.format) : ''),
  // XLSX: days, as spreadsheets keep times, shown [h]:mm; CSV: the text the app shows.
  exportCell: (value, o) =>
    typeof value === 'number' && Number.isFinite(value)
      ? { kind: 'number', value: value / 86400, format: excelDurationFormat(o.format), text: formatDuration(value, o.format) }
      : undefined,
  formulaType: () => ({ kind: 'number', precision: 0 }),
  toTextSql: numericToText,
  fromTextSql: (text) => sql`(SELECT CASE WHEN m IS NULL THEN ${numericFromText(text, 0)}
      ELSE (CASE WHEN m[1] = '-' THEN -1 ELSE 1 END) * (m[2]::numeric * 3600 + m[3]::numeric * 60 + coalesce(m[4]::numeric, 0)) END
    FROM regexp_match(trim(${text}), '^(-?)(\\d{1,12}):([0-5]?\\d)(?::([0-5]?\\d))?$') AS m)`,
});
