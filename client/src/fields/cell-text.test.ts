import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from '../form/test-fields.js';
import { describe, expect, it } from 'vitest';
import type { Field } from '../api/types.js';
import { cellText, parseCellText, typedStart, type CellTextContext } from './cell-text.js';
import { UnparsedNumber } from './number-text.js';

const field = (type: FieldTypeId, options: Record<string, unknown> = {}): Field => testField(`fld_${type}`, type, type, options);
const context: CellTextContext = {
  members: [
    { id: 'usr1', name: 'Ada Lovelace', email: 'ada@example.com' },
    { id: 'usr2', name: 'Sam', email: 'sam1@example.com' },
    { id: 'usr3', name: 'Sam', email: 'sam2@example.com' },
  ],
  dateOrder: 'mdy',
};
const parse = (f: Field, text: string) => parseCellText(f, text, context);
const choices = { choices: [{ id: 'c1', name: 'Won', color: 'green' }, { id: 'c2', name: 'Lost', color: 'red' }, { id: 'c3', name: 'On hold, waiting', color: 'gray' }] };

describe('pasted text per field type', () => {
  it('reads numbers with thousands separators, currencies and percents, and names the problem of the rest', () => {
    expect(parse(field('number'), '1,234.5')).toEqual({ value: 1234.5 });
    expect(parse(field('currency', { currency: 'USD' }), '$1,200.00')).toEqual({ value: 1200 });
    expect(parse(field('percent'), '25%')).toEqual({ value: 0.25 });
    expect(parse(field('number'), '')).toEqual({ value: null });
    expect(parse(field('number'), 'abc')).toEqual({ problem: 'notNumber' });
    expect(parse(field('number'), '1,2')).toEqual({ problem: 'grouping' });
  });

  it('reads dates in ISO, year-first, the locale order and with month names', () => {
    expect(parse(field('date'), '2026-12-31')).toEqual({ value: '2026-12-31' });
    expect(parse(field('date'), '2026/1/5')).toEqual({ value: '2026-01-05' });
    expect(parse(field('date'), '03/04/2026')).toEqual({ value: '2026-03-04' });
    expect(parseCellText(field('date'), '03/04/2026', { ...context, dateOrder: 'dmy' })).toEqual({ value: '2026-04-03' });
    expect(parse(field('date'), '31/12/2026')).toEqual({ value: '2026-12-31' });
    expect(parse(field('date'), 'Dec 7, 2026')).toEqual({ value: '2026-12-07' });
    expect(parse(field('date'), '2026年12月7日')).toEqual({ value: '2026-12-07' });
    expect(parse(field('date'), 'soon')).toEqual({ problem: 'notDate' });
    expect(parse(field('date'), '2026-02-30')).toEqual({ problem: 'notDate' });
  });

  it('reads a date and time in UTC unless it names its zone', () => {
    expect(parse(field('datetime'), '2026-12-07 14:30')).toEqual({ value: '2026-12-07T14:30:00.000Z' });
    expect(parse(field('datetime'), '2026-12-07T14:30:00.000Z')).toEqual({ value: '2026-12-07T14:30:00.000Z' });
    expect(parse(field('datetime'), '2026-12-07 14:30 +08:00')).toEqual({ value: '2026-12-07T06:30:00.000Z' });
    expect(parse(field('datetime'), 'later')).toEqual({ problem: 'notDateTime' });
  });

  it('reads checkboxes from TRUE/FALSE, ticks and words', () => {
    expect(parse(field('checkbox'), 'TRUE')).toEqual({ value: true });
    expect(parse(field('checkbox'), 'FALSE')).toEqual({ value: false });
    expect(parse(field('checkbox'), '✓')).toEqual({ value: true });
    expect(parse(field('checkbox'), '')).toEqual({ value: false });
    expect(parse(field('checkbox'), 'maybe')).toEqual({ problem: 'notCheckbox' });
  });

  it('matches choices by name in any case, a list by commas, a name with a comma whole', () => {
    expect(parse(field('single_select', choices), 'won')).toEqual({ value: 'Won' });
    expect(parse(field('single_select', choices), 'Pending')).toEqual({ problem: 'notChoice' });
    expect(parse(field('multi_select', choices), 'Won, lost')).toEqual({ value: ['Won', 'Lost'] });
    expect(parse(field('multi_select', choices), 'On hold, waiting')).toEqual({ value: ['On hold, waiting'] });
    expect(parse(field('multi_select', choices), 'Won, Maybe')).toEqual({ problem: 'notChoice' });
  });

  it('finds people by email or a name only one member has', () => {
    expect(parse(field('user'), 'ADA@example.com')).toEqual({ value: 'usr1' });
    expect(parse(field('user'), 'ada lovelace')).toEqual({ value: 'usr1' });
    expect(parse(field('user'), 'Sam')).toEqual({ problem: 'notUser' });
    expect(parse(field('user'), 'sam2@example.com')).toEqual({ value: 'usr3' });
  });

  it('hands linked record titles to the caller, and refuses what cannot be pasted', () => {
    expect(parse(field('link'), 'Acme, Globex')).toEqual({ titles: ['Acme', 'Globex'], whole: 'Acme, Globex' });
    expect(parse(field('link'), '')).toEqual({ value: [] });
    expect(parse(field('attachment'), 'file.pdf')).toEqual({ problem: 'notPastable' });
    expect(parse(field('formula'), '1')).toEqual({ problem: 'notPastable' });
    expect(parse(field('rating', { max: 5 }), '★★★☆☆')).toEqual({ value: 3 });
    expect(parse(field('rating', { max: 5 }), '7')).toEqual({ problem: 'notRating' });
    expect(parse(field('text'), '  hi  ')).toEqual({ value: 'hi' });
    expect(parse(field('long_text'), 'a\nb ')).toEqual({ value: 'a\nb ' });
  });

  it('copies values as text that pastes back to the same value', () => {
    const cases: [Field, unknown][] = [
      [field('number'), 1234.5],
      [field('percent'), 0.07],
      [field('currency', { currency: 'USD' }), 1200],
      [field('date'), '2026-12-31'],
      [field('datetime'), '2026-12-07T14:30:00.000Z'],
      [field('checkbox'), true],
      [field('checkbox'), false],
      [field('single_select', choices), 'Won'],
      [field('multi_select', choices), ['Won', 'Lost']],
      [field('text'), 'say "hi"'],
    ];
    for (const [f, value] of cases) expect(parse(f, cellText(f, value, 'en'))).toEqual({ value });
    expect(cellText(field('percent'), 0.07, 'en')).toBe('7%');
    expect(cellText(field('checkbox'), undefined, 'en')).toBe('FALSE');
    expect(cellText(field('user'), { id: 'usr1', name: 'Ada Lovelace', email: 'ada@example.com' }, 'en')).toBe('Ada Lovelace');
    expect(cellText(field('link'), [{ id: 'r1', title: 'Acme' }, { id: 'r2', title: 'Globex' }], 'en')).toBe('Acme, Globex');
  });

  it('starts an editor from a typed character for text and numbers only', () => {
    expect(typedStart(field('text'), 'a')).toEqual({ value: 'a' });
    expect(typedStart(field('number'), '7')).toEqual({ value: 7 });
    expect(typedStart(field('percent'), '5')).toEqual({ value: 0.05 });
    expect(typedStart(field('number'), '-')).toEqual({ value: new UnparsedNumber('-', 'notNumber') });
    expect(typedStart(field('single_select', choices), 'w')).toBeUndefined();
    expect(typedStart(field('date'), '2')).toBeUndefined();
  });
});
