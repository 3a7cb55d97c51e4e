import { describe, expect, expectTypeOf, it } from 'vitest';
import { FIELD_TYPE_IDS, type FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { fieldTypes } from '../../../schema-engine/field-types/registry.js';
import { formatValue } from '../fields/format.js';
import { testField } from '../form/test-fields.js';
import { en } from '../i18n/en.js';
import { zhTW } from '../i18n/zh-TW.js';
import { clientFieldTypes } from './index.js';
import type { ClientFieldType } from './types.js';

describe('the client registry', () => {
  it('has one module per engine type, each named in both languages and agreeing with the engine', () => {
    // The compile-time check: a type id without a module (or a module for no type) fails to compile.
    expectTypeOf(clientFieldTypes).toMatchTypeOf<Record<FieldTypeId, ClientFieldType>>();
    expect(Object.keys(clientFieldTypes).sort()).toEqual([...FIELD_TYPE_IDS].sort());
    for (const id of FIELD_TYPE_IDS) {
      const module = clientFieldTypes[id];
      expect(module.id).toBe(id);
      expect(en[module.nameKey], id).toBeTruthy();
      expect(zhTW[module.nameKey], id).toBeTruthy();
      expect(module.readOnly, id).toBe(fieldTypes[id].readOnly);
      expect(module.valueKind, id).toBe(fieldTypes[id].apiValueKind ?? fieldTypes[id].valueKind);
    }
  });
});

describe('formatting with display options', () => {
  const show = (type: FieldTypeId, options: Record<string, unknown>, value: unknown, locale = 'en') => formatValue(testField('f', 'F', type, options), value, locale);

  it('writes numbers with or without thousands separators', () => {
    expect(show('number', {}, 1996)).toBe('1,996');
    expect(show('number', { thousands: false }, 1996)).toBe('1996');
    expect(show('number', { thousands: false, precision: 2 }, 1234567.5)).toBe('1234567.50');
    expect(show('number', { precision: 1 }, 1234.56, 'zh-TW')).toBe('1,234.6');
    // Text a form still holds is shown as typed, never "NaN".
    expect(show('number', {}, '12a')).toBe('12a');
  });

  it('writes currencies in their code with their decimals, and percentages', () => {
    expect(show('currency', { currency: 'EUR', precision: 0 }, 1234.4)).toBe('€1,234');
    expect(show('currency', { currency: 'TWD', precision: 2 }, 5, 'zh-TW')).toMatch(/5\.00/);
    expect(show('currency', { currency: 'USD' }, 5)).toBe('$5.00');
    expect(show('percent', { precision: 1 }, 0.125)).toBe('12.5%');
  });

  it('writes dates and date-times in the chosen format and clock', () => {
    expect(show('date', {}, '2026-03-04')).toBe('Mar 4, 2026');
    expect(show('date', { dateFormat: 'iso' }, '2026-03-04')).toBe('2026-03-04');
    expect(show('date', { dateFormat: 'us' }, '2026-03-04')).toBe('03/04/2026');
    expect(show('date', { dateFormat: 'eu' }, '2026-03-04', 'zh-TW')).toBe('04/03/2026');
    expect(show('date', { dateFormat: 'long' }, '2026-03-04')).toBe('Wednesday, March 4, 2026');
    expect(show('datetime', {}, '2026-03-04T15:30:00.000Z')).toBe('Mar 4, 2026, 3:30 PM');
    expect(show('datetime', { clock: '24h' }, '2026-03-04T15:30:00.000Z')).toBe('Mar 4, 2026 15:30');
    expect(show('datetime', { dateFormat: 'iso', clock: '24h' }, '2026-03-04T15:30:00.000Z')).toBe('2026-03-04 15:30');
    expect(show('datetime', { dateFormat: 'us', clock: '12h' }, '2026-03-04T15:30:00.000Z')).toBe('03/04/2026 3:30 PM');
  });

  it('formats a computed field as its result, with the result options', () => {
    const total = { ...testField('t', 'Total', 'formula'), result: { type: 'currency' as const, options: { currency: 'EUR', precision: 0 } }, valueKind: 'number' as const };
    expect(formatValue(total, 10.4, 'en')).toBe('€10');
    const years = { ...testField('y', 'Years', 'lookup'), result: { type: 'number' as const, options: { thousands: false }, list: true } };
    expect(formatValue(years, [1996, 2001], 'en')).toBe('1996, 2001');
  });
});
