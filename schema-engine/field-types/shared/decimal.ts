import Big from 'big.js';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { FormulaType } from '../../formulas/compile.js';
import { defineFieldType, zodOptions, type ExportCell, type FieldType, type Sql } from '../field-type.js';

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Decimal values are exact: rounding happens on the decimal text of the number, never in binary floating point,
 * so 0.1 + 0.2 stored in a currency field sums to 0.30 in SQL. big.js is a small, well-kept decimal library.
 */
export function roundDecimal(value: number, precision: number | undefined): string {
  const text = String(value);
  // Most values already fit: plain decimal text with no more decimals than kept needs only zeros appended, which is
  // what big.js would answer, without building a Big (a batch of a thousand records rounds thousands of values).
  if (precision !== undefined && PLAIN_DECIMAL.test(text)) {
    const point = text.indexOf('.');
    const decimals = point < 0 ? 0 : text.length - point - 1;
    if (decimals <= precision) {
      if (decimals === precision) return text;
      return (point < 0 ? `${text}.` : text) + '0'.repeat(precision - decimals);
    }
  }
  const exact = new Big(text);
  // toFixed keeps the scale (0.10), so sums in SQL carry the field's precision: 0.10 + 0.20 = 0.30.
  return precision === undefined ? exact.toString() : exact.round(precision, Big.roundHalfUp).toFixed(precision);
}

/** pg returns numeric as text; the API speaks JSON numbers. */
export function numericFromStorage(raw: unknown): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  return typeof raw === 'number' ? raw : Number(raw);
}

export const numericToText = (column: Sql): Sql => sql`(${column})::text`;

export function numericFromText(text: Sql, precision: number | undefined): Sql {
  // "NaN", "Infinity" and numbers beyond a double parse as numeric but are no JSON number: they do not convert.
  const n = sql`(SELECT CASE WHEN abs(v) < 1e308 THEN v END FROM crm_try_numeric(${text}) AS v)`;
  return precision === undefined ? n : sql`round(${n}, ${sql.lit(precision)})`;
}


interface DecimalSpec<O> {
  id: string;
  options: z.ZodType<O>;
  /** Decimals kept when a value is written (undefined: as given). */
  precision(options: O): number | undefined;
  format(value: number, options: O, locale: string): string;
  /** The value as a spreadsheet cell: a number with the type's format (export-cells.ts). */
  exportCell(value: unknown, options: O): ExportCell | undefined;
  fromTextSql?(text: Sql, options: O): Sql;
  /** What a formula reads a value as (its kind and decimals). */
  formulaType(options: O): FormulaType;
}

/** number, currency and percent: exact decimals in a numeric column, differing in precision and display. */
export function decimalType<O>(spec: DecimalSpec<O>): FieldType<O> {
  return defineFieldType<O>({
    id: spec.id,
    valueKind: 'number',
    parseOptions: zodOptions(spec.options) as (input: unknown) => O,
    storage: () => 'numeric',
    readOnly: false,
    // numeric keeps the exact decimal sent; whatever text it answers, Number() of it is the same double.
    readsAsWritten: true,
    searchable: false,
    inputSchema: () => ({ type: 'number' }),
    outputSchema: () => ({ type: 'number' }),
    invalidMessage: 'must be a number',
    toStorage: (value, o) => roundDecimal(value as number, spec.precision(o)),
    fromStorage: numericFromStorage,
    format: (value, o, locale) => spec.format(value as number, o, locale),
    exportCell: (value, o) => spec.exportCell(value, o),
    toTextSql: numericToText,
    fromTextSql: spec.fromTextSql ?? ((text, o) => numericFromText(text, spec.precision(o))),
    formulaType: spec.formulaType,
  });
}
