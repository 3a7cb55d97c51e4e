import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { failingWhen } from './compile-errors.js';
import { local, temporal, type CalendarContext } from './compile-dates.js';
import { asNumber, asText, fail, type Typed } from './compile-types.js';

/*
 * Calendar functions read a datetime as the workspace's clocks show it (its time zone, from its settings); a date is a
 * calendar day anywhere. Empty in, empty out. Units, start days and formats are text literals, checked when the
 * formula is saved.
 */

/** The instant of a date (its midnight in the workspace) or datetime. */
const instant = (t: Typed, ctx: CalendarContext): Sql => (t.type.kind === 'date' ? sql`((${t.sql})::timestamp AT TIME ZONE ${ctx.timeZone})` : t.sql);

const whole = (s: Sql): Typed => ({ sql: sql`(${s})::numeric`, type: { kind: 'number', precision: 0 } });

/** "Sunday" (the default) or "Monday" as the first day of the week: 0 or 1 days to shift PostgreSQL's dow by. */
function weekStart(t: Typed | undefined, name: string): number {
  if (t === undefined) return 0;
  const start = t.literal?.toLowerCase();
  if (start === 'sunday') return 0;
  if (start === 'monday') return 1;
  return fail(`${name}'s start of the week must be "Sunday" or "Monday"`, `${name} 的一週起始日必須是 "Sunday" 或 "Monday"`);
}

export function calendarFunction(op: string, args: Typed[], ctx: CalendarContext): Typed | undefined {
  const name = op.toUpperCase();
  switch (op) {
    case 'day':
      return whole(sql`extract(day from ${local(temporal(args[0]!, name), ctx)})`);
    case 'weekday': {
      const shift = weekStart(args[1], name);
      return whole(sql`(extract(dow from ${local(temporal(args[0]!, name), ctx)})::int + ${sql.lit(7 - shift)}) % 7`);
    }
    case 'weeknum': {
      // Week 1 holds January 1 (Excel's WEEKNUM type 1 or 2): the days before it in its week push the count.
      const shift = weekStart(args[1], name);
      const at = local(temporal(args[0]!, name), ctx);
      const jan1 = sql`(extract(dow from date_trunc('year', ${at}))::int + ${sql.lit(7 - shift)}) % 7`;
      return whole(sql`(extract(doy from ${at})::int - 1 + ${jan1}) / 7 + 1`);
    }
    case 'datetime_format':
      return { sql: formatDate(temporal(args[0]!, 'DATETIME_FORMAT'), args[1], ctx), type: { kind: 'text' } };
    case 'datetime_diff':
      return whole(datetimeDiff(temporal(args[0]!, 'DATETIME_DIFF'), temporal(args[1]!, 'DATETIME_DIFF'), diffUnit(args[2]), ctx));
    case 'workday':
      return workday(args, ctx);
    default:
      return undefined;
  }
}

// DATETIME_DIFF units: long names in any case; the one-letter forms are case-sensitive (m minutes, M months).
type DiffUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'y';
const DIFF_UNITS: Record<string, DiffUnit> = {
  millisecond: 'ms', milliseconds: 'ms', second: 's', seconds: 's', minute: 'm', minutes: 'm', hour: 'h', hours: 'h',
  day: 'd', days: 'd', week: 'w', weeks: 'w', month: 'M', months: 'M', quarter: 'Q', quarters: 'Q', year: 'y', years: 'y',
};
const SHORT_UNITS = new Set<string>(['ms', 's', 'm', 'h', 'd', 'w', 'M', 'Q', 'y']);
const DIFF_UNIT_NAMES = 'milliseconds, seconds, minutes, hours, days, weeks, months, quarters, years (or ms, s, m, h, d, w, M, Q, y)';

function diffUnit(t: Typed | undefined): DiffUnit {
  if (t === undefined) return 's';
  if (t.literal === undefined) return fail(`DATETIME_DIFF's unit must be written as text, such as "days"`, `DATETIME_DIFF 的單位必須寫成文字，例如 "days"`);
  if (SHORT_UNITS.has(t.literal)) return t.literal as DiffUnit;
  return DIFF_UNITS[t.literal.toLowerCase()] ?? fail(`DATETIME_DIFF's unit must be ${DIFF_UNIT_NAMES}, not "${t.literal}"`, `DATETIME_DIFF 的單位必須是 ${DIFF_UNIT_NAMES}，而不是 "${t.literal}"`);
}

