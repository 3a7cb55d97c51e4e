/**
 * Dates and times as users write them, checked as a calendar would (pure: the browser's rule evaluation uses it too).
 * JavaScript's Date reads 2026-02-30 as March 2 and year 0 as 1 BC; PostgreSQL refuses both, so a value is checked
 * here before it reaches either: years 1 to 9999, real days of real months.
 */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validDay(year: number, month: number, day: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** "YYYY-MM-DD" naming a day that exists, in the years 1 to 9999. */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DATE.exec(text);
  return m !== null && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An ISO 8601 date with an optional time (`2026-11-22`, `2026-11-22T09:30`, `…:00.000Z`, `…+08:00`; without an offset,
 * UTC) → the instant, if every part is in range and the instant falls in the years 1 to 9999 in UTC; else undefined.
 */
export function parseDatetime(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hours, minutes, seconds] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDay(year, month, day) || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  let offset = 0;
  if (m[9]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const time = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read the years 0 to 99 as 1900 to 1999.
  time.setUTCFullYear(year, month - 1, day);
  time.setUTCHours(hours, minutes, seconds, millis);
  time.setTime(time.getTime() - offset * 60_000);
  const utcYear = time.getUTCFullYear();
  return utcYear >= MIN_YEAR && utcYear <= MAX_YEAR ? time : undefined;
}
