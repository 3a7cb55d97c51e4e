import Big from 'big.js';
import jsonLogic from 'json-logic-js';
import { MAX_YEAR, MIN_YEAR, parseDatetime } from '../field-types/shared/calendar.js';

/**
 * The operators our rule language adds to JsonLogic, for json-logic-js in the browser and on the server alike.
 * Their meaning matches the SQL the engine compiles the same rules to: case-insensitive text tests, empty values
 * (null, "", [], unchecked) treated alike, rounding half away from zero as PostgreSQL's round(numeric).
 */
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0);
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const DAY = 86_400_000;

/** A date or time in the years 1 to 9999 (2026-02-30 is no date, not March 2); anything else reads as empty. */
function toDate(v: unknown): Date | null {
  if (isEmpty(v)) return null;
  const s = String(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return parseDatetime(s) ?? null;
  const d = new Date(s);
  return inRange(d) ? d : null;
}
const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= MIN_YEAR && d.getUTCFullYear() <= MAX_YEAR;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export const UNITS: Record<string, 'day' | 'week' | 'month' | 'year' | 'hour' | 'minute'> = {
  day: 'day', days: 'day', d: 'day',
  week: 'week', weeks: 'week', w: 'week',
  month: 'month', months: 'month', m: 'month',
  year: 'year', years: 'year', y: 'year',
  hour: 'hour', hours: 'hour', h: 'hour',
  minute: 'minute', minutes: 'minute', mi: 'minute',
};

export function dateAdd(value: unknown, amount: unknown, unit: unknown): string | null {
  const d = toDate(value);
  const n = Number(amount);
  const u = UNITS[text(unit).toLowerCase()];
  if (!d || !Number.isFinite(n) || !u) return null;
  const out = new Date(d);
  if (u === 'day' || u === 'week') out.setUTCDate(out.getUTCDate() + n * (u === 'week' ? 7 : 1));
  else if (u === 'month' || u === 'year') {
    // Like PostgreSQL's date + interval: Jan 31 plus a month is Feb 28, not Mar 3.
    const months = out.getUTCMonth() + n * (u === 'year' ? 12 : 1);
    const lastDay = new Date(Date.UTC(out.getUTCFullYear(), months + 1, 0)).getUTCDate();
    out.setUTCDate(1);
    out.setUTCMonth(months);
    out.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  }
  else out.setTime(out.getTime() + n * (u === 'hour' ? 3_600_000 : 60_000));
  // Beyond the years 1 to 9999 (or beyond what a Date holds) the result is empty, never an exception.
  if (!inRange(out)) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(text(value)) && (u === 'day' || u === 'week' || u === 'month' || u === 'year') ? isoDate(out) : out.toISOString();
}

/** Truncated toward zero, without JavaScript's -0 (SQL has none). */
const whole = (n: number) => Math.trunc(n) || 0;

export function dateDif(start: unknown, end: unknown, unit: unknown): number | null {
  const a = toDate(start);
  const b = toDate(end);
  const u = UNITS[text(unit).toLowerCase()];
  if (!a || !b || !u) return null;
  switch (u) {
    case 'day':
      return Math.floor((b.getTime() - a.getTime()) / DAY);
    case 'week':
      return whole(Math.floor((b.getTime() - a.getTime()) / DAY) / 7);
    case 'hour':
      return whole((b.getTime() - a.getTime()) / 3_600_000);
    case 'minute':
      return whole((b.getTime() - a.getTime()) / 60_000);
    case 'month':
    case 'year': {
      let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
      if (months > 0 && b.getUTCDate() < a.getUTCDate()) months--;
      if (months < 0 && b.getUTCDate() > a.getUTCDate()) months++;
      return u === 'month' ? months : whole(months / 12);
    }
  }
}

export const RULE_OPERATIONS: Record<string, (...args: any[]) => unknown> = {
  contains: (haystack: unknown, needle: unknown) =>
    Array.isArray(haystack) ? haystack.includes(needle) : !isEmpty(haystack) && text(haystack).toLowerCase().includes(text(needle).toLowerCase()),
  starts_with: (value: unknown, prefix: unknown) => !isEmpty(value) && text(value).toLowerCase().startsWith(text(prefix).toLowerCase()),
  is_empty: (value: unknown) => isEmpty(value),
  is_not_empty: (value: unknown) => !isEmpty(value),
  cat: (...parts: unknown[]) => parts.map(text).join(''),
  round: (value: unknown, digits: unknown = 0) =>
    isEmpty(value) || !Number.isFinite(Number(value)) ? null : Number(new Big(Number(value)).round(Number(digits), Big.roundHalfUp)),
  abs: (value: unknown) => (isEmpty(value) ? null : Math.abs(Number(value))),
  upper: (value: unknown) => text(value).toUpperCase(),
  lower: (value: unknown) => text(value).toLowerCase(),
  len: (value: unknown) => [...text(value)].length,
  today: () => isoDate(new Date()),
  now: () => new Date().toISOString(),
  dateadd: dateAdd,
  datedif: dateDif,
  year: (value: unknown) => toDate(value)?.getUTCFullYear() ?? null,
  month: (value: unknown) => (toDate(value) ? toDate(value)!.getUTCMonth() + 1 : null),
  blank: () => null,
};

let registered = false;

/** Adds the operators to json-logic-js once per process (or page). */
export function registerRuleOperations(): typeof jsonLogic {
  if (!registered) {
    for (const [name, fn] of Object.entries(RULE_OPERATIONS)) jsonLogic.add_operation(name, fn);
    registered = true;
  }
  return jsonLogic;
}

/** Evaluates a rule against values keyed by field name; answers whether it holds. */
export function ruleHolds(logic: unknown, values: Record<string, unknown>): boolean {
  const engine = registerRuleOperations();
  return engine.truthy(engine.apply(logic as Parameters<typeof engine.apply>[0], values));
}
