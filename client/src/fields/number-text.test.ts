import { describe, expect, it } from 'vitest';
import { numberText, parseNumberText, sameNumber, UnparsedNumber, type NumberProblem } from './number-text.js';

const num = (raw: string) => parseNumberText(raw, { kind: 'number' });
const problemOf = (value: unknown): NumberProblem | undefined => (value instanceof UnparsedNumber ? value.problem : undefined);

describe('parseNumberText', () => {
  it('reads plain, signed, decimal and exponent numbers', () => {
    expect(num('42')).toBe(42);
    expect(num('-3.5')).toBe(-3.5);
    expect(num('+7')).toBe(7);
    expect(num('.5')).toBe(0.5);
    expect(num('5.')).toBe(5);
    expect(num('1.5e6')).toBe(1_500_000);
    expect(num('-0')).toBe(0);
    expect(num('0.1')).toBe(0.1);
  });

  it('clears the value for empty or blank text', () => {
    expect(num('')).toBeNull();
    expect(num('   ')).toBeNull();
  });

  it('reads commas between thousands, spaces and full-width IME input', () => {
    expect(num('1,234.5')).toBe(1234.5);
    expect(num('12,345,678')).toBe(12_345_678);
    expect(num(' 1 234 ')).toBe(1234);
    expect(num('１２３４．５')).toBe(1234.5);
    expect(num('１，２３４')).toBe(1234);
    expect(num('－８')).toBe(-8);
    expect(num('\u22128')).toBe(-8);
  });

  it('refuses commas that are not thousands separators, rather than guess', () => {
    expect(problemOf(num('1,5'))).toBe('grouping');
    expect(problemOf(num('1234,5'))).toBe('grouping');
    expect(problemOf(num('1,2,3'))).toBe('grouping');
    expect(problemOf(num('12,34.5'))).toBe('grouping');
  });

  it('refuses text that is no number, keeping the text as typed', () => {
    for (const raw of ['abc', '--', '-', '.', '1.2.3', '12abc', 'NaN', 'Infinity', '0x10', '1e', '+-1', '$5']) {
      const value = num(raw);
      expect(value, raw).toBeInstanceOf(UnparsedNumber);
      expect((value as UnparsedNumber).text).toBe(raw);
      expect((value as UnparsedNumber).problem, raw).toBe('notNumber');
    }
  });

  it('refuses numbers too large to store, and more digits than a number keeps', () => {
    expect(problemOf(num('1e999'))).toBe('tooLarge');
    expect(problemOf(num('-1e308'))).toBe('tooLarge');
    expect(num('9.99e307')).toBe(9.99e307);
    expect(problemOf(num('12345678901234567890'))).toBe('tooPrecise');
    expect(problemOf(num('0.12345678901234567891'))).toBe('tooPrecise');
    expect(problemOf(num('1e-400'))).toBe('tooPrecise');
    expect(num('123456789012345')).toBe(123456789012345);
    expect(num('1000000000000000000000')).toBe(1e21);
  });

  it('takes a currency field\'s symbol or code', () => {
    const usd = (raw: string) => parseNumberText(raw, { kind: 'currency', currency: 'USD' });
    expect(usd('$1,234.50')).toBe(1234.5);
    expect(usd('-$5')).toBe(-5);
    expect(usd('USD 12')).toBe(12);
    expect(usd('12 usd')).toBe(12);
    expect(usd('US$3')).toBe(3);
    expect(parseNumberText('NT$900', { kind: 'currency', currency: 'TWD' })).toBe(900);
    expect(parseNumberText('900 TWD', { kind: 'currency', currency: 'TWD' })).toBe(900);
    expect(problemOf(usd('$'))).toBe('notNumber');
    expect(problemOf(usd('5 dollars'))).toBe('notNumber');
  });

  it('reads a percent as typed for 25 % and answers the fraction, exactly', () => {
    const pct = (raw: string) => parseNumberText(raw, { kind: 'percent' });
    expect(pct('25')).toBe(0.25);
    expect(pct('25%')).toBe(0.25);
    expect(pct('２５％')).toBe(0.25);
    expect(pct('7')).toBe(0.07);
    expect(pct('12.3456789')).toBe(0.123456789);
    expect(pct('')).toBeNull();
    expect(problemOf(pct('%'))).toBe('notNumber');
    expect(problemOf(pct('1e400'))).toBe('tooLarge');
  });
});

describe('numberText', () => {
  it('shows stored numbers as plain text that reads back the same, never NaN', () => {
    expect(numberText(1234.5, 'number')).toBe('1234.5');
    expect(numberText(1e21, 'number')).toBe('1000000000000000000000');
    expect(numberText(1e-7, 'number')).toBe('0.0000001');
    expect(numberText(0.07, 'percent')).toBe('7');
    expect(numberText(0.123456789, 'percent')).toBe('12.3456789');
    expect(numberText(Number.NaN, 'number')).toBe('');
    expect(numberText(Number.POSITIVE_INFINITY, 'number')).toBe('');
    expect(numberText(null, 'number')).toBe('');
    expect(numberText(undefined, 'currency')).toBe('');
    expect(numberText(new UnparsedNumber('12abc', 'notNumber'), 'number')).toBe('12abc');
    for (const value of [0.1, 0.07, 123.456, -5, 99.5]) {
      expect(parseNumberText(numberText(value, 'number'), { kind: 'number' })).toBe(value);
      expect(parseNumberText(numberText(value, 'percent'), { kind: 'percent' })).toBe(value);
    }
  });
});

describe('sameNumber', () => {
  it('compares numbers, empties and unparsed texts', () => {
    expect(sameNumber(1, 1)).toBe(true);
    expect(sameNumber(null, undefined)).toBe(true);
    expect(sameNumber(1, 2)).toBe(false);
    expect(sameNumber(new UnparsedNumber('x', 'notNumber'), new UnparsedNumber('x', 'notNumber'))).toBe(true);
    expect(sameNumber(new UnparsedNumber('x', 'notNumber'), null)).toBe(false);
    expect(JSON.stringify({ a: new UnparsedNumber('x', 'notNumber') })).toBe('{"a":{"unparsed":"x"}}');
  });
});
