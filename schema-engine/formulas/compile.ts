import { sql } from 'kysely';
import { calendarFunction } from './compile-calendar.js';
import { dateFunction, type CalendarContext } from './compile-dates.js';
import { failingWhen, isError, withArgumentErrors } from './compile-errors.js';
import { compare, conditional, extreme, switchCase, type ComparisonOp } from './compile-logic.js';
import { numberFunction } from './compile-numbers.js';
import { textFunction } from './compile-text.js';
import {
  asBool,
  asNumber,
  asText,
  blank,
  describe,
  describeZh,
  fail,
  isTemporal,
  maxPrecision,
  numericType,
  withPrecision,
  type FormulaOperand,
  type FormulaType,
  type NumericType,
  type Typed,
} from './compile-types.js';
import { FUNCTION_BY_OP, FUNCTIONS } from './functions.js';
import { tokenize } from './lexer.js';
import type { Logic } from './parser.js';

export type { FormulaOperand, FormulaType } from './compile-types.js';
export type { CalendarContext } from './compile-dates.js';

/** Without a workspace (tests, checks of logic alone) the calendar is UTC's. */
const UTC: CalendarContext = { timeZone: sql`'UTC'` };

/*
 * Formula logic (JsonLogic from the parser) compiled to one typed SQL expression, as a spreadsheet reads it.
 * Every value is a parameter; the result is a plain expression, usable in any SELECT. SQL NULL is "empty".
 * - Arithmetic: exact `numeric`; an empty operand is 0, true/false are 1/0; x / 0 is empty. date − date is whole days
 *   (empty if either is); any other + or − with a date is refused (DATEADD/DATEDIF say what unit is meant).
 *   Types: currency ± currency (same code) or number → currency; currency × number, currency ÷ number → currency
 *   (keeping its precision); currency ÷ currency → number; percent ± percent → percent, otherwise percent is a number.
 *   Precision is the larger of known ones for + and −, a literal's is its decimals, unknown after × and ÷.
 * - `&`, CONCAT, UPPER, LOWER, LEN read values as text ("" when empty): numbers without trailing zeros, dates
 *   YYYY-MM-DD, datetimes ISO 8601 in UTC, true/false.
 * - Comparisons are never empty. Against BLANK() or "" they test emptiness ("" and unchecked are empty too); otherwise
 *   an empty side makes =, <, <=, >, >= false and != true. Text compares exactly, ordered by code point
 *   (COLLATE "C"); a "YYYY-MM-DD" literal beside a date is a date; a date beside a datetime is midnight UTC.
 * - IF, AND, OR, NOT read empty as false, numbers non-zero, text non-empty. IF's branches share a type (see unify).
 * - ROUND (half away from zero), ABS, YEAR, MONTH, DATEADD, DATEDIF of an empty value are empty; MIN/MAX skip empty
 *   values. DATEADD and DATEDIF work in UTC and match rules/operations.ts (dateAdd, dateDif) used in the browser;
 *   TODAY, YEAR, MONTH and the calendar functions (compile-calendar.ts) read datetimes in the workspace's time zone.
 * - Errors (÷ 0, √ of a negative…) are empty values that ISERROR recognises: see compile-errors.ts. Text and number
 *   functions: compile-text.ts, compile-numbers.ts.
 */
export function compileFormula(logic: Logic, operand: (ref: string) => FormulaOperand, ctx: CalendarContext = UTC): FormulaOperand {
  const typed = compile(logic, operand, ctx);
  if (typed.type.kind === 'blank') return { sql: sql`NULL::text`, type: { kind: 'text' } };
  return typed as FormulaOperand;
}

/** Field references of a formula with their positions (0-based), for errors that point at them. */
export function formulaReferences(source: string): { name: string; pos: number }[] {
  return tokenize(source).flatMap((t) => (t.kind === 'field' ? [{ name: t.name, pos: t.pos }] : []));
}

/** A number literal's decimals as JavaScript prints it (1.50 was read as 1.5: one); unknown in exponent form. */
const decimalsOf = (n: number) => (/e/i.test(String(n)) ? undefined : (String(n).split('.')[1]?.length ?? 0));

const OPERATOR_ARITY: Record<string, [number, number]> = {
  '+': [2, Infinity],
  '*': [2, Infinity],
  '-': [1, 2],
  '/': [2, 2],
  '==': [2, 2],
  '!=': [2, 2],
  '<': [2, 2],
  '<=': [2, 2],
  '>': [2, 2],
  '>=': [2, 2],
  cat: [1, Infinity], // `a & b & …` has no limit, unlike CONCAT's
};

const rangeZh = (min: number, max: number) => (min === max ? `${min}` : max === Infinity ? `${min} 或更多` : `${min} 到 ${max}`);

/** Hand-written logic (not from the parser) may call with any number of arguments. */
function checkArity(op: string, count: number): void {
  const name = FUNCTION_BY_OP.get(op);
  const fn = name === undefined ? undefined : FUNCTIONS[name];
  const [min, max] = OPERATOR_ARITY[op] ?? (fn ? [fn.min, fn.max] : fail(`unknown operation "${op}"`));
  const range = min === max ? `${min}` : max === Infinity ? `${min} or more` : `${min} to ${max}`;
  if (count < min || count > max) fail(`${name ?? op} takes ${range} argument${max === 1 ? '' : 's'}, not ${count}`, `${name ?? op} 需要 ${rangeZh(min, max)} 個引數，而不是 ${count} 個`);
}

