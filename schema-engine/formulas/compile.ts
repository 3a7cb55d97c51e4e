import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { tokenize } from './lexer.js';
import type { Logic } from './parser.js';
import { dateFunction } from './compile-dates.js';
import { asBool, asNumber, asText, blank, fail, isEmptySql, numericResult, sqlTypeOf, unify, type FormulaOperand, type FormulaType, type Typed } from './compile-types.js';

export type { FormulaOperand, FormulaType } from './compile-types.js';

/**
 * Formula logic (JsonLogic from the parser) compiled to one typed SQL expression, like a spreadsheet:
 * - arithmetic counts an empty value as 0; division by zero is empty; exact `numeric` throughout;
 * - `&`/CONCAT, UPPER, LOWER and LEN read an empty value as "";
 * - comparisons are never empty: an empty side makes `=` `<` `>` false and `!=` true, and comparing with BLANK()
 *   or "" tests emptiness;
 * - IF, AND, OR, NOT read empty as false; ROUND, ABS, YEAR, MONTH, DATEADD and DATEDIF of empty are empty;
 *   MIN and MAX skip empty values;
 * - the result type is inferred: a currency times a number is that currency, a date minus a date a number of days.
 */
export function compileFormula(logic: Logic, operand: (ref: string) => FormulaOperand): FormulaOperand {
  const typed = compile(logic, operand);
  if (typed.type.kind === 'blank') return { sql: sql`NULL::text`, type: { kind: 'text' } };
  return typed as FormulaOperand;
}

/** Field references of a formula with their positions (0-based), for errors that point at them. */
export function formulaReferences(source: string): { name: string; pos: number }[] {
  return tokenize(source).flatMap((t) => (t.kind === 'field' ? [{ name: t.name, pos: t.pos }] : []));
}

const COMPARE: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function compile(node: Logic, operand: (ref: string) => FormulaOperand): Typed {
  if (node === null) return blank();
  if (typeof node === 'number') return { sql: sql`${String(node)}::numeric`, type: { kind: 'number' }, literalNumber: node };
  if (typeof node === 'string') return { sql: sql`${node}::text`, type: { kind: 'text' }, literal: node };
  if (typeof node === 'boolean') return { sql: node ? sql`TRUE` : sql`FALSE`, type: { kind: 'boolean' } };
  const [op, raw] = Object.entries(node)[0]!;
  if (op === 'var') return operand(String(Array.isArray(raw) ? raw[0] : raw));
  const args = (Array.isArray(raw) ? raw : [raw]).map((a) => compile(a as Logic, operand));
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
      return args.length === 1 ? negate(args[0]!) : arithmetic(op, args[0]!, args[1]!);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, args[0]!, args[1]!);
    case 'cat':
      return { sql: sql`(${sql.join(args.map((a) => asText(a)), sql` || `)})`, type: { kind: 'text' } };
    case 'if':
      return conditional(args);
    case 'and':
    case 'or':
      return { sql: sql`(${sql.join(args.map(asBool), sql.raw(op === 'and' ? ' AND ' : ' OR '))})`, type: { kind: 'boolean' } };
    case '!':
      return { sql: sql`(NOT ${asBool(args[0]!)})`, type: { kind: 'boolean' } };
    case 'round': {
      const [x, digits] = args as [Typed, Typed | undefined];
      const type = numericResult(x, 'ROUND');
      const d = digits ? sql`COALESCE(${asNumber(digits, 'ROUND')}, 0)::int` : sql`0`;
      const fixed = digits?.literalNumber;
      const precision = fixed === undefined ? (digits ? undefined : 0) : fixed >= 0 ? fixed : 0;
      return { sql: sql`round(${asNumber(x, 'ROUND')}, ${d})`, type: withPrecision(type, precision) };
    }
    case 'abs':
      return { sql: sql`abs(${asNumber(args[0]!, 'ABS')})`, type: numericResult(args[0]!, 'ABS') };
    case 'min':
    case 'max':
      return extreme(op, args);
    case 'upper':
    case 'lower':
      return { sql: sql`${sql.raw(op)}(${asText(args[0]!)})`, type: { kind: 'text' } };
    case 'len':
      return { sql: sql`char_length(${asText(args[0]!)})::numeric`, type: { kind: 'number', precision: 0 } };
    case 'blank':
      return blank();
    default:
      return dateFunction(op, args);
  }
}

