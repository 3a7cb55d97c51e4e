import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from './test-fields.js';
import { describe, expect, it } from 'vitest';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import type { Field, Sheet } from '../api/types.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { firstRowProblem, isFilled, numberProblems, relatedFieldNames, rowInputs } from './drafts.js';

const field = (id: string, name: string, type: FieldTypeId, options: Record<string, unknown> = {}): Field => testField(id, name, type, options);
const lines: Sheet = {
  id: 'sht1',
  name: 'Lines',
  primaryFieldId: 'f1',
  fields: [field('f1', 'Item', 'text'), field('f2', 'Quantity', 'number'), field('f3', 'Product', 'link', { sheet: 'sht2' }), field('f4', 'Total', 'formula'), field('f5', 'Discount', 'percent')],
} as Sheet;

describe('a related list\'s new row', () => {
  it('is filled once any control says something', () => {
    expect(isFilled(undefined)).toBe(false);
    expect(isFilled({})).toBe(false);
    expect(isFilled({ Item: '', Quantity: null, Done: false, Tags: [] })).toBe(false);
    expect(isFilled({ Item: '', Quantity: 2 })).toBe(true);
    expect(isFilled({ Quantity: new UnparsedNumber('abc', 'notNumber') })).toBe(true);
  });

  it('is sent with writable fields only, links as ids', () => {
    expect(rowInputs(lines, { Item: 'Widget', Quantity: 2, Product: [{ id: '7', title: 'W' }], Total: 9 })).toEqual({ Item: 'Widget', Quantity: 2, Product: ['7'] });
  });

  it('names the first field, in the sheet\'s order, whose text is no number', () => {
    const draft = { Discount: new UnparsedNumber('1,5', 'grouping'), Quantity: new UnparsedNumber('two', 'notNumber'), Item: 'x' };
    expect(firstRowProblem(lines, draft)).toEqual({ field: lines.fields[1], problem: 'notNumber' });
    expect(firstRowProblem(lines, { Item: 'x', Quantity: 3 })).toBeUndefined();
    expect(numberProblems(draft)).toEqual({ Discount: 'grouping', Quantity: 'notNumber' });
  });
});

describe('relatedFieldNames', () => {
  it('lists the link fields a layout shows as related lists', () => {
    const quotes = { id: 'sht2', name: 'Quotes', primaryFieldId: 'q1', fields: [field('q1', 'Title', 'text'), field('q2', 'Line items', 'link'), field('q3', 'Account', 'link')] } as Sheet;
    const layout = {
      tabs: [
        {
          id: 't',
          title: '',
          sections: [
            {
              id: 's',
              title: '',
              rows: [{ id: 'r', columns: [{ id: 'c', elements: [{ id: 'e1', kind: 'field', field: 'q1' }, { id: 'e2', kind: 'related', field: 'q2' }, { id: 'e3', kind: 'field', field: 'q3' }] }] }],
            },
          ],
        },
      ],
    } as unknown as FormLayout;
    expect([...relatedFieldNames(layout, quotes)]).toEqual(['Line items']);
  });
});
