import { describe, expect, it } from 'vitest';
import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from './test-fields.js';
import type { Sheet } from '../api/types.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { changedValues, conflicts, initialValues, missingRequired } from './form-state.js';

const field = (name: string, type: FieldTypeId, extra: object = {}) => ({ ...testField(`fld${name}`, name, type), ...extra });
const sheet: Sheet = {
  id: 'sht1',
  name: 'Deals',
  primaryFieldId: 'fldName',
  fields: [field('Name', 'text', { required: true }), field('Stage', 'single_select', { defaultValue: 'New' }), field('Amount', 'currency'), field('No', 'autonumber')],
};
const record = { id: '1', version: 3, createdAt: '', updatedAt: '', fields: { Name: 'Acme', Amount: 10, No: 'D-1' } };

describe('form state', () => {
  it('starts from defaults for a new record and from values for an existing one', () => {
    expect(initialValues(sheet)).toEqual({ Stage: 'New' });
    expect(initialValues(sheet, record)).toEqual({ Name: 'Acme', Amount: 10, No: 'D-1' });
  });

  it('sends only changed, writable fields, with cleared ones as null', () => {
    const initial = initialValues(sheet, record);
    expect(changedValues(sheet, initial, { ...initial, Amount: 12, No: 'x' })).toEqual({ Amount: 12 });
    expect(changedValues(sheet, initial, { ...initial, Name: '' })).toEqual({ Name: null });
    expect(changedValues(sheet, initial, { ...initial })).toEqual({});
    // Fields saved as they are edited (a saved record's related lists) are left out; text that is no number counts.
    expect(changedValues(sheet, initial, { ...initial, Amount: 12, Stage: 'Won' }, new Set(['Amount']))).toEqual({ Stage: 'Won' });
    expect(changedValues(sheet, initial, { ...initial, Amount: new UnparsedNumber('12x', 'notNumber') })).toEqual({ Amount: new UnparsedNumber('12x', 'notNumber') });
  });

  it('finds required fields left empty', () => {
    expect(missingRequired(sheet, { Name: '  '.trim() }, 'is required')).toEqual({ Name: 'is required' });
    expect(missingRequired(sheet, { Name: 'x' }, 'is required')).toEqual({});
  });

  it('lists what someone else changed after this form started', () => {
    const initial = initialValues(sheet, record);
    const current = { ...record, version: 4, fields: { ...record.fields, Amount: 99 } };
    expect(conflicts(sheet, initial, current)).toEqual({ Amount: 99 });
  });
});
