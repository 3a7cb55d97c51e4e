import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './read.js';

describe('record times from PostgreSQL text (pure)', () => {
  const viaDate = (text: string) => (pg.types.getTypeParser(1184, 'text') as (t: string) => Date)(text).toISOString();

  it('rearranges a UTC timestamptz into ISO 8601 with milliseconds, cutting the fraction as a Date does', () => {
    expect(isoTimestamp('2026-11-22 09:30:00.123456+00')).toBe('2026-11-22T09:30:00.123Z');
    expect(isoTimestamp('2026-11-22 09:30:00.9999999+00')).toBe('2026-11-22T09:30:00.999Z');
    expect(isoTimestamp('2026-11-22 09:30:00.5+00')).toBe('2026-11-22T09:30:00.500Z');
    expect(isoTimestamp('2026-11-22 09:30:00+00')).toBe('2026-11-22T09:30:00.000Z');
  });

  it('answers what the Date of the text would for any other form', () => {
    for (const text of ['2026-11-22 09:30:00.1+05:30', '12026-01-01 00:00:00+00', '1999-01-08 04:05:06.789+00 BC', '0005-01-01 00:00:00+00', '2026-11-22 09:30:00.123456+00']) {
      expect(isoTimestamp(text)).toBe(viaDate(text));
    }
  });
});
