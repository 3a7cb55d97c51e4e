import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { numericFromStorage, numericToText } from './shared/decimal.js';
import { numberCell } from './shared/export-cells.js';

const options = z.object({ max: z.number().int().min(1).max(10).default(5) }).strict();
type Options = z.output<typeof options>;

export const rating = defineFieldType<Options>({
  id: 'rating',
  valueKind: 'number',
  parseOptions: zodOptions(options),
  storage: () => 'smallint',
  readOnly: false,
  // A rating reads as a whole number (computed/result-of.ts).
  formulaType: () => ({ kind: 'number', precision: 0 }),
  readsAsWritten: true,
  searchable: false,
  inputSchema: (o) => ({ type: 'integer', minimum: 1, maximum: o.max }),
  outputSchema: (o) => ({ type: 'integer', minimum: 1, maximum: o.max }),
  invalidMessage: undefined,
  toStorage: (value) => value,
  fromStorage: numericFromStorage,
  format: (value, o) => '★'.repeat(value as number) + '☆'.repeat(Math.max(0, o.max - (value as number))),
  exportCell: (value) => numberCell(value, 0, '0'),
  toTextSql: numericToText,
  fromTextSql: (text, o) => {
    const n = sql`round(crm_try_numeric(${text}))`;
    return sql`CASE WHEN ${n} BETWEEN 1 AND ${sql.lit(o.max)} THEN ${n}::smallint END`;
  },
});
