import { z } from 'zod';
import { decimalType } from './shared/decimal.js';
import { formatCurrency } from './shared/display.js';
import { currencyCell } from './shared/export-cells.js';

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

export const currency = decimalType({
  id: 'currency',
  options,
  precision: (o) => o.precision,
  format: (value, o, locale) => formatCurrency(value, o, locale),
  exportCell: (value, o) => currencyCell(value, o.currency, o.precision),
  formulaType: (o) => ({ kind: 'currency', currency: o.currency, precision: o.precision }),
});