function withPrecision(type: FormulaType, precision: number | undefined): FormulaType {
  if (type.kind !== 'number' && type.kind !== 'currency' && type.kind !== 'percent') return type;
  const { precision: _old, ...rest } = type;
  return (precision === undefined ? rest : { ...rest, precision }) as FormulaType;
}

function negate(x: Typed): Typed {
  return { sql: sql`(-COALESCE(${asNumber(x, '-')}, 0))`, type: numericResult(x, '-') };
}

const maxPrecision = (a: FormulaType, b: FormulaType) => {
  const pa = (a as { precision?: number }).precision;
  const pb = (b as { precision?: number }).precision;
  return pa === undefined || pb === undefined ? undefined : Math.max(pa, pb);
};

function arithmetic(op: '+' | '-' | '*' | '/', a: Typed, b: Typed): Typed {
  const ka = a.type.kind;
  const kb = b.type.kind;
  if (op === '-' && ka === 'date' && kb === 'date') return { sql: sql`(${a.sql} - ${b.sql})::numeric`, type: { kind: 'number', precision: 0 } };
  if ((ka === 'date' || ka === 'datetime' || kb === 'date' || kb === 'datetime') && (op === '+' || op === '-')) {
    fail(`${op} cannot add or subtract a number and a date; use DATEADD({Date}, 3, "day")`);
  }
  const x = sql`COALESCE(${asNumber(a, op)}, 0)`;
  const y = sql`COALESCE(${asNumber(b, op)}, 0)`;
  const type = arithmeticType(op, numericResult(a, op), numericResult(b, op));
  if (op === '/') return { sql: sql`(${x} / NULLIF(${y}, 0))`, type };
  return { sql: sql`(${x} ${sql.raw(op)} ${y})`, type };
}

function arithmeticType(op: string, a: FormulaType, b: FormulaType): FormulaType {
  if (a.kind === 'currency' && b.kind === 'currency' && a.currency !== b.currency) fail(`${op} mixes ${a.currency} and ${b.currency}`);
  const currency = a.kind === 'currency' ? a : b.kind === 'currency' ? b : undefined;
  if (op === '+' || op === '-') {
    if (currency) return withPrecision(currency, maxPrecision(a, b) ?? currency.precision);
    if (a.kind === 'percent' && b.kind === 'percent') return withPrecision(a, maxPrecision(a, b));
    return withPrecision({ kind: 'number' }, maxPrecision(a, b));
  }
  if (op === '*' && currency && !(a.kind === 'currency' && b.kind === 'currency')) return { kind: 'currency', currency: currency.currency, ...(currency.precision !== undefined ? { precision: currency.precision } : {}) };
  if (op === '/' && a.kind === 'currency' && b.kind !== 'currency') return a;
  return { kind: 'number' };
}

function compare(op: string, a: Typed, b: Typed): Typed {
  const bool = (s: Sql): Typed => ({ sql: s, type: { kind: 'boolean' } });
  const emptyLiteral = (t: Typed) => t.type.kind === 'blank' || t.literal === '';
  if (emptyLiteral(a) || emptyLiteral(b)) {
    const other = emptyLiteral(a) ? b : a;
    if (op !== '==' && op !== '!=') fail(`${op} cannot compare with an empty value; use = or !=`);
    const empty = isEmptySql(other);
    return bool(op === '==' ? empty : sql`(NOT ${empty})`);
  }
  const [x, y, kind] = comparable(op, a, b);
  const collate = kind === 'text' && op !== '==' && op !== '!=' ? sql` COLLATE "C"` : sql``;
  const test = sql`(${x}${collate} ${sql.raw(COMPARE[op]!)} ${y}${collate})`;
  return bool(op === '!=' ? sql`COALESCE(${test}, TRUE)` : sql`COALESCE(${test}, FALSE)`);
}

