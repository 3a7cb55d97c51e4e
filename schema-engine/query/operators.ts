import { sql } from 'kysely';
import type { FieldDef } from '../catalog/model.js';
import type { Sql, ValueKind } from '../field-types/field-type.js';
import type { ChoiceOptions } from '../field-types/shared/choices.js';
import { OperandError } from './filter.js';
import { isCalendarDate, parseDatetime } from '../field-types/shared/calendar.js';

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
type OpName = ComparisonOp | 'in' | 'contains' | 'starts_with' | 'is_empty' | 'is_not_empty';
type Compile = (column: Sql, value: unknown, field: FieldDef) => Sql;
type Operators = Partial<Record<OpName, Compile>>;

const SQL_OP: Record<ComparisonOp, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Builds the operators of one value kind from how it compares a single value. `==`/`!=` against an empty value
 * test emptiness, and "is not" keeps empty rows (IS DISTINCT FROM), as a spreadsheet user expects.
 */
function comparable(cast: (value: unknown, field: FieldDef) => Sql, isEmpty: (c: Sql) => Sql = (c) => sql`${c} IS NULL`, extra: Operators = {}): Operators {
  const compare = (op: ComparisonOp): Compile => (column, value, field) => {
    if (isBlank(value)) {
      if (op === '==') return isEmpty(column);
      if (op === '!=') return sql`NOT (${isEmpty(column)})`;
      throw new OperandError(`"${op}" needs a value`);
    }
    const param = cast(value, field);
    if (op === '!=') return sql`${column} IS DISTINCT FROM ${param}`;
    return sql`${column} ${sql.raw(SQL_OP[op])} ${param}`;
  };
  return {
    '==': compare('=='),
    '!=': compare('!='),
    '<': compare('<'),
    '<=': compare('<='),
    '>': compare('>'),
    '>=': compare('>='),
    in: (column, value, field) => {
      const list = value as unknown[];
      if (!list.length) return sql`FALSE`;
      return sql`${column} IN (${sql.join(list.map((v) => cast(v, field)))})`;
    },
    is_empty: (column) => isEmpty(column),
    is_not_empty: (column) => sql`NOT (${isEmpty(column)})`,
    ...extra,
  };
}

function expectString(value: unknown): string {
  if (typeof value !== 'string') throw new OperandError(`expects text, not ${JSON.stringify(value)}`);
  return value;
}

