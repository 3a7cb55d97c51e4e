import { describe, expect, it } from 'vitest';
import type { RecordJson, Sheet } from '../api/types.js';
import { testField } from './test-fields.js';
import { carriedValues, currentUserDefaults } from './carried.js';

const field = testField;
const opportunities: Sheet = {
  id: 'opp',
  name: 'Opportunities',
  primaryFieldId: 'f1',
  fields: [field('f1', 'Name', 'text'), field('f2', 'Account', 'link', { sheet: 'acc', relationship: 'many_to_one' }), field('f3', 'Contacts', 'link', { sheet: 'con', relationship: 'many_to_many' })],
};
const quotes: Sheet = {
  id: 'quo',
  name: 'Quotes',
  primaryFieldId: 'q1',
  fields: [
    field('q1', 'Name', 'text'),
    field('q2', 'Opportunity', 'link', { sheet: 'opp', relationship: 'many_to_one' }),
    field('q3', 'Account', 'link', { sheet: 'acc', relationship: 'many_to_one' }),
    field('q4', 'Contact', 'link', { sheet: 'con', relationship: 'many_to_one' }),
    field('q5', 'Owner', 'user', { owner: true, defaultCurrentUser: true }),
    field('q6', 'Reviewer', 'user'),
    field('q7', 'Checked by', 'user', { defaultCurrentUser: true }),
  ],
};
const opportunity = (fields: Record<string, unknown>): RecordJson => ({ id: 'rec1', version: 1, fields }) as unknown as RecordJson;

describe('carriedValues', () => {
  it('links the parent and takes its one-record links to the same sheets', () => {
    const values = carriedValues(quotes, quotes.fields[1]!, opportunities, opportunity({ Name: 'Big deal', Account: [{ id: 'a1', title: 'Acme' }], Contacts: [{ id: 'c1', title: 'Ann' }] }), 'Big deal');
    // A many-link of the parent is no single value to carry.
    expect(values).toEqual({ Opportunity: [{ id: 'rec1', title: 'Big deal' }], Account: [{ id: 'a1', title: 'Acme' }] });
  });

  it('carries nothing the parent does not have', () => {
    expect(carriedValues(quotes, quotes.fields[1]!, opportunities, opportunity({ Name: 'Small' }), 'Small')).toEqual({ Opportunity: [{ id: 'rec1', title: 'Small' }] });
  });
});

describe('currentUserDefaults', () => {
  it('fills the owner field and the people fields that default to the current user', () => {
    const olivia = { id: 'u1', name: 'Olivia', email: 'o@example.com' };
    expect(currentUserDefaults(quotes, olivia)).toEqual({ q5: olivia, q7: olivia });
    expect(currentUserDefaults(quotes, undefined)).toEqual({});
  });
});
