import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from '../form/test-fields.js';
import { describe, expect, it } from 'vitest';
import type { Field } from '../api/types.js';
import { generalBody, generalOf } from './field-general.js';

const field = (type: FieldTypeId, extra: Partial<Field> = {}): Field => ({ ...testField('f1', 'F', type), ...extra });

describe('the field dialog’s general part as the API takes it', () => {
  it('sends required, unique, the default and the description of a stored field', () => {
    const g = { ...generalOf(), required: true, unique: true, defaultValue: 5, description: 'Help' };
    expect(generalBody('number', g, { precision: 2 }, undefined, field('number'))).toEqual({ required: true, unique: true, defaultValue: 5, description: 'Help', options: { precision: 2 } });
  });
  it('clears an empty default, and turns unique off for a type that cannot be unique', () => {
    const g = { ...generalOf(field('text', { unique: true, defaultValue: 'x' })), defaultValue: '' };
    expect(generalBody('checkbox', g, undefined, field('text', { unique: true }), field('checkbox'))).toEqual({ required: false, unique: false, defaultValue: null, description: '' });
  });
  it('keeps a user field’s other options and sets or drops "current user"', () => {
    const owner = field('user', { options: { owner: true, defaultCurrentUser: true } });
    expect(generalBody('user', { ...generalOf(owner), currentUser: false }, undefined, owner, owner).options).toEqual({ owner: true });
    expect(generalBody('user', { ...generalOf(), currentUser: true }, undefined, field('text'), field('user')).options).toEqual({ defaultCurrentUser: true });
  });
  it('sends only the description (and options) of a computed field', () => {
    expect(generalBody('formula', { ...generalOf(), required: true, description: 'Sum' }, { expression: '1' }, undefined, field('formula'))).toEqual({ description: 'Sum', options: { expression: '1' } });
  });
});
