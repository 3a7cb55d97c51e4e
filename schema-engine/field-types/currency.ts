import { z } from 'zod';
import { defineFieldType, zodOptions } from './field-type.js';
import { decimalInputSchema, numberFormatter, numericFromStorage, numericFromText, numericToText, roundDecimal } from './shared/decimal.js';

const currencyCodes = new Set(Intl.supportedValuesOf('currency'));

const options = z
  .object({
    currency: z
      .string()
      .default('USD')
      .refine((code) => currencyCodes.has(code), { message: 'must be an ISO 4217 currency code such as USD, EUR or TWD' }),
    precision: z.number().int().min(0).max(8).default(2),
  })
  .strict();
type Options = z.output<typeof options>;

export const currency = defineFieldType<Options>({
  id: 'currency',
  valueKind: 'number',
  parseOptions: zodOptions(options),
  storage: () => 'numeric',
  readOnly: false,
  searchable: false,
  inputSchema: () => decimalInputSchema,
  toStorage: (value, o) => roundDecimal(value as number, o.precision),
  fromStorage: numericFromStorage,
  format: (value, o, locale) =>
    numberFormatter(locale, {
      style: 'currency',
      currency: o.currency,
      minimumFractionDigits: o.precision,
      maximumFractionDigits: o.precision,
    }).format(value as number),
  toTextSql: numericToText,
  fromTextSql: (text, o) => numericFromText(text, o.precision),
});
