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

/** A typed SQL expression: numbers `numeric`, text `text`, dates `date`, datetimes `timestamptz`; NULL is empty. */
export interface FormulaOperand {
  sql: Sql;
  type: FormulaType;
}

/** While compiling: BLANK() has no type of its own yet, and literals are remembered for reading them as dates. */
export interface Typed {
  sql: Sql;
  type: FormulaType | { kind: 'blank' };
  literal?: string;
  literalNumber?: number;
}

export const fail = (message: string): never => {
  throw new FormulaError(message, -1);
};

export const blank = (): Typed => ({ sql: sql`NULL`, type: { kind: 'blank' } });

const NUMERIC = new Set(['number', 'currency', 'percent']);

export function sqlTypeOf(type: FormulaType): SqlType {
  if (NUMERIC.has(type.kind)) return 'numeric';
  if (type.kind === 'date') return 'date';
  if (type.kind === 'datetime') return 'timestamptz';
  if (type.kind === 'boolean') return 'boolean';
  return 'text';
}

/** A number for arithmetic: numbers as they are, true/false as 1/0, empty as NULL; anything else is a type error. */
export function asNumber(t: Typed, what: string): Sql {
  if (NUMERIC.has(t.type.kind)) return t.sql;
  if (t.type.kind === 'boolean') return sql`(CASE WHEN ${t.sql} THEN 1 WHEN NOT ${t.sql} THEN 0 END)::numeric`;
  if (t.type.kind === 'blank') return sql`NULL::numeric`;
  return fail(`${what} needs numbers, not ${t.type.kind === 'text' ? 'text' : `a ${t.type.kind}`}`);
}

/** The numeric type a function keeps (ROUND of a currency is a currency). */
export function numericResult(t: Typed, what: string): FormulaType {
  asNumber(t, what);
  return t.type.kind === 'boolean' || t.type.kind === 'blank' ? { kind: 'number' } : (t.type as FormulaType);
}

/** Text as `&` shows it; empty is "" unless `emptyAsBlank` keeps it NULL (an IF branch). */
export function asText(t: Typed, emptyAsBlank = false): Sql {
  const text = (() => {
    switch (t.type.kind) {
      case 'text':
        return t.sql;
      case 'number':
      case 'currency':
      case 'percent':
        return sql`trim_scale(${t.sql})::text`;
      case 'date':
        return sql`to_char(${t.sql}, 'YYYY-MM-DD')`;
      case 'datetime':
        return sql`to_char((${t.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      case 'boolean':
        return sql`(CASE WHEN ${t.sql} THEN 'true' WHEN NOT ${t.sql} THEN 'false' END)`;
      case 'blank':
        return sql`NULL::text`;
    }
  })();
  return emptyAsBlank ? text : sql`COALESCE(${text}, '')`;
}

/** Truthiness: checked, non-zero, non-empty text, any date; empty is false. */
export function asBool(t: Typed): Sql {
  switch (t.type.kind) {
    case 'boolean':
      return sql`COALESCE(${t.sql}, FALSE)`;
    case 'text':
      return sql`COALESCE(${t.sql} <> '', FALSE)`;
    case 'blank':
      return sql`FALSE`;
    case 'date':
    case 'datetime':
      return sql`(${t.sql} IS NOT NULL)`;
    default:
      return sql`COALESCE(${t.sql} <> 0, FALSE)`;
  }
}

export function isEmptySql(t: Typed): Sql {
  if (t.type.kind === 'blank') return sql`TRUE`;
  if (t.type.kind === 'text') return sql`(${t.sql} IS NULL OR ${t.sql} = '')`;
  if (t.type.kind === 'boolean') return sql`(${t.sql} IS NOT TRUE)`;
  return sql`(${t.sql} IS NULL)`;
}

/** The type two branches share: the other's when one is empty, a currency over a number, otherwise text. */
export function unify(a: Typed['type'], b: Typed['type']): Typed['type'] {
  if (a.kind === 'blank') return b;
  if (b.kind === 'blank') return a;
  if (NUMERIC.has(a.kind) && NUMERIC.has(b.kind)) {
    if (a.kind === 'currency' && b.kind === 'currency') return a.currency === b.currency ? a : { kind: 'number' };
    if (a.kind === 'currency') return a;
    if (b.kind === 'currency') return b;
    return a.kind === b.kind ? a : { kind: 'number' };
  }
  if (a.kind === b.kind) return a;
  if ((a.kind === 'date' || a.kind === 'datetime') && (b.kind === 'date' || b.kind === 'datetime')) return { kind: 'datetime' };
  return { kind: 'text' };
}
