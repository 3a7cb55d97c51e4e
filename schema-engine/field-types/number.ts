import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { decimalInputSchema, numberFormatter, numericFromStorage, numericFromText, numericToText, roundDecimal } from './shared/decimal.js';

const options = z.object({ precision: z.number().int().min(0).max(8).optional() }).strict();
type Options = z.output<typeof options>;

export const number = defineFieldType<Options>({
  id: 'number',
  valueKind: 'number',
  parseOptions: zodOptions(options),
  storage: () => 'numeric',
  readOnly: false,
  searchable: false,
  inputSchema: () => decimalInputSchema,
  toStorage: (value, o) => roundDecimal(value as number, o.precision),
  fromStorage: numericFromStorage,
  format: (value, o, locale) => numberFormatter(locale, { minimumFractionDigits: o.precision ?? 0, maximumFractionDigits: o.precision ?? 8 }).format(value as number),
  toTextSql: numericToText,
  fromTextSql: (text, o) => numericFromText(text, o.precision),
});
