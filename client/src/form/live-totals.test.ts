import { describe, expect, it } from 'vitest';
import type { RecordJson, Sheet } from '../api/types.js';
import { testField } from './test-fields.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { computeFields } from './live-totals.js';

const field = testField;
const products: Sheet = { id: 'pro', name: 'Products', primaryFieldId: 'p1', fields: [field('p1', 'Name', 'text'), field('p2', 'Unit price', 'currency')] };
const lines: Sheet = {
  id: 'lin',
  name: 'Lines',
  primaryFieldId: 'l1',
  fields: [
    field('l1', 'Item', 'text'),
    field('l2', 'Product', 'link', { sheet: 'pro', relationship: 'many_to_one' }),
    field('l3', 'List price', 'lookup', { link: 'l2', field: 'p2' }),
    field('l4', 'Quantity', 'number'),
    field('l5', 'Unit price', 'currency'),
    field('l6', 'Discount', 'percent'),
    field('l7', 'Line total', 'formula', { expression: 'ROUND({Quantity} * IF({Unit price} = BLANK(), {List price}, {Unit price}) * (1 - {Discount}), 2)' }),
  ],
};
const quotes: Sheet = {
  id: 'quo',
  name: 'Quotes',
  primaryFieldId: 'q1',
  fields: [
    field('q1', 'Name', 'text'),
    field('q2', 'Line items', 'link', { sheet: 'lin', relationship: 'one_to_many' }),
    field('q3', 'Subtotal', 'rollup', { link: 'q2', field: 'l7', fn: 'sum' }),
    field('q4', 'Tax rate', 'percent'),
    field('q7', 'Grand total', 'formula', { expression: '{Subtotal} + {Tax}' }),
    field('q5', 'Tax', 'formula', { expression: 'ROUND({Subtotal} * {Tax rate}, 2)' }),
    field('q6', 'Days', 'formula', { expression: 'DATEDIF({Start}, TODAY(), "day")' }),
  ],
};
const widget = { id: 'rw', version: 1, fields: { Name: 'Widget', 'Unit price': 10.5 } } as unknown as RecordJson;
const ctx = { sheets: [products, lines, quotes], linked: (sheet: string, id: string) => (sheet === 'pro' && id === 'rw' ? widget : undefined) };
const product = [{ id: 'rw', title: 'Widget' }];

describe('computeFields', () => {
  it("totals a new quote's line items as typed: lookups, formulas over them, a rollup and formulas over it", () => {
    const values = {
      Name: 'Q',
      'Tax rate': 0.05,
      'Line items': [
        { draft: { Product: product, Quantity: 2 } },
        { draft: { Product: product, Quantity: 3, 'Unit price': 9.99, Discount: 0.1 } },
      ],
    };
    const out = computeFields(quotes, values, ctx);
    // 2 × 10.50 = 21.00; 3 × 9.99 × 0.9 = 26.973 → 26.97.
    expect(out.Subtotal).toBeCloseTo(47.97, 10);
    expect(out.Tax).toBe(2.4);
    expect(out['Grand total']).toBeCloseTo(50.37, 10);
    // A function only the server evaluates is left to it.
    expect('Days' in out).toBe(false);
  });

  it('leaves out what is not known yet: a linked record not read, a number that is no number', () => {
    expect('Subtotal' in computeFields(quotes, { 'Line items': [{ draft: { Product: [{ id: 'other', title: 'X' }], Quantity: 1 } }] }, ctx)).toBe(false);
    const out = computeFields(lines, { Product: product, Quantity: new UnparsedNumber('two', 'notANumber' as never) }, ctx);
    expect(out['List price']).toEqual([10.5]);
    expect('Line total' in out).toBe(false);
  });

  it('computes the number functions as the server does, errors empty', () => {
    const sheet: Sheet = {
      id: 'num',
      name: 'Numbers',
      primaryFieldId: 'n1',
      fields: [
        field('n1', 'X', 'number'),
        field('n2', 'D', 'number'),
        ...['INT({X})', 'MOD({X}, {D})', 'CEILING({X}, {D})', 'FLOOR({X}, {D})', 'POWER({X}, {D})', 'SQRT({X})', 'FLOOR({X})'].map((expression, i) => field(`f${i}`, expression, 'formula', { expression })),
      ],
    };
    const at = (X: number, D: number) => computeFields(sheet, { X, D }, ctx);
    expect(at(-10, 3)).toMatchObject({ 'INT({X})': -10, 'MOD({X}, {D})': 2, 'CEILING({X}, {D})': -9, 'FLOOR({X}, {D})': -12, 'POWER({X}, {D})': -1000, 'SQRT({X})': null });
    expect(at(0.3, 0.1)).toMatchObject({ 'CEILING({X}, {D})': 0.30000000000000004, 'FLOOR({X}, {D})': 0.30000000000000004 });
    expect(at(7.5, 0)).toMatchObject({ 'MOD({X}, {D})': null, 'CEILING({X}, {D})': 0, 'POWER({X}, {D})': 1, 'SQRT({X})': Math.sqrt(7.5), 'FLOOR({X})': 7, 'INT({X})': 7 });
    expect(at(0, -1)).toMatchObject({ 'POWER({X}, {D})': null });
  });

  it('counts an empty quote as zero', () => {
    expect(computeFields(quotes, { 'Tax rate': 0.05 }, ctx)).toMatchObject({ Subtotal: 0, Tax: 0, 'Grand total': 0 });
  });
});
