import { DateTime } from 'luxon';

/**
 * A time zone whose calendar day is not UTC's at `at` (UTC+14 from 11:00 UTC, UTC−11 before), so a test can tell a
 * day counted in the workspace's time zone from one counted in UTC.
 */
export function zoneAwayFromUtc(at = new Date()): string {
  return at.getUTCHours() >= 11 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
}

/** The calendar day in a time zone `days` after `at`, as YYYY-MM-DD. */
export function dayIn(zone: string, days = 0, at = new Date()): string {
  return DateTime.fromJSDate(at, { zone }).plus({ days }).toISODate()!;
}
