import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from './test-fields.js';
import { describe, expect, it } from 'vitest';
import type { Field, Sheet } from '../api/types.js';
import { lockOfRules, type SheetRule } from './lock-rules.js';

const field = (name: string, type: FieldTypeId = 'text'): Field => testField(`fld${name}`, name, type);
const sheet: Sheet = { id: 'sht1', name: 'Invoices', primaryFieldId: 'fldName', fields: [field('Name'), field('Amount', 'number'), field('Status', 'single_select'), field('Lines status', 'lookup')] };

describe('lock rules in the browser', () => {
  it('locks the named fields while the condition holds, all of them for a rule naming none', () => {
    const rules: SheetRule[] = [
      { id: 'r0', condition: { '>': [{ var: 'Amount' }, 0] }, message: 'positive' },
      { id: 'r1', kind: 'lock', condition: { '==': [{ var: 'Status' }, 'Paid'] }, message: 'paid', lockedFields: ['Amount'] },
      { id: 'r2', kind: 'lock', condition: { contains: [{ var: 'Lines status' }, 'Accepted'] }, message: 'accepted', lockedFields: null },
    ];
    const lockOf = lockOfRules(sheet, rules);
    expect(lockOf({ Name: 'A', Amount: 5, Status: 'Open' })).toBeUndefined();
    const paid = lockOf({ Name: 'A', Amount: 5, Status: 'Paid' })!;
    expect([...paid.fields]).toEqual([['Amount', 'paid']]);
    expect(paid.all).toBeUndefined();
    const accepted = lockOf({ Name: 'A', Status: 'Paid', 'Lines status': ['Accepted'] })!;
    expect(accepted.all).toBe('accepted');
    expect(accepted.fields.get('Amount')).toBe('paid');
    expect(accepted.fields.get('Name')).toBe('accepted');
  });

  it('locks nothing by a rule it cannot evaluate, nor by validation rules', () => {
    const lockOf = lockOfRules(sheet, [
      { id: 'r0', condition: { '==': [{ var: 'Name' }, 'A'] }, message: 'validation' },
      { id: 'r1', kind: 'lock', condition: { no_such_operator: [1] }, message: 'broken', lockedFields: null },
    ]);
    expect(lockOf({ Name: 'A' })).toBeUndefined();
  });
});
