import { sql } from 'kysely';
import type { Sql, SqlType } from '../field-types/field-type.js';
import { FormulaError } from './lexer.js';

export type FormulaType =
  | { kind: 'number'; precision?: number }
  | { kind: 'currency'; currency: string; precision?: number }
  | { kind: 'percent'; precision?: number }
  | { kind: 'text' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'boolean' };

/** A typed SQL expression: numbers are `numeric`, text `text`, dates `date`, datetimes `timestamptz`, booleans `boolean`; SQL NULL is the empty value. */
export interface FormulaOperand {
  sql: Sql;
  type: FormulaType;
}

/** While compiling: BLANK() has no type of its own yet, and literals are remembered (a "YYYY-MM-DD" text beside a date is a date). */
export interface Typed {
  sql: Sql;
  type: FormulaType | { kind: 'blank' };
  literal?: string;
  literalNumber?: number;
  /**
   * True (SQL) when the value is an error (÷ 0, √ of a negative…): such a value is NULL, so a read never fails, and
   * ISERROR reads this. Undefined: never an error.
   */
  error?: Sql;
}

export type NumericType = Extract<FormulaType, { kind: 'number' | 'currency' | 'percent' }>;

export const fail = (message: string, zh?: string): never => {
  throw new FormulaError(message, -1, zh);
};

export const blank = (): Typed => ({ sql: sql`NULL`, type: { kind: 'blank' } });

export const isNumeric = (type: Typed['type']): type is NumericType => type.kind === 'number' || type.kind === 'currency' || type.kind === 'percent';
export const isTemporal = (type: Typed['type']) => type.kind === 'date' || type.kind === 'datetime';

export function describe(type: Typed['type']): string {
  switch (type.kind) {
    case 'text':
      return 'text';
    case 'boolean':
      return 'true/false';
    case 'blank':
      return 'an empty value';
    default:
      return `a ${type.kind}`;
  }
}

export function describeZh(type: Typed['type']): string {
  const names = { text: '文字', boolean: '是非值', blank: '空白值', number: '數字', currency: '金額', percent: '百分比', date: '日期', datetime: '日期時間' } as const;
  return names[type.kind];
}

export function sqlTypeOf(type: FormulaType): SqlType {
  if (isNumeric(type)) return 'numeric';
  if (type.kind === 'date') return 'date';
  if (type.kind === 'datetime') return 'timestamptz';
  if (type.kind === 'boolean') return 'boolean';
  return 'text';
}

export const precisionOf = (type: Typed['type']): number | undefined => (isNumeric(type) ? type.precision : undefined);

/** The type with this display precision (none when undefined); non-numbers as they are. */
export function withPrecision<T extends FormulaType>(type: T, precision: number | undefined): T {
  if (!isNumeric(type)) return type;
  const { precision: _old, ...rest } = type;
  return (precision === undefined ? rest : { ...rest, precision }) as T;
}

/** Both precisions' maximum, or unknown when either is. */
export function maxPrecision(a: Typed['type'], b: Typed['type']): number | undefined {
  const pa = precisionOf(a);
  const pb = precisionOf(b);
  return pa === undefined || pb === undefined ? undefined : Math.max(pa, pb);
}

/** A number for arithmetic: numbers as they are, true/false as 1/0, empty as NULL; anything else is a type error. */
export function asNumber(t: Typed, what: string): Sql {
  if (isNumeric(t.type)) return t.sql;
  if (t.type.kind === 'boolean') return sql`(${t.sql})::int::numeric`;
  if (t.type.kind === 'blank') return sql`NULL::numeric`;
  return fail(`${what} needs numbers, not ${describe(t.type)}`, `${what} 需要數字，不能是${describeZh(t.type)}`);
}

/** The numeric type a value has in arithmetic (ROUND of a currency is a currency; true/false and empty are numbers). */
export function numericType(t: Typed, what: string): NumericType {
  asNumber(t, what);
  return isNumeric(t.type) ? t.type : { kind: 'number' };
}