/**
 * a − b in whole units, truncated toward zero (as moment's diff, which Airtable uses). Milliseconds to hours count
 * elapsed time; days and weeks count wall-clock time in the workspace (a DST day is still one day); months compare
 * the calendar: year·1200 + month·100 + day (+ the time of day as a fraction) differ by 100 per month plus the
 * day difference (|…| < 32), so truncating by 100 leaves the months completed.
 */
function datetimeDiff(a: Typed, b: Typed, unit: DiffUnit, ctx: CalendarContext): Sql {
  const elapsed = sql`extract(epoch from (${instant(a, ctx)} - ${instant(b, ctx)}))`;
  const [la, lb] = [local(a, ctx), local(b, ctx)];
  const wall = sql`extract(epoch from (${la} - ${lb}))`;
  switch (unit) {
    case 'ms':
      return sql`trunc(${elapsed} * 1000)`;
    case 's':
      return sql`trunc(${elapsed})`;
    case 'm':
      return sql`trunc(${elapsed} / 60)`;
    case 'h':
      return sql`trunc(${elapsed} / 3600)`;
    case 'd':
      return sql`trunc(${wall} / 86400)`;
    case 'w':
      return sql`trunc(${wall} / 604800)`;
    default: {
      const key = (t: Sql) => sql`(extract(year from ${t}) * 1200 + extract(month from ${t}) * 100 + extract(day from ${t}) + extract(epoch from (${t} - date_trunc('day', ${t}))) / 86400)`;
      const months = sql`trunc((${key(la)} - ${key(lb)}) / 100)`;
      return unit === 'M' ? months : sql`trunc(${months} / ${sql.lit(unit === 'Q' ? 3 : 12)})`;
    }
  }
}

// moment.js tokens Airtable's DATETIME_FORMAT takes, longest first, as to_char patterns (FM drops the padding).
const TO_CHAR: [string, string][] = [
  ['YYYY', 'YYYY'], ['YY', 'YY'], ['Q', 'Q'], ['MMMM', 'FMMonth'], ['MMM', 'Mon'], ['MM', 'MM'], ['M', 'FMMM'],
  ['DDDD', 'DDD'], ['DD', 'DD'], ['Do', 'FMDDth'], ['D', 'FMDD'], ['dddd', 'FMDay'], ['ddd', 'Dy'], ['HH', 'HH24'], ['H', 'FMHH24'],
  ['hh', 'HH12'], ['h', 'FMHH12'], ['mm', 'MI'], ['m', 'FMMI'], ['ss', 'SS'], ['s', 'FMSS'], ['SSS', 'MS'], ['A', 'AM'], ['a', 'am'],
];
const TOKEN = /\[[^\]]*\]|YYYY|YY|Q|MMMM|MMM|MM|M|DDDD|DD|Do|D|dddd|ddd|d|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z/g;

/** DATETIME_FORMAT: each token of a literal format as to_char gives it, other characters (and [text]) as they are. */
function formatDate(date: Typed, format: Typed | undefined, ctx: CalendarContext): Sql {
  if (format !== undefined && format.literal === undefined) fail(`DATETIME_FORMAT's format must be written as text, such as "YYYY-MM-DD"`, `DATETIME_FORMAT 的格式必須寫成文字，例如 "YYYY-MM-DD"`);
  const source = format?.literal ?? 'YYYY-MM-DD';
  const at = local(date, ctx);
  const pieces: Sql[] = [];
  let last = 0;
  const literal = (text: string) => text && pieces.push(sql`${text}::text`);
  for (const match of source.matchAll(TOKEN)) {
    literal(source.slice(last, match.index));
    last = match.index + match[0].length;
    const token = match[0];
    if (token.startsWith('[')) literal(token.slice(1, -1));
    else if (token === 'd') pieces.push(sql`extract(dow from ${at})::int::text`);
    else if (token === 'Z' || token === 'ZZ') pieces.push(offset(date, at, ctx, token === 'Z' ? ':' : ''));
    else pieces.push(sql`to_char(${at}, ${TO_CHAR.find(([t]) => t === token)![1]})`);
  }
  literal(source.slice(last));
  if (!pieces.length) return sql`(CASE WHEN ${at} IS NULL THEN NULL ELSE ''::text END)`;
  // An empty date is empty, not the literal parts alone.
  return sql`(CASE WHEN ${at} IS NULL THEN NULL ELSE ${sql.join(pieces, sql` || `)} END)`;
}