function compile(node: Logic, operand: (ref: string) => FormulaOperand, ctx: CalendarContext): Typed {
  if (node === null) return blank();
  if (typeof node === 'number') {
    const type = withPrecision<FormulaType>({ kind: 'number' }, decimalsOf(node));
    return { sql: sql`${String(node)}::numeric`, type, literalNumber: node };
  }
  if (typeof node === 'string') return { sql: sql`${node}::text`, type: { kind: 'text' }, literal: node };
  if (typeof node === 'boolean') return { sql: sql`${node}::boolean`, type: { kind: 'boolean' } };
  const [op, raw] = Object.entries(node)[0] ?? fail('an empty operation {}');
  if (op === 'var') {
    const found = operand(String(Array.isArray(raw) ? raw[0] : raw));
    return { sql: sql`(${found.sql})`, type: found.type };
  }
  const list = Array.isArray(raw) ? raw : [raw];
  checkArity(op, list.length);
  const args = list.map((a) => compile(a, operand, ctx));
  // IF and SWITCH carry only the errors of the branch taken; ISERROR none.
  if (op === 'if') return conditional(args);
  if (op === 'switch') return switchCase(args);
  if (op === 'iserror') return isError(args[0]!);
  return withArgumentErrors(operation(op, args, ctx), args);
}

function operation(op: string, args: Typed[], ctx: CalendarContext): Typed {
  switch (op) {
    case '+':
    case '*':
      return args.slice(1).reduce((left, right) => arithmetic(op, left, right), args[0]!);
    case '-':
      return args.length === 1 ? negate(args[0]!) : arithmetic(op, args[0]!, args[1]!);
    case '/':
      return arithmetic(op, args[0]!, args[1]!);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op as ComparisonOp, args[0]!, args[1]!);
    case 'cat':
      return { sql: sql`(${sql.join(args.map((a) => asText(a)), sql` || `)})`, type: { kind: 'text' } };
    case 'and':
    case 'or':
      return { sql: sql`(${sql.join(args.map(asBool), sql.raw(op === 'and' ? ' AND ' : ' OR '))})`, type: { kind: 'boolean' } };
    case '!':
      return { sql: sql`(NOT ${asBool(args[0]!)})`, type: { kind: 'boolean' } };
    case 'round':
      return round(args[0]!, args[1]);
    case 'abs':
      return { sql: sql`abs(${asNumber(args[0]!, 'ABS')})`, type: numericType(args[0]!, 'ABS') };
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
      return dateFunction(op, args, ctx) ?? textFunction(op, args) ?? numberFunction(op, args) ?? calendarFunction(op, args, ctx) ?? fail(`unknown operation "${op}"`);
  }
}

/** round(numeric, int) rounds half away from zero; digits are clamped so an odd value cannot fail the query. */
function round(x: Typed, digits: Typed | undefined): Typed {
  const type = numericType(x, 'ROUND');
  const d = digits ? sql`LEAST(GREATEST(round(COALESCE(${asNumber(digits, 'ROUND')}, 0)), -100), 100)::int` : sql`0`;
  const fixed = digits === undefined ? 0 : digits.literalNumber;
  const precision = fixed === undefined ? undefined : Math.min(Math.max(Math.round(fixed), 0), 100);
  return { sql: sql`round(${asNumber(x, 'ROUND')}, ${d})`, type: withPrecision(type, precision) };
}

function negate(x: Typed): Typed {
  return { sql: sql`(-COALESCE(${asNumber(x, '-')}, 0))`, type: numericType(x, '-') };
}

function arithmetic(op: '+' | '-' | '*' | '/', a: Typed, b: Typed): Typed {
  if (op === '-' && a.type.kind === 'date' && b.type.kind === 'date') return { sql: sql`((${a.sql}) - (${b.sql}))::numeric`, type: { kind: 'number', precision: 0 } };
  if ((op === '+' || op === '-') && (isTemporal(a.type) || isTemporal(b.type))) {
    if (isTemporal(a.type) && isTemporal(b.type)) fail(`${op} cannot combine ${describe(a.type)} and ${describe(b.type)}; use DATEDIF({Start}, {End}, "hour") for the time between them`, `${op} 不能合併${describeZh(a.type)}與${describeZh(b.type)}；兩者之間的時間請用 DATEDIF({Start}, {End}, "hour")`);
    fail(`${op} cannot add or subtract a number and a date; use DATEADD({Date}, 3, "day")`, `${op} 不能將數字與日期相加減；請用 DATEADD({Date}, 3, "day")`);
  }
  const x = sql`COALESCE(${asNumber(a, op)}, 0)`;
  const y = sql`COALESCE(${asNumber(b, op)}, 0)`;
  const type = arithmeticType(op, numericType(a, op), numericType(b, op));
  if (op === '/') return failingWhen({ sql: sql`(${x} / NULLIF(${y}, 0))`, type }, sql`(${y} = 0)`);
  return { sql: sql`(${x} ${sql.raw(op)} ${y})`, type };
}

function arithmeticType(op: string, a: NumericType, b: NumericType): NumericType {
  if (a.kind === 'currency' && b.kind === 'currency' && a.currency !== b.currency) fail(`${op} mixes ${a.currency} and ${b.currency}`, `${op} 混用了 ${a.currency} 與 ${b.currency}`);
  const currency = a.kind === 'currency' ? a : b.kind === 'currency' ? b : undefined;
  if (op === '+' || op === '-') {
    if (currency) return withPrecision(currency, maxPrecision(a, b) ?? currency.precision);
    return withPrecision(a.kind === 'percent' && b.kind === 'percent' ? a : { kind: 'number' }, maxPrecision(a, b));
  }
  const both = a.kind === 'currency' && b.kind === 'currency';
  if (op === '*' && currency && !both) return currency;
  if (op === '/' && a.kind === 'currency' && !both) return a;
  return { kind: 'number' };
}
