import { describe, expect, it } from 'vitest';
import type { FieldDef, RuleDef, SheetDef } from '../catalog/model.js';
import { EngineError } from '../errors.js';
import { compileCondition, conditionFieldIds, displayCondition } from './condition.js';

const field = (id: string, name: string) => ({ id, name, sheetId: 'shtaaaaaaaaaaaa' }) as FieldDef;
const fields = [field('fldamount0000000', 'Amount'), field('fldstage00000000', 'Stage'), field('fldnodots0000000', 'No. of items')];
const sheet = (rules: RuleDef[] = []) => ({ id: 'shtaaaaaaaaaaaa', name: 'Deals', fields, rules }) as unknown as SheetDef;

function refusal(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe('compileCondition', () => {
  it('stores ids (names with dots included) and shows names again', () => {
    const input = { and: [{ '>': [{ var: 'Amount' }, 10] }, { '==': [{ var: ['fldstage00000000'] }, 'Won'] }, { '<': [{ var: 'No. of items' }, 3] }] };
    const { condition, fieldIds } = compileCondition(sheet(), input);
    expect(condition).toEqual({ and: [{ '>': [{ var: 'fldamount0000000' }, 10] }, { '==': [{ var: 'fldstage00000000' }, 'Won'] }, { '<': [{ var: 'fldnodots0000000' }, 3] }] });
    expect(fieldIds).toEqual(['fldamount0000000', 'fldstage00000000', 'fldnodots0000000']);
    expect(conditionFieldIds(condition)).toEqual(fieldIds);
    expect(displayCondition(sheet(), condition)).toEqual({ ...input, and: [input.and[0], { '==': [{ var: 'Stage' }, 'Won'] }, input.and[2]] });
  });

  it('names the part that is wrong', () => {
    const bad: [unknown, RegExp][] = [
      [{ '==': [{ var: 'Nope' }, 1] }, /unknown field "Nope"/],
      [{ method: ['x', 'toString'] }, /unknown operator "method"/],
      [JSON.parse('{"__proto__": [{"var": "Amount"}]}'), /"__proto__" is not allowed/],
      [{ '!': { var: 'prototype' } }, /"prototype" is not allowed/],
      [{ some: [{ var: 'Amount' }, { '>': [{ var: '' }, 1] }] }, /unknown operator "some"/],
      [{ '!': { var: '' } }, /"var" takes/],
      [{ '==': [{ var: 'Amount' }, { a: 1, b: 2 }] }, /one operator/],
      [{ '<': [{ var: 'Amount' }, '2026-02-30'] }, /"2026-02-30" is not a date that exists/],
      [{ '<': [{ var: 'Amount' }, { dateadd: ['0000-01-01', 1, 'day'] }] }, /"0000-01-01" is not a date/],
      [{ '>': [{ var: 'Amount' }, '2026-01-01T24:00:00Z'] }, /is not a date that exists/],
    ];
    for (const [input, message] of bad) {
      const error = refusal(() => compileCondition(sheet(), input));
      expect(error.details).toEqual({ fields: { condition: expect.stringMatching(message) } });
    }
  });
});
