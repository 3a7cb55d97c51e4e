import { describe, expect, it } from 'vitest';
import { cellsCsv } from './csv-out.js';
import { ColumnStats } from './infer.js';
import { dateText, isPhone, parseBoolean, parseDateParts, parseNumber, possibleOrders, splitList } from './values.js';

describe('numbers as spreadsheets write them', () => {
  it.each([
    ['1,234.5', 1234.5, 'plain'],
    ['1.234,5', 1234.5, 'plain'],
    ['1 234 567', 1234567, 'plain'],
    ["1'234.50", 1234.5, 'plain'],
    ['12,75', 12.75, 'plain'],
    ['(1,200.00)', -1200, 'plain'],
    ['-0.5', -0.5, 'plain'],
    ['$1,100.04', 1100.04, 'currency'],
    ['NT$ 1,200', 1200, 'currency'],
    ['-€5', -5, 'currency'],
    ['TWD 1,200', 1200, 'currency'],
    ['25%', 0.25, 'percent'],
    ['12.5 %', 0.125, 'percent'],
  ])('%s is %d (%s)', (text, value, kind) => {
    expect(parseNumber(text)).toMatchObject({ value, kind });
  });

  it('knows the currency a symbol means', () => {
    expect(parseNumber('NT$1,200')?.currency).toBe('TWD');
    expect(parseNumber('£3')?.currency).toBe('GBP');
  });

  it.each(['00123', 'abc', '1,2,3', '20-10-16', '2016-10-20', '', '12 apples'])('%s is no number', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });
});

describe('dates', () => {
  const read = (text: string, order: 'dmy' | 'mdy' | 'ymd') => {
    const parts = parseDateParts(text);
    return parts && dateText(parts, order);
  };
  it('reads day-first two-digit years as Excel does', () => {
    expect(read('20-10-16', 'dmy')).toBe('2016-10-20');
    expect(read('01-03-17', 'dmy')).toBe('2017-03-01');
    expect(read('01-03-17', 'mdy')).toBe('2017-01-03');
    expect(read('01-03-45', 'dmy')).toBe('1945-03-01');
  });
  it('reads year-first, month names, Chinese and 民國 dates whatever the order', () => {
    for (const order of ['dmy', 'mdy'] as const) {
      expect(read('2016/10/20', order)).toBe('2016-10-20');
      expect(read('20-Oct-16', order)).toBe('2016-10-20');
      expect(read('Oct 20, 2016', order)).toBe('2016-10-20');
      expect(read('2016年10月20日', order)).toBe('2016-10-20');
      expect(read('105/10/20', order)).toBe('2016-10-20');
    }
  });
  it('refuses days that do not exist and tells which orders a date allows', () => {
    expect(read('2026-02-30', 'ymd')).toBeUndefined();
    expect(read('29-02-2024', 'dmy')).toBe('2024-02-29');
    expect(read('29-02-2023', 'dmy')).toBeUndefined();
    expect(possibleOrders(parseDateParts('25-10-16')!)).toEqual(['dmy']);
    expect(possibleOrders(parseDateParts('10-25-16')!)).toEqual(['mdy']);
    expect(possibleOrders(parseDateParts('01-02-03')!)).toEqual(['dmy', 'mdy']);
  });
});

describe('other values', () => {
  it('reads booleans, phones and lists', () => {
    expect([parseBoolean('Yes'), parseBoolean('否'), parseBoolean('✓'), parseBoolean('maybe'), parseBoolean('1'), parseBoolean('1', true)]).toEqual([true, false, true, undefined, undefined, true]);
    expect([isPhone('0912-345-678'), isPhone('+886 2 2345 6789'), isPhone('(02) 2345-6789'), isPhone('2822'), isPhone('12345678')]).toEqual([true, true, true, false, false]);
    expect(splitList('A, B，C、D,,')).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('type inference', () => {
  const infer = (values: string[], guess: 'dmy' | 'mdy' = 'dmy') => {
    const stats = new ColumnStats();
    for (const v of values) stats.add(v);
    return stats.decide('c', guess);
  };
  it.each([
    [['1,200', '3,400.5', ''], 'number', { precision: 1 }],
    [['$1.00', '$25'], 'currency', { currency: 'USD', precision: 2 }],
    [['25%', '12.5%'], 'percent', { precision: 1 }],
    [['yes', 'no', 'Yes'], 'checkbox', {}],
    [['a@b.co', 'c@d.org'], 'email', {}],
    [['0912-345-678', '02-2345-6789'], 'phone', {}],
    [['https://x.test', 'www.y.test'], 'url', {}],
    [['Won', 'Lost', 'Won', 'Won', 'Lost'], 'single_select', { choices: [{ name: 'Won' }, { name: 'Lost' }] }],
    [['red, blue', 'blue', 'red', 'green, red'], 'multi_select', { choices: [{ name: 'red' }, { name: 'blue' }, { name: 'green' }] }],
    [['Ann', 'Bob', 'Cy'], 'text', {}],
    [['line one\nline two'], 'long_text', {}],
    [['00123', '00456'], 'text', {}],
  ])('%j is %s', (values, type, options) => {
    expect(infer(values)).toMatchObject({ type, options });
  });
  it('settles the date order from the values, or guesses and says so', () => {
    expect(infer(['20-10-16', '01-03-17'])).toMatchObject({ type: 'date', dateOrder: 'dmy' });
    expect(infer(['10-20-16', '01-03-17'])).toMatchObject({ type: 'date', dateOrder: 'mdy' });
    expect(infer(['01-02-03'], 'mdy')).toMatchObject({ type: 'date', dateOrder: 'mdy', dateOrderGuessed: true });
    expect(infer(['2016-10-20 09:30'])).toMatchObject({ type: 'datetime' });
    expect(infer(['20-10-16', '10-20-16']).type).toBe('text');
  });
});

describe('the problems CSV', () => {
  it('quotes what needs it and writes formula-like values as text', () => {
    expect(cellsCsv(['1', 'a,b', 'say "hi"', '=SUM(A1)', '+1', '-2', '@x', '\tx'])).toBe('1,"a,b","say ""hi""",\'=SUM(A1),\'+1,\'-2,\'@x,\'\tx\r\n');
  });
});
