import Big from 'big.js';
import { sql } from 'kysely';
import type { Sql } from '../field-type.js';

/**
 * Decimal values are exact: rounding happens on the decimal text of the number, never in binary floating point,
 * so 0.1 + 0.2 stored in a currency field sums to 0.30 in SQL. big.js is a small, well-kept decimal library.
 */
export function roundDecimal(value: number, precision: number | undefined): string {
  const exact = new Big(String(value));
  return precision === undefined ? exact.toString() : exact.round(precision, Big.roundHalfUp).toString();
}

/** pg returns numeric as text; the API speaks JSON numbers. */
export function numericFromStorage(raw: unknown): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  return typeof raw === 'number' ? raw : Number(raw);
}

export const numericToText = (column: Sql): Sql => sql`(${column})::text`;

export function numericFromText(text: Sql, precision: number | undefined): Sql {
  const n = sql`crm_try_numeric(${text})`;
  return precision === undefined ? n : sql`round(${n}, ${sql.lit(precision)})`;
}

export const decimalInputSchema = { type: 'number' } as const;

const formatters = new Map<string, Intl.NumberFormat>();

/** Intl.NumberFormat is slow to build; one per locale and style is kept. An unknown locale falls back to English. */
export function numberFormatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, options);
    } catch {
      formatter = new Intl.NumberFormat('en', options);
    }
    formatters.set(key, formatter);
  }
  return formatter;
}