/** A date at midnight UTC as a timestamptz, whatever the session's time zone. */
export const dateAsTimestamptz = (date: Sql): Sql => sql`((${date})::timestamp AT TIME ZONE 'UTC')`;

/** A date or datetime as a timestamptz. */
export const asDatetime = (t: Typed): Sql => (t.type.kind === 'date' ? dateAsTimestamptz(t.sql) : t.sql);

/** Text as `&` shows it; empty is "" unless `emptyAsBlank` keeps it NULL (an IF branch). */
export function asText(t: Typed, emptyAsBlank = false): Sql {
  const text = (() => {
    switch (t.type.kind) {
      case 'text':
        return t.sql;
      case 'number':
      case 'currency':
      case 'percent':
        // 2.50 reads "2.5", as a spreadsheet shows a number without a format.
        return sql`trim_scale(${t.sql})::text`;
      case 'date':
        return sql`to_char(${t.sql}, 'YYYY-MM-DD')`;
      case 'datetime':
        return sql`to_char((${t.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      case 'boolean':
        return sql`(${t.sql})::text`;
      case 'blank':
        return sql`NULL::text`;
    }
  })();
  return emptyAsBlank ? text : sql`COALESCE(${text}, '')`;
}

/** Truthiness, never NULL: checked, non-zero, non-empty text, any date; empty is false. */
export function asBool(t: Typed): Sql {
  switch (t.type.kind) {
    case 'boolean':
      return sql`COALESCE(${t.sql}, FALSE)`;
    case 'text':
      return sql`(COALESCE(${t.sql}, '') <> '')`;
    case 'blank':
      return sql`FALSE`;
    case 'date':
    case 'datetime':
      return sql`((${t.sql}) IS NOT NULL)`;
    default:
      return sql`COALESCE((${t.sql}) <> 0, FALSE)`;
  }
}

/** Whether a value is empty: NULL, or "" for text, or unchecked for true/false (as a checkbox reads). */
export function isEmptySql(t: Typed): Sql {
  if (t.type.kind === 'blank') return sql`TRUE`;
  if (t.type.kind === 'text') return sql`(COALESCE(${t.sql}, '') = '')`;
  if (t.type.kind === 'boolean') return sql`((${t.sql}) IS NOT TRUE)`;
  return sql`((${t.sql}) IS NULL)`;
}

/**
 * The type two IF branches (or MIN/MAX operands) share: the other's when one is BLANK(), a currency over a plain
 * number, a number for two different currencies, a datetime for a date and a datetime, otherwise text.
 */
export function unify(a: Typed['type'], b: Typed['type']): Typed['type'] {
  if (a.kind === 'blank') return b;
  if (b.kind === 'blank') return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === 'currency' && b.kind === 'currency') return a.currency === b.currency ? withPrecision(a, maxPrecision(a, b)) : { kind: 'number' };
    if (a.kind === 'currency') return a;
    if (b.kind === 'currency') return b;
    return withPrecision(a.kind === b.kind ? a : { kind: 'number' }, maxPrecision(a, b));
  }
  if (a.kind === b.kind) return a;
  if (isTemporal(a) && isTemporal(b)) return { kind: 'datetime' };
  return { kind: 'text' };
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A "YYYY-MM-DD" literal as a date (undefined when `t` is no such literal); an impossible date is an error. */
export function dateLiteral(t: Typed): Typed | undefined {
  const match = t.literal === undefined ? null : DATE_TEXT.exec(t.literal);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const parsed = new Date(0);
  parsed.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0-99 as 1900-1999
  if (parsed.getUTCFullYear() !== y || parsed.getUTCMonth() !== m - 1 || parsed.getUTCDate() !== d) fail(`"${t.literal}" is not a date`, `「${t.literal}」不是日期`);
  return { sql: sql`${t.literal}::date`, type: { kind: 'date' } };
}
