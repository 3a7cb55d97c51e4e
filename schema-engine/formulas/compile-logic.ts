import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { or } from './compile-errors.js';
import {
  asDatetime,
  asNumber,
  asBool,
  asText,
  blank,
  dateLiteral,
  describe,
  describeZh,
  fail,
  isEmptySql,
  isNumeric,
  isTemporal,
  numericType,
  sqlTypeOf,
  unify,
  type FormulaType,
  type NumericType,
  type Typed,
} from './compile-types.js';

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
const SQL_OP: Record<ComparisonOp, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** As the user wrote it: the parser reads `=` as `==`. */
const shown = (op: ComparisonOp) => (op === '==' ? '=' : op);

const bool = (s: Sql): Typed => ({ sql: s, type: { kind: 'boolean' } });

/** A comparison, never empty: with BLANK() or "" it tests emptiness; otherwise an empty side makes it false (`!=` true). */
export function compare(op: ComparisonOp, a: Typed, b: Typed): Typed {
  const emptyLiteral = (t: Typed) => t.type.kind === 'blank' || t.literal === '';
  if (emptyLiteral(a) || emptyLiteral(b)) {
    if (op !== '==' && op !== '!=') fail(`${shown(op)} cannot compare with an empty value; use = or != to test for it`, `${shown(op)} 不能與空白值比較；請用 = 或 != 判斷是否為空白`);
    const empty = isEmptySql(emptyLiteral(a) ? b : a);
    return bool(op === '==' ? empty : sql`(NOT ${empty})`);
  }
  const [x, y, kind] = comparable(op, a, b);
  // Text order by code point, the same on every server whatever its locale.
  const collate = kind === 'text' && op !== '==' && op !== '!=' ? sql` COLLATE "C"` : sql``;
  const test = sql`(${x}${collate} ${sql.raw(SQL_OP[op])} ${y}${collate})`;
  return bool(sql`COALESCE(${test}, ${sql.raw(op === '!=' ? 'TRUE' : 'FALSE')})`);
}

/** Both sides as SQL of one comparable kind; a "YYYY-MM-DD" text literal beside a date is a date. */
function comparable(op: ComparisonOp, a: Typed, b: Typed): [Sql, Sql, string] {
  const mismatch = () => fail(`${shown(op)} compares ${describe(a.type)} with ${describe(b.type)}`, `${shown(op)} 不能比較${describeZh(a.type)}與${describeZh(b.type)}`);
  if (isTemporal(a.type) || isTemporal(b.type)) {
    const [da, db] = [a, b].map((t) => (isTemporal(t.type) ? t : (dateLiteral(t) ?? mismatch()))) as [Typed, Typed];
    const datetime = da.type.kind === 'datetime' || db.type.kind === 'datetime';
    return datetime ? [asDatetime(da), asDatetime(db), 'datetime'] : [da.sql, db.sql, 'date'];
  }
  const kindOf = (t: Typed) => (isNumeric(t.type) ? 'number' : t.type.kind);
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return mismatch();
  // "" is as empty as NULL; an unchecked box (NULL) is false.
  if (kind === 'text') return [sql`NULLIF(${a.sql}, '')`, sql`NULLIF(${b.sql}, '')`, kind];
  if (kind === 'boolean') return [sql`COALESCE(${a.sql}, FALSE)`, sql`COALESCE(${b.sql}, FALSE)`, kind];
  return [a.sql, b.sql, kind];
}

/** IF: an empty condition is false; the branches share one type (see unify), a missing else is empty. */
export function conditional(args: Typed[]): Typed {
  const [condition, then, otherwise] = args as [Typed, Typed, Typed | undefined];
  return choice('IF', [[asBool(condition), then]], otherwise, [condition]);
}

/** SWITCH(value, pattern, result, …, [default]): the result of the first pattern = the value (as `=` compares). */
export function switchCase(args: Typed[]): Typed {
  const [value, ...rest] = args as [Typed, ...Typed[]];
  const arms: [Sql, Typed][] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) arms.push([compare('==', value, rest[i]!).sql, rest[i + 1]!]);
  const otherwise = rest.length % 2 === 1 ? rest[rest.length - 1] : undefined;
  return choice('SWITCH', arms, otherwise, [value, ...rest.filter((_, i) => i % 2 === 0 && i + 1 < rest.length)]);
}

/**
 * One of several values by the first condition that holds: they share one type (see unify), none is empty. Errors:
 * those of the tests (`tested`) and of the value chosen only.
 */
function choice(name: string, arms: [Sql, Typed][], otherwise: Typed | undefined, tested: Typed[]): Typed {
  const unified = [...arms.map(([, t]) => t.type), otherwise?.type ?? { kind: 'blank' as const }].reduce(unify);
  if (unified.kind === 'blank') return withErrors(blank(), tested.map((t) => t.error));
  const type: FormulaType = unified;
  const branch = (t: Typed | undefined): Sql => {
    if (t === undefined || t.type.kind === 'blank') return sql`NULL::${sql.raw(sqlTypeOf(type))}`;
    if (type.kind === 'text') return asText(t, true);
    if (type.kind === 'datetime') return asDatetime(t);
    if (isNumeric(type)) return asNumber(t, name);
    return t.sql;
  };
  const whens = sql.join(arms.map(([test, t]) => sql`WHEN ${test} THEN ${branch(t)}`), sql` `);
  const value = sql`(CASE ${whens} ELSE ${branch(otherwise)} END)`;
  const anyError = arms.some(([, t]) => t.error) || otherwise?.error;
  const errorOf = (t: Typed | undefined) => t?.error ?? sql`FALSE`;
  const chosenError = anyError ? sql`(CASE ${sql.join(arms.map(([test, t]) => sql`WHEN ${test} THEN ${errorOf(t)}`), sql` `)} ELSE ${errorOf(otherwise)} END)` : undefined;
  return withErrors({ sql: value, type }, [...tested.map((t) => t.error), chosenError]);
}

function withErrors(t: Typed, errors: (Sql | undefined)[]): Typed {
  const error = or(errors);
  return error === undefined ? t : { ...t, error };
}

/** MIN/MAX: empty values are skipped (LEAST/GREATEST ignore NULL); all numbers or all dates. */
export function extreme(op: 'min' | 'max', args: Typed[]): Typed {
  const name = op.toUpperCase();
  const fn = sql.raw(op === 'min' ? 'LEAST' : 'GREATEST');
  const present = args.filter((a) => a.type.kind !== 'blank');
  if (!present.length) return blank();
  if (present.some((a) => isTemporal(a.type))) {
    const other = present.find((a) => !isTemporal(a.type));
    if (other) fail(`${name} needs all numbers or all dates, not a date and ${describe(other.type)}`);
    const datetime = present.some((a) => a.type.kind === 'datetime');
    return { sql: sql`${fn}(${sql.join(present.map((a) => (datetime ? asDatetime(a) : a.sql)))})`, type: { kind: datetime ? 'datetime' : 'date' } };
  }
  let type: NumericType = numericType(present[0]!, name);
  for (const a of present.slice(1)) {
    const next = numericType(a, name);
    if (type.kind === 'currency' && next.kind === 'currency' && type.currency !== next.currency) fail(`${name} mixes ${type.currency} and ${next.currency}`);
    type = unify(type, next) as NumericType;
  }
  return { sql: sql`${fn}(${sql.join(present.map((a) => asNumber(a, name)))})`, type };
}
