import { z } from 'zod';
import { decimalType } from './shared/decimal.js';
import { formatNumber } from './shared/display.js';
import { numberCell } from './shared/export-cells.js';

// `thousands: false` shows 1996 rather than 1,996 (years, codes).
const options = z.object({ precision: z.number().int().min(0).max(8).optional(), thousands: z.boolean().optional() }).strict();

export const number = decimalType({
  id: 'number',
  options,
  precision: (o) => o.precision,
  format: (value, o, locale) => formatNumber(value, o, locale),
  exportCell: (value, o) => numberCell(value, o.precision, o.thousands === false ? (o.precision ? `0.${'0'.repeat(o.precision)}` : '0') : undefined),
  formulaType: (o) => ({ kind: 'number', ...(o.precision !== undefined ? { precision: o.precision } : {}) }),
});
