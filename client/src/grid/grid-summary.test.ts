import { describe, expect, it } from 'vitest';
import type { Field } from '../api/types.js';
import { columnValue, summaryChoices, summaryOf, summaryRequest } from './grid-summary.js';

const field = (id: string, type: string, result?: Field['result']): Field => ({ id, name: id, type, options: {}, ...(result ? { result } : {}) }) as Field;
const amount = field('a', 'currency');
const name = field('n', 'text');
const total = field('t', 'formula', { type: 'number', options: {} });
const list = field('l', 'lookup', { type: 'number', options: {}, list: true });

describe('grid summary', () => {
  it('offers aggregates for numbers and filled/empty for the rest', () => {
    expect(summaryChoices(amount)).toEqual(['none', 'sum', 'avg', 'count', 'min', 'max']);
    expect(summaryChoices(total)).toContain('avg');
    expect(summaryChoices(list)).toEqual(['none', 'filled', 'empty']);
    expect(summaryChoices(name)).toEqual(['none', 'filled', 'empty']);
  });

  it('sums numbers unless the view says otherwise; a choice a column cannot have is none', () => {
    expect(summaryOf(amount, undefined)).toBe('sum');
    expect(summaryOf(name, undefined)).toBe('none');
    expect(summaryOf(amount, { a: 'avg' })).toBe('avg');
    expect(summaryOf(name, { n: 'sum' })).toBe('none');
  });

  it('asks the API for count and each column, by field id, and reads them back', () => {
    const request = summaryRequest([amount, name, total], { n: 'empty', t: 'none' });
    expect(request.values).toEqual(['count', 'sum(a)', 'filled(n)']);
    expect(columnValue(request, 'a', [10, 250, 7])).toBe(250);
    expect(columnValue(request, 'n', [10, 250, 7])).toBe(3);
    expect(columnValue(request, 't', [10, 250, 7])).toBeUndefined();
    expect(summaryRequest([amount], { a: 'count' }).values).toEqual(['count', 'filled(a)']);
  });
});
