import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { UNITS } from '../rules/operations.js';
import { asNumber, dateLiteral, describe, describeZh, fail, isTemporal, type Typed } from './compile-types.js';

type Unit = (typeof UNITS)[string];
const UNIT_NAMES = 'day, week, month, year, hour or minute';

/** What compiling needs from the workspace: its IANA time zone as SQL text (a datetime's calendar day depends on it). */
export interface CalendarContext {
  timeZone: Sql;
}

/** The wall-clock time (timestamp without time zone) of a date or datetime in the workspace. */
export const local = (t: Typed, ctx: CalendarContext): Sql => (t.type.kind === 'date' ? sql`(${t.sql})::timestamp` : sql`((${t.sql}) AT TIME ZONE ${ctx.timeZone})`);

/** A date or datetime operand; a "YYYY-MM-DD" text literal is a date and BLANK() an empty date. */
export function temporal(t: Typed, what: string): Typed {
  if (isTemporal(t.type)) return t;
  const literal = dateLiteral(t);
  if (literal) return literal;
  if (t.type.kind === 'blank') return { sql: sql`NULL::date`, type: { kind: 'date' } };
  return fail(`${what} needs a date, not ${describe(t.type)}`, `${what} 需要日期，不能是${describeZh(t.type)}`);
}

function unit(t: Typed | undefined, what: string): Unit {
  if (t?.literal === undefined) return fail(`${what}'s unit must be written as text, such as "day" (${UNIT_NAMES})`, `${what} 的單位必須寫成文字，例如 "day"（${UNIT_NAMES}）`);
  return UNITS[t.literal.toLowerCase()] ?? fail(`${what}'s unit must be ${UNIT_NAMES}, not "${t.literal}"`, `${what} 的單位必須是 ${UNIT_NAMES}，而不是 "${t.literal}"`);
}

/** A date or datetime as a UTC timestamp without time zone: calendar arithmetic that no session time zone or DST shifts. */
const utc = (t: Typed): Sql => (t.type.kind === 'date' ? sql`(${t.sql})::timestamp` : sql`((${t.sql}) AT TIME ZONE 'UTC')`);

// The instants of 0001-01-01T00:00Z and 10000-01-01T00:00Z, seconds from 1970.
const MIN_EPOCH = -62_135_596_800;
const END_EPOCH = 253_402_300_800;

/**
 * `base` (a UTC timestamp) plus `n` units, or empty when the result would leave the years 1 to 9999 (as
 * rules/operations.ts dateAdd answers null there), never a PostgreSQL range error that would fail the whole query.
 * Days and months are whole (floor, as setUTCDate/setUTCMonth cut them). The range is checked on numbers first; the
 * amount inside the interval is clamped too, because PostgreSQL folds a constant argument when it plans the
 * statement, whatever the CASE around it decides.
 */
function shifted(base: Sql, n: Sql, u: Unit): Sql {
  const [field, factor] = ({ day: ['days', 1], week: ['days', 7], month: ['months', 1], year: ['months', 12], hour: ['secs', 3600], minute: ['secs', 60] } as const)[u];
  const amount = sql`((${n}) * ${sql.lit(factor)})`;
  const epoch = sql`extract(epoch from ${base})`;
  if (field === 'months') {
    const month = sql`(extract(year from ${base}) * 12 + extract(month from ${base}) - 1 + floor(${amount}))`;
    const step = sql`make_interval(months => least(greatest(floor(${amount}), -200000), 200000)::int)`;
    return sql`(CASE WHEN ${month} BETWEEN 12 AND ${sql.lit(9999 * 12 + 11)} THEN ${base} + ${step} END)`;
  }
  const seconds = field === 'days' ? sql`floor(${amount}) * 86400` : amount;
  const step =
    field === 'days'
      ? sql`make_interval(days => least(greatest(floor(${amount}), -5000000), 5000000)::int)`
      : sql`make_interval(secs => least(greatest(${amount}, -400000000000), 400000000000)::float8)`;
  return sql`(CASE WHEN ${epoch} + ${seconds} >= ${sql.lit(MIN_EPOCH)} AND ${epoch} + ${seconds} < ${sql.lit(END_EPOCH)} THEN ${base} + ${step} END)`;
}

/** TODAY, YEAR and MONTH read the workspace's calendar; DATEADD and DATEDIF work in UTC as rules/operations.ts does. */
export function dateFunction(op: string, args: Typed[], ctx: CalendarContext): Typed | undefined {
  switch (op) {
    case 'today':
      return { sql: sql`(now() AT TIME ZONE ${ctx.timeZone})::date`, type: { kind: 'date' } };
    case 'now':
      return { sql: sql`now()`, type: { kind: 'datetime' } };
    case 'year':
    case 'month': {
      const d = temporal(args[0]!, op.toUpperCase());
      return { sql: sql`extract(${sql.raw(op)} from ${local(d, ctx)})::numeric`, type: { kind: 'number', precision: 0 } };
    }
    case 'dateadd': {
      const d = temporal(args[0]!, 'DATEADD');
      const u = unit(args[2], 'DATEADD');
      const result = shifted(utc(d), asNumber(args[1]!, 'DATEADD'), u);
      // A date plus days to years stays a date (timestamp + interval clamps Jan 31 + 1 month to Feb 28/29).
      if (d.type.kind === 'date' && u !== 'hour' && u !== 'minute') return { sql: sql`(${result})::date`, type: { kind: 'date' } };
      return { sql: sql`(${result} AT TIME ZONE 'UTC')`, type: { kind: 'datetime' } };
    }
    case 'datedif': {
      const [start, end] = [temporal(args[0]!, 'DATEDIF'), temporal(args[1]!, 'DATEDIF')];
      return { sql: dateDif(utc(start), utc(end), unit(args[2], 'DATEDIF')), type: { kind: 'number', precision: 0 } };
    }
    default:
      return undefined;
  }
}

/** As rules/operations.ts dateDif counts: whole units from start to end (UTC), negative when end is earlier. */
function dateDif(start: Sql, end: Sql, u: Unit): Sql {
  const seconds = sql`extract(epoch from (${end} - ${start}))`;
  switch (u) {
    case 'day':
      return sql`floor(${seconds} / 86400)`;
    case 'week':
      return sql`trunc(floor(${seconds} / 86400) / 7)`;
    case 'hour':
      return sql`trunc(${seconds} / 3600)`;
    case 'minute':
      return sql`trunc(${seconds} / 60)`;
    case 'month':
    case 'year': {
      // key = year·1200 + month·100 + day, so end − start = 100·(calendar months) + (day difference, |…| ≤ 30):
      // truncating it by 100 drops the month not yet complete, either way, as the JS day-of-month adjustment does.
      const key = (t: Sql) => sql`(extract(year from ${t}) * 1200 + extract(month from ${t}) * 100 + extract(day from ${t}))`;
      const months = sql`trunc((${key(end)} - ${key(start)}) / 100)`;
      return u === 'month' ? months : sql`trunc(${months} / 12)`;
    }
  }
}