/** The workspace's offset from UTC at that time, "+08:00" (or "+0800"). */
function offset(date: Typed, at: Sql, ctx: CalendarContext, separator: string): Sql {
  const minutes = sql`(extract(epoch from (${at} - (${instant(date, ctx)} AT TIME ZONE 'UTC'))) / 60)::int`;
  const part = (n: Sql) => sql`lpad((${n})::text, 2, '0')`;
  return sql`(CASE WHEN ${minutes} < 0 THEN '-' ELSE '+' END || ${part(sql`abs(${minutes}) / 60`)} || ${separator} || ${part(sql`abs(${minutes}) % 60`)})`;
}

const MAX_WORKDAYS = 100_000;

/**
 * WORKDAY: the day `days` working days (Monday to Friday, not a holiday) after start (before it when negative; start
 * itself for 0). Holidays: text of YYYY-MM-DD dates separated by commas; one that is no date makes an error.
 */
function workday(args: Typed[], ctx: CalendarContext): Typed {
  const start = sql`(${local(temporal(args[0]!, 'WORKDAY'), ctx)})::date`;
  const n = sql`least(greatest(trunc(COALESCE(${asNumber(args[1]!, 'WORKDAY')}, 0)), ${sql.lit(-MAX_WORKDAYS - 1)}), ${sql.lit(MAX_WORKDAYS + 1)})::int`;
  const [y, m, d] = [sql`substr(item, 1, 4)::int`, sql`substr(item, 6, 2)::int`, sql`substr(item, 9, 2)::int`];
  // Nested CASEs: PostgreSQL may evaluate AND's sides in any order, and a cast or make_date of a bad item fails.
  const lastDay = sql`extract(day from make_date(${y}, ${m}, 1) + interval '1 month' - interval '1 day')`;
  const valid = sql`CASE WHEN item ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN CASE WHEN ${y} >= 1 AND ${m} BETWEEN 1 AND 12 THEN CASE WHEN ${d} BETWEEN 1 AND ${lastDay} THEN make_date(${y}, ${m}, ${d}) END END END`;
  const holidays = args[2]
    ? sql`(SELECT COALESCE(array_agg(${valid}), '{}'::date[]) FROM regexp_split_to_table(btrim(${asText(args[2])}), '\\s*,\\s*') AS item WHERE item <> '')`
    : sql`'{}'::date[]`;
  const forward = sql`${n} > 0`;
  const span = sql`((abs(${n}) + cardinality(${holidays})) / 5 + 2) * 7`;
  const found = sql`(SELECT g::date FROM generate_series((${start} + (CASE WHEN ${forward} THEN 1 ELSE -1 END))::timestamp, (${start} + (CASE WHEN ${forward} THEN ${span} ELSE -${span} END))::timestamp, CASE WHEN ${forward} THEN interval '1 day' ELSE interval '-1 day' END) AS g
    WHERE extract(isodow from g) < 6 AND array_position(${holidays}, g::date) IS NULL
    ORDER BY CASE WHEN ${forward} THEN g END, g DESC OFFSET greatest(abs(${n}) - 1, 0) LIMIT 1)`;
  const value = sql`(CASE WHEN ${n} = 0 THEN ${start} ELSE ${found} END)`;
  const failed = sql`(abs(${n}) > ${sql.lit(MAX_WORKDAYS)} OR array_position(${holidays}, NULL) IS NOT NULL)`;
  return failingWhen({ sql: value, type: { kind: 'date' } }, failed);
}