/** Both sides as SQL of one comparable kind; a "YYYY-MM-DD" text beside a date is a date. */
function comparable(op: string, a: Typed, b: Typed): [Sql, Sql, string] {
  const temporal = (t: Typed) => t.type.kind === 'date' || t.type.kind === 'datetime';
  if (temporal(a) || temporal(b)) {
    const anyDatetime = a.type.kind === 'datetime' || b.type.kind === 'datetime';
    const cast = (t: Typed): Sql => {
      if (t.literal !== undefined && /^\d{4}-\d{2}-\d{2}/.test(t.literal)) return anyDatetime ? sql`${t.literal}::timestamptz` : sql`${t.literal}::date`;
      if (!temporal(t)) fail(`${op} compares a date with ${describe(t.type)}`);
      return anyDatetime && t.type.kind === 'date' ? sql`(${t.sql})::timestamptz` : t.sql;
    };
    return [cast(a), cast(b), 'date'];
  }
  const kindOf = (t: Typed['type']) => (t.kind === 'currency' || t.kind === 'percent' ? 'number' : t.kind);
  if (kindOf(a.type) !== kindOf(b.type)) fail(`${op} compares ${describe(a.type)} with ${describe(b.type)}`);
  return [a.sql, b.sql, kindOf(a.type)];
}

export function describe(type: Typed['type']): string {
  return type.kind === 'text' ? 'text' : type.kind === 'boolean' ? 'true/false' : `a ${type.kind}`;
}

function conditional(args: Typed[]): Typed {
  const [condition, then, otherwise] = args as [Typed, Typed, Typed | undefined];
  const unified = unify(then.type, otherwise?.type ?? { kind: 'blank' });
  if (unified.kind === 'blank') return blank();
  const type: FormulaType = unified;
  const branch = (t: Typed | undefined): Sql => {
    if (t === undefined || t.type.kind === 'blank') return sql`NULL::${sql.raw(sqlTypeOf(type))}`;
    if (type.kind === 'text') return asText(t, true);
    if (type.kind === 'datetime') return sql`(${t.sql})::timestamptz`;
    if (sqlTypeOf(type) === 'numeric') return asNumber(t, 'IF');
    return t.sql;
  };
  return { sql: sql`(CASE WHEN ${asBool(condition)} THEN ${branch(then)} ELSE ${branch(otherwise)} END)`, type };
}

function extreme(op: 'min' | 'max', args: Typed[]): Typed {
  const name = op.toUpperCase();
  const present = args.filter((a) => a.type.kind !== 'blank');
  if (!present.length) return blank();
  const temporal = present.every((a) => a.type.kind === 'date' || a.type.kind === 'datetime');
  if (temporal) {
    const datetime = present.some((a) => a.type.kind === 'datetime');
    const parts = present.map((a) => (datetime && a.type.kind === 'date' ? sql`(${a.sql})::timestamptz` : a.sql));
    return { sql: sql`${sql.raw(op === 'min' ? 'LEAST' : 'GREATEST')}(${sql.join(parts)})`, type: { kind: datetime ? 'datetime' : 'date' } };
  }
  let type = numericResult(present[0]!, name);
  for (const a of present.slice(1)) type = unify(type, numericResult(a, name)) as FormulaType;
  return { sql: sql`${sql.raw(op === 'min' ? 'LEAST' : 'GREATEST')}(${sql.join(present.map((a) => asNumber(a, name)))})`, type };
}

