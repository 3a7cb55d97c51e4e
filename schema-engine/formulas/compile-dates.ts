import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { UNITS } from '../rules/operations.js';
import { asNumber, fail, type Typed } from './compile-types.js';

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** A date or datetime operand; a "YYYY-MM-DD" literal is a date. */
function temporal(t: Typed, what: string): Typed {
  if (t.type.kind === 'date' || t.type.kind === 'datetime') return t;
  if (t.literal !== undefined && DATE_TEXT.test(t.literal)) return { sql: sql`${t.literal}::date`, type: { kind: 'date' } };
  if (t.type.kind === 'blank') return { sql: sql`NULL::date`, type: { kind: 'date' } };
  return fail(`${what} needs a date, not ${t.type.kind === 'text' ? 'text' : `a ${t.type.kind}`}`);
}

function unit(t: Typed | undefined, what: string) {
  const name = t?.literal === undefined ? undefined : UNITS[t.literal.toLowerCase()];
  if (!name) return fail(`${what}'s unit must be written as text, such as "day" (day, week, month, year, hour or minute)`);
  return name;
}

/** A date or datetime as a UTC timestamp without time zone, for calendar arithmetic. */
const utc = (t: Typed): Sql => (t.type.kind === 'date' ? sql`(${t.sql})::timestamp` : sql`((${t.sql}) AT TIME ZONE 'UTC')`);

export function dateFunction(op: string, args: Typed[]): Typed {
  switch (op) {
    case 'today':
      return { sql: sql`(now() AT TIME ZONE 'UTC')::date`, type: { kind: 'date' } };
    case 'now':
      return { sql: sql`now()`, type: { kind: 'datetime' } };
    case 'year':
    case 'month': {
      const d = temporal(args[0]!, op.toUpperCase());
      return { sql: sql`extract(${sql.raw(op)} from ${utc(d)})::numeric`, type: { kind: 'number', precision: 0 } };
    }
    case 'dateadd': {
      const d = temporal(args[0]!, 'DATEADD');
      const n = asNumber(args[1]!, 'DATEADD');
      const u = unit(args[2], 'DATEADD');
      const step = sql`(${n} * ${sql.lit(`1 ${u}`)}::interval)`;
      // Like date + interval: Jan 31 plus a month is the last day of February.
      if (d.type.kind === 'date' && u !== 'hour' && u !== 'minute') return { sql: sql`(${d.sql} + ${step})::date`, type: { kind: 'date' } };
      return { sql: sql`((${utc(d)} + ${step}) AT TIME ZONE 'UTC')`, type: { kind: 'datetime' } };
    }
    case 'datedif':
      return { sql: dateDif(temporal(args[0]!, 'DATEDIF'), temporal(args[1]!, 'DATEDIF'), unit(args[2], 'DATEDIF')), type: { kind: 'number', precision: 0 } };
    default:
      return fail(`unknown operation "${op}"`);
  }
}

/** As the rule engine counts (rules/operations.ts dateDif): whole units from start to end, negative if end is earlier. */
function dateDif(start: Typed, end: Typed, u: string): Sql {
  const seconds = sql`extract(epoch from (${utc(end)} - ${utc(start)}))`;
  switch (u) {
    case 'day':
      return sql`floor(${seconds} / 86400)::numeric`;
    case 'week':
      return sql`trunc(floor(${seconds} / 86400) / 7)::numeric`;
    case 'hour':
      return sql`trunc(${seconds} / 3600)::numeric`;
    case 'minute':
      return sql`trunc(${seconds} / 60)::numeric`;
    default: {
      const months = sql`(SELECT CASE WHEN q.m > 0 AND q.dy < q.dx THEN q.m - 1 WHEN q.m < 0 AND q.dy > q.dx THEN q.m + 1 ELSE q.m END
        FROM (SELECT (extract(year from p.y) - extract(year from p.x)) * 12 + extract(month from p.y) - extract(month from p.x) AS m,
                     extract(day from p.x) AS dx, extract(day from p.y) AS dy
              FROM (SELECT ${utc(start)} AS x, ${utc(end)} AS y) AS p) AS q)`;
      return u === 'month' ? sql`(${months})::numeric` : sql`trunc((${months}) / 12)::numeric`;
    }
  }
}
