import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from '../form/test-fields.js';
import { describe, expect, it } from 'vitest';
import type { Field } from '../api/types.js';
import { builderGroup, describeCondition, withFieldIds } from './rule-condition.js';

const field = (id: string, name: string, type: FieldTypeId = 'number'): Field => testField(id, name, type);
const fields = [field('fa', 'Amount'), field('fs', 'Status', 'text')];

describe('rule conditions in the builder', () => {
  it('turns field names into ids, nested and in the array form, and leaves unknown vars alone', () => {
    expect(withFieldIds(fields, { and: [{ '>': [{ var: 'Amount' }, 0] }, { '==': [{ var: ['Status'] }, 'ok'] }, { var: 'Gone' }] })).toEqual({
      and: [{ '>': [{ var: 'fa' }, 0] }, { '==': [{ var: 'fs' }, 'ok'] }, { var: 'Gone' }],
    });
  });
  it('shows what the builder makes in the builder, and anything else as JSON', () => {
    expect(builderGroup(fields, { '>': [{ var: 'Amount' }, 0] })?.items).toEqual([{ kind: 'condition', field: 'fa', op: '>', value: 0 }]);
    expect(builderGroup(fields, { or: [{ is_empty: [{ var: 'Status' }] }, { '>=': [{ var: 'Amount' }, 10] }] })?.join).toBe('or');
    expect(builderGroup(fields, { if: [{ var: 'Amount' }, true, false] })).toBeUndefined();
    expect(builderGroup(fields, { '>': [{ '*': [{ var: 'Amount' }, 2] }, 0] })).toBeUndefined();
  });
  it('says a condition in words, or as JSON when the builder cannot show it', () => {
    const words = (c: unknown) => describeCondition(fields, c, (op) => (op === '>' ? '>' : op), (j) => j.toUpperCase());
    expect(words({ and: [{ '>': [{ var: 'Amount' }, 0] }, { or: [{ is_empty: [{ var: 'Status' }] }, { '==': [{ var: 'Status' }, 'ok'] }] }] })).toBe('Amount > 0 AND (Status is_empty OR Status == ok)');
    expect(words({ if: [{ var: 'Amount' }, true, false] })).toBe('{"if":[{"var":"Amount"},true,false]}');
  });
});
