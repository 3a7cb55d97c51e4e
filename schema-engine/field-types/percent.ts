import { sql } from 'kysely';
import { z } from 'zod';
import { decimalType, numericFromText } from './shared/decimal.js';
import { formatPercent } from './shared/display.js';
import { percentCell } from './shared/export-cells.js';

const options = z.object({ precision: z.number().int().min(0).max(8).optional() }).strict();
type Options = z.output<typeof options>;

// 0.25 means 25 %: a precision of 1 (25.5 %) keeps three decimals of the stored fraction.
const storedPrecision = (o: Options) => (o.precision === undefined ? undefined : o.precision + 2);

export const percent = decimalType({
  id: 'percent',
  options,
  precision: storedPrecision,
  format: (value, o, locale) => formatPercent(value, o, locale),
  exportCell: (value, o) => percentCell(value, o.precision),
  formulaType: (o) => ({ kind: 'percent', ...(o.precision !== undefined ? { precision: o.precision } : {}) }),
  // "25%" converts to 0.25; a bare number is taken as the fraction itself.
  fromTextSql: (text, o) =>
    sql`CASE WHEN ${text} ~ '%\\s*$' THEN ${numericFromText(sql`rtrim(${text}, '% ')`, undefined)} / 100 ELSE ${numericFromText(text, storedPrecision(o))} END`,
});
