import { describe, expect, it } from 'vitest';
import { testField } from '../form/test-fields.js';
import { fromJsonLogic, operatorsFor, toJsonLogic, type Group } from './filter-logic.js';

describe('filter builder → JsonLogic', () => {
  it('joins conditions with and/or, nests groups, skips unfinished rows', () => {
    const group: Group = {
      kind: 'group',
      join: 'and',
      items: [
        { kind: 'condition', field: 'fldStage', op: '==', value: 'Won' },
        { kind: 'condition', field: 'fldAmount', op: '>=', value: 1000 },
        { kind: 'condition', field: 'fldName', op: 'contains', value: '' },
        {
          kind: 'group',
          join: 'or',
          items: [
            { kind: 'condition', field: 'fldOwner', op: 'is_empty' },
            { kind: 'condition', field: 'fldStage', op: 'in', value: ['New', 'Lost'] },
          ],
        },
      ],
    };
    expect(toJsonLogic(group)).toEqual({
      and: [
        { '==': [{ var: 'fldStage' }, 'Won'] },
        { '>=': [{ var: 'fldAmount' }, 1000] },
        { or: [{ is_empty: [{ var: 'fldOwner' }] }, { in: [{ var: 'fldStage' }, ['New', 'Lost']] }] },
      ],
    });
  });

  it('gives one condition alone, and nothing for an empty builder', () => {
    expect(toJsonLogic({ kind: 'group', join: 'and', items: [{ kind: 'condition', field: 'f', op: 'is_not_empty' }] })).toEqual({ is_not_empty: [{ var: 'f' }] });
    expect(toJsonLogic({ kind: 'group', join: 'or', items: [] })).toBeUndefined();
  });

  it('reads its own output back', () => {
    const logic = { or: [{ '==': [{ var: 'a' }, 1] }, { and: [{ contains: [{ var: 'b' }, 'x'] }, { is_empty: [{ var: 'c' }] }] }] };
    expect(toJsonLogic(fromJsonLogic(logic))).toEqual(logic);
    expect(toJsonLogic(fromJsonLogic({ '>': [{ var: 'a' }, 2] }))).toEqual({ '>': [{ var: 'a' }, 2] });
  });

});

describe('operators offered', () => {
  it('are the API filterOperators, most used first, with "in" only where choices can be picked', () => {
    const text = { ...testField('f1', 'Name', 'text'), filterOperators: ['==', '!=', '<', 'in', 'is_empty', 'contains', 'starts_with'] };
    expect(operatorsFor(text)).toEqual(['contains', '==', '!=', '<', 'starts_with', 'is_empty']);
    const stage = { ...testField('f2', 'Stage', 'single_select'), filterOperators: ['==', 'in', 'is_empty'] };
    expect(operatorsFor(stage)).toEqual(['==', 'in', 'is_empty']);
  });
});
