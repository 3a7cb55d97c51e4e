import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { decimalInputSchema, numberFormatter, numericFromStorage, numericFromText, numericToText, roundDecimal } from './shared/decimal.js';

const options = z.object({ precision: z.number().int().min(0).max(8).optional() }).strict();
type Options = z.output<typeof options>;

// 0.25 means 25 %: a precision of 1 (25.5 %) keeps three decimals of the stored fraction.
const storedPrecision = (o: Options) => (o.precision === undefined ? undefined : o.precision + 2);

export const percent = defineFieldType<Options>({
  id: 'percent',
  valueKind: 'number',
  parseOptions: zodOptions(options),
  storage: () => 'numeric',
  readOnly: false,
  searchable: false,
  inputSchema: () => decimalInputSchema,
  toStorage: (value, o) => roundDecimal(value as number, storedPrecision(o)),
  fromStorage: numericFromStorage,
  format: (value, o, locale) =>
    numberFormatter(locale, { style: 'percent', minimumFractionDigits: o.precision ?? 0, maximumFractionDigits: o.precision ?? 6 }).format(value as number),
  toTextSql: numericToText,
  // "25%" converts to 0.25; a bare number is taken as the fraction itself.
  fromTextSql: (text, o) =>
    sql`CASE WHEN ${text} ~ '%\\s*$' THEN ${numericFromText(sql`rtrim(${text}, '% ')`, undefined)} / 100 ELSE ${numericFromText(text, storedPrecision(o))} END`,
});
