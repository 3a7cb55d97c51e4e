import { z } from 'zod';
import { decimalType, numberFormatter } from './shared/decimal.js';
import { numberCell } from './shared/export-cells.js';

const options = z.object({ precision: z.number().int().min(0).max(8).optional() }).strict();

export const number = decimalType({
  id: 'number',
  options,
  precision: (o) => o.precision,
  format: (value, o, locale) => numberFormatter(locale, { minimumFractionDigits: o.precision ?? 0, maximumFractionDigits: o.precision ?? 8 }).format(value),
  exportCell: (value, o) => numberCell(value, o.precision),
});