function expectNumber(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new OperandError(`expects a number, not ${JSON.stringify(value)}`);
  return String(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function expectDate(value: unknown): string {
  if (!isCalendarDate(value)) throw new OperandError(`expects a date written as YYYY-MM-DD, a day that exists in the years 1 to 9999, not ${JSON.stringify(value)}`);
  return value;
}
function expectDatetime(value: unknown): string {
  const time = parseDatetime(value);
  if (!time) throw new OperandError(`expects an ISO 8601 date and time in the years 1 to 9999, such as "2026-11-22T09:30:00Z", not ${JSON.stringify(value)}`);
  return time.toISOString();
}

const textEmpty = (c: Sql) => sql`(${c} IS NULL OR ${c} = '')`;

const text = comparable((v) => sql`${expectString(v)}::text`, textEmpty, {
  contains: (column, value) => sql`${column} ILIKE ${`%${escapeLike(expectString(value))}%`}`,
  starts_with: (column, value) => sql`${column} ILIKE ${`${escapeLike(expectString(value))}%`}`,
});

const number = comparable((v) => sql`${expectNumber(v)}::numeric`);

const MAX_BIGINT = 9223372036854775807n;

/** "Q-000042" (the field's own prefix) or 42 both find the record numbered 42. */
function autonumberValue(value: unknown, field: FieldDef): string {
  const prefix = (field.options as { prefix?: string }).prefix ?? '';
  const example = `42 or ${JSON.stringify(`${prefix}${'42'.padStart(6, '0')}`)}`;
  let digits: string | undefined;
  if (typeof value === 'number') digits = Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  else if (typeof value === 'string') {
    const text = value.trim();
    const rest = text.toLowerCase().startsWith(prefix.toLowerCase()) ? text.slice(prefix.length) : text;
    digits = /^\d{1,30}$/.test(rest) ? rest : undefined;
  }
  if (digits === undefined) throw new OperandError(`expects a whole number from 0 up, such as ${example}, not ${JSON.stringify(value)}`);
  if (BigInt(digits) > MAX_BIGINT) throw new OperandError(`expects a number up to ${MAX_BIGINT}, not ${JSON.stringify(value)}`);
  return BigInt(digits).toString();
}
const autonumber = comparable((v, field) => sql`${autonumberValue(v, field)}::bigint`);

const date = comparable((v) => sql`${expectDate(v)}::date`);

/** A date-only value against a datetime means that whole (UTC) day. */
function datetimeOperators(): Operators {
  const exact = comparable((v) => sql`${expectDatetime(v)}::timestamptz`);
  const day = (op: ComparisonOp): Compile => (column, value, field) => {
    if (typeof value !== 'string' || !DATE.test(value)) return exact[op]!(column, value, field);
    const start = sql`${expectDate(value)}::timestamptz`;
    const end = sql`(${expectDate(value)}::timestamptz + interval '1 day')`;
    switch (op) {
      case '==':
        return sql`(${column} >= ${start} AND ${column} < ${end})`;
      case '!=':
        return sql`NOT COALESCE(${column} >= ${start} AND ${column} < ${end}, FALSE)`;
      case '<':
        return sql`${column} < ${start}`;
      case '<=':
        return sql`${column} < ${end}`;
      case '>':
        return sql`${column} >= ${end}`;
      case '>=':
        return sql`${column} >= ${start}`;
    }
  };
  return { ...exact, '==': day('=='), '!=': day('!='), '<': day('<'), '<=': day('<='), '>': day('>'), '>=': day('>=') };
}

function expectBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OperandError(`expects true or false, not ${JSON.stringify(value)}`);
  return value;
}

const boolean: Operators = {
  '==': (c, v) => (v === null || expectBoolean(v) === false ? sql`${c} IS NOT TRUE` : sql`${c} IS TRUE`),
  '!=': (c, v) => (v === null || expectBoolean(v) === false ? sql`${c} IS TRUE` : sql`${c} IS NOT TRUE`),
  is_empty: (c) => sql`${c} IS NOT TRUE`,
  is_not_empty: (c) => sql`${c} IS TRUE`,
};

function choiceId(value: unknown, field: FieldDef): string {
  const name = expectString(value);
  const { choices } = field.options as ChoiceOptions;
  const choice = choices.find((c) => c.name === name) ?? choices.find((c) => c.id === name);
  if (!choice) throw new OperandError(`"${name}" is not one of its choices`);
  return choice.id;
}
const allChoiceIds = (field: FieldDef) => (field.options as ChoiceOptions).choices.map((c) => c.id);

// A removed choice leaves its id in old rows: such a value counts as empty, as it reads.
const choiceEmpty = (c: Sql, f: FieldDef) => sql`NOT COALESCE(${c} = ANY(${allChoiceIds(f)}::text[]), FALSE)`;
const choice: Operators = {
  '==': (c, v, f) => (isBlank(v) ? choiceEmpty(c, f) : sql`${c} = ${choiceId(v, f)}`),
  '!=': (c, v, f) => (isBlank(v) ? sql`NOT (${choiceEmpty(c, f)})` : sql`${c} IS DISTINCT FROM ${choiceId(v, f)}`),
  in: (c, v, f) => sql`COALESCE(${c} = ANY(${(v as unknown[]).map((x) => choiceId(x, f))}::text[]), FALSE)`,
  is_empty: (c, _v, f) => choiceEmpty(c, f),
  is_not_empty: (c, _v, f) => sql`NOT (${choiceEmpty(c, f)})`,
};

const idsOf = (value: unknown, field: FieldDef) => (Array.isArray(value) ? value : [value]).map((v) => choiceId(v, field));
const choicesEmpty = (c: Sql, f: FieldDef) => sql`NOT COALESCE(${c} && ${allChoiceIds(f)}::text[], FALSE)`;
const choices: Operators = {
  // "has this choice" (or all of these choices)
  contains: (c, v, f) => sql`COALESCE(${c} @> ${idsOf(v, f)}::text[], FALSE)`,
  '==': (c, v, f) => (isBlank(v) ? choicesEmpty(c, f) : sql`COALESCE(${c} @> ${idsOf(v, f)}::text[], FALSE)`),
  '!=': (c, v, f) => (isBlank(v) ? sql`NOT (${choicesEmpty(c, f)})` : sql`NOT COALESCE(${c} @> ${idsOf(v, f)}::text[], FALSE)`),
  // "has any of these choices"
  in: (c, v, f) => sql`COALESCE(${c} && ${idsOf(v, f)}::text[], FALSE)`,
  is_empty: (c, _v, f) => choicesEmpty(c, f),
  is_not_empty: (c, _v, f) => sql`NOT (${choicesEmpty(c, f)})`,
};

const userIds = (value: unknown) => {
  const key = expectString(value);
  return sql`(SELECT u.id FROM users u WHERE u.id = ${key} OR u.email = ${key.toLowerCase()})`;
};
const user: Operators = {
  '==': (c, v) => (isBlank(v) ? sql`${c} IS NULL` : sql`${c} IN ${userIds(v)}`),
  '!=': (c, v) => (isBlank(v) ? sql`${c} IS NOT NULL` : sql`${c} IS NULL OR ${c} NOT IN ${userIds(v)}`),
  in: (c, v) => {
    const keys = (v as unknown[]).map(expectString);
    return sql`${c} IN (SELECT u.id FROM users u WHERE u.id = ANY(${keys}::text[]) OR u.email = ANY(${keys.map((k) => k.toLowerCase())}::text[]))`;
  },
  is_empty: (c) => sql`${c} IS NULL`,
  is_not_empty: (c) => sql`${c} IS NOT NULL`,
};

const userKeys = (value: unknown) => (Array.isArray(value) ? value : [value]).map(expectString);
const userIdsOf = (keys: string[]) =>
  sql`ARRAY(SELECT u.id FROM users u WHERE u.id = ANY(${keys}::text[]) OR u.email = ANY(${keys.map((k) => k.toLowerCase())}::text[]))`;
const usersEmpty = (c: Sql) => sql`COALESCE(cardinality(${c}), 0) = 0`;
/** Several people (multi_user): "contains" and "==" mean has all of them, "in" has any of them. */
const usersOps: Operators = {
  contains: (c, v) => sql`COALESCE(${c} @> ${userIdsOf(userKeys(v))} AND cardinality(${userIdsOf(userKeys(v))}) > 0, FALSE)`,
  '==': (c, v) => (isBlank(v) ? usersEmpty(c) : sql`COALESCE(${c} @> ${userIdsOf(userKeys(v))} AND cardinality(${userIdsOf(userKeys(v))}) > 0, FALSE)`),
  '!=': (c, v) => (isBlank(v) ? sql`NOT (${usersEmpty(c)})` : sql`NOT COALESCE(${c} @> ${userIdsOf(userKeys(v))} AND cardinality(${userIdsOf(userKeys(v))}) > 0, FALSE)`),
  in: (c, v) => sql`COALESCE(${c} && ${userIdsOf(userKeys(v))}, FALSE)`,
  is_empty: (c) => usersEmpty(c),
  is_not_empty: (c) => sql`NOT (${usersEmpty(c)})`,
};

const attachments: Operators = {
  is_empty: (c) => sql`(${c} IS NULL OR jsonb_array_length(${c}) = 0)`,
  is_not_empty: (c) => sql`(${c} IS NOT NULL AND jsonb_array_length(${c}) > 0)`,
};

const BY_KIND: Record<ValueKind, Operators> = {
  text,
  number,
  autonumber,
  date,
  datetime: datetimeOperators(),
  boolean,
  choice,
  choices,
  user,
  users: usersOps,
  attachments,
};

export const operatorsFor = (kind: ValueKind): Operators => BY_KIND[kind];

/**
 * The operators a listing's filter accepts for a field (the API's `filterOperators`): its value kind's, and for a
 * link or lookup its elements' (any element matches) plus emptiness; none for a field that cannot be computed.
 */
export function filterOperatorNames(field: FieldDef): string[] {
  const computed = field.impl.computed;
  if (computed?.error || field.impl.valueless) return [];
  const leaf = computed?.list?.leaf ?? field;
  const names = Object.keys(operatorsFor(leaf.impl.valueKind));
  return computed?.list ? [...new Set([...names, 'is_empty', 'is_not_empty'])] : names;
}
