import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from '../form/test-fields.js';
import { describe, expect, it } from 'vitest';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import type { Field } from '../api/types.js';
import { sampleValue, sampleValues } from './sample-values.js';

const field = (id: string, type: FieldTypeId, options: Record<string, unknown> = {}): Field => testField(id, id, type, options);

describe('preview sample values', () => {
  const now = new Date('2026-03-04T12:00:00Z');

  it('gives each type a value its control shows', () => {
    expect(sampleValue(field('Stage', 'single_select', { choices: [{ id: 'c1', name: 'New', color: 'blue' }] }), now)).toBe('New');
    expect(sampleValue(field('Close', 'date'), now)).toBe('2026-03-04');
    expect(sampleValue(field('Owner', 'user'), now)).toBeNull();
    expect(sampleValue(field('Total', 'formula'), now)).toBeNull();
  });

  it('prefers the default an element sets', () => {
    const layout: FormLayout = {
      tabs: [{ id: 't', title: 'T', sections: [{ id: 's', rows: [{ id: 'r', columns: [{ id: 'c', elements: [{ kind: 'field', id: 'a', field: 'f1', defaultValue: 7 }, { kind: 'field', id: 'b', field: 'f2' }, { kind: 'heading', id: 'h', text: 'x' }] }] }] }] }],
    };
    const fields = new Map([['f1', field('f1', 'number')], ['f2', field('f2', 'email')]]);
    expect(sampleValues(layout, fields, now)).toEqual({ f1: 7, f2: 'name@example.com' });
  });
});
