import { describe, expect, it } from 'vitest';
import { dateAdd, dateDif, registerRuleOperations, ruleHolds } from './operations.js';

describe('rule operations for json-logic-js', () => {
  const apply = (logic: unknown, data: Record<string, unknown> = {}) => registerRuleOperations().apply(logic as never, data);

  it('tests text like the SQL compiler: case-insensitive, empty values alike', () => {
    expect(ruleHolds({ contains: [{ var: 'Name' }, 'acme'] }, { Name: 'ACME Corp' })).toBe(true);
    expect(ruleHolds({ contains: [{ var: 'Tags' }, 'VIP'] }, { Tags: ['VIP'] })).toBe(true);
    expect(ruleHolds({ starts_with: [{ var: 'Name' }, 'ac'] }, { Name: 'Acme' })).toBe(true);
    for (const empty of [null, undefined, '', [], false]) expect(ruleHolds({ is_empty: [{ var: 'X' }] }, { X: empty })).toBe(true);
    expect(ruleHolds({ is_not_empty: [{ var: 'X' }] }, { X: 0 })).toBe(true);
    expect(apply({ cat: ['a', null, 'b'] })).toBe('ab');
  });

  it('rounds half away from zero, as PostgreSQL does', () => {
    expect(apply({ round: [2.5] })).toBe(3);
    expect(apply({ round: [-2.5] })).toBe(-3);
    expect(apply({ round: [1.005, 2] })).toBe(1.01);
    expect(apply({ round: [null] })).toBe(null);
  });

  it('does date arithmetic on ISO dates', () => {
    expect(dateAdd('2026-01-31', 1, 'months')).toBe('2026-02-28');
    expect(dateAdd('2024-02-29', 1, 'years')).toBe('2025-02-28');
    expect(dateAdd('2026-11-22', 30, 'days')).toBe('2026-12-22');
    expect(dateAdd('2026-11-22T09:00:00.000Z', 2, 'hours')).toBe('2026-11-22T11:00:00.000Z');
    expect(dateDif('2026-01-15', '2026-03-14', 'months')).toBe(1);
    expect(dateDif('2026-01-15', '2026-03-15', 'days')).toBe(59);
    expect(dateDif('2024-02-29', '2026-02-28', 'years')).toBe(1);
    expect(dateDif(null, '2026-01-01', 'days')).toBe(null);
    expect(apply({ year: ['2026-11-22'] })).toBe(2026);
    expect(apply({ month: ['2026-11-22'] })).toBe(11);
  });
});
