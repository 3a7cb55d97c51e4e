import { describe, expect, it } from 'vitest';
import { isCalendarDate, parseDatetime } from './calendar.js';

describe('calendar', () => {
  it('accepts days that exist in the years 1 to 9999', () => {
    for (const day of ['2026-02-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-04-30']) expect(isCalendarDate(day), day).toBe(true);
    for (const day of ['2026-02-29', '1900-02-29', '2026-02-30', '2026-04-31', '0000-01-01', '2026-13-01', '2026-00-10', '2026-01-00', '10000-01-01', '2026-1-1', '2026-01-01T00:00:00Z', ' 2026-01-01', 42, null]) {
      expect(isCalendarDate(day), String(day)).toBe(false);
    }
  });

  it('reads ISO dates and times to the instant, UTC without an offset', () => {
    expect(parseDatetime('2026-11-22')?.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(parseDatetime('2026-11-22T09:30')?.toISOString()).toBe('2026-11-22T09:30:00.000Z');
    expect(parseDatetime('2026-11-22T09:30:15.123456Z')?.toISOString()).toBe('2026-11-22T09:30:15.123Z');
    expect(parseDatetime('2026-11-22T09:30:00+08:00')?.toISOString()).toBe('2026-11-22T01:30:00.000Z');
    expect(parseDatetime('2026-11-22 09:30:00-0530')?.toISOString()).toBe('2026-11-22T15:00:00.000Z');
    expect(parseDatetime('0001-01-01T00:00:00Z')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseDatetime('0099-06-01')?.getUTCFullYear()).toBe(99);
  });

  it('refuses impossible parts and instants outside the years 1 to 9999', () => {
    for (const text of ['2026-02-30T10:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:60:00Z', '2026-01-01T10:00:60Z', '2026-01-01T10:00:00+24:00', '0000-01-01', '0001-01-01T00:30:00+01:00', '9999-12-31T23:00:00-05:00', '+275760-09-13T00:00:00Z', 'Dec 1 2026', '2026-01-01T10', '']) {
      expect(parseDatetime(text), text).toBeUndefined();
    }
  });
});
