import { describe, expect, it } from 'vitest';
import type { FieldDef, RuleDef, SheetDef } from '../catalog/model.js';
import { EngineError } from '../errors.js';
import type { RecordJson } from '../records/read.js';
import { checkRules } from './check.js';
import { conditionFieldIds, displayCondition } from './condition.js';

const field = (id: string, name: string) => ({ id, name, sheetId: 'shtaaaaaaaaaaaa' }) as FieldDef;
const fields = [field('fldamount0000000', 'Amount'), field('fldstage00000000', 'Stage'), field('fldnodots0000000', 'No. of items')];
const sheet = (rules: RuleDef[] = []) => ({ id: 'shtaaaaaaaaaaaa', name: 'Deals', fields, rules }) as unknown as SheetDef;
const record = (values: Record<string, unknown>): RecordJson => ({ id: '1', version: 1, createdAt: '', updatedAt: '', fields: values });

function refusal(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe('checkRules', () => {
  const rule = (id: string, condition: unknown, message: string): RuleDef => ({ id, kind: 'validate', lockedFieldIds: [], condition, message, fieldIds: conditionFieldIds(condition), position: 0 });

  it('reads a field the sheet no longer has as empty, and shows its id', () => {
    const gone = rule('rulgone000000000', { or: [{ is_empty: [{ var: 'fldgone000000000' }] }, { '>': [{ var: 'fldamount0000000' }, 1] }] }, 'gone');
    expect(checkRules(sheet([gone]), [record({ Amount: 0 })])).toHaveLength(1);
    expect(displayCondition(sheet(), gone.condition)).toEqual({ or: [{ is_empty: [{ var: 'fldgone000000000' }] }, { '>': [{ var: 'Amount' }, 1] }] });
    const needsGone = rule('rulneeds00000000', { '!!': { var: 'fldgone000000000' } }, 'needs it');
    const error = refusal(() => checkRules(sheet([needsGone]), [record({ Amount: 5 })]));
    expect(error.details).toEqual({ fields: {}, rule: 'rulneeds00000000' });
  });

  it('treats a rule that cannot be evaluated as broken', () => {
    const odd = rule('rulodd0000000000', { substr: [{ var: 'fldamount0000000' }, { var: 'fldstage00000000' }] }, 'odd');
    expect(() => checkRules(sheet([odd]), [record({ Amount: 5, Stage: { toString: null } })])).toThrow(EngineError);
  });

  it('checks rules in order and reports the first one broken', () => {
    const positive = rule('rulpositive00000', { '>': [{ var: 'fldamount0000000' }, 0] }, 'positive');
    const won = rule('rulwon0000000000', { '==': [{ var: 'fldstage00000000' }, 'Won'] }, 'won');
    const error = refusal(() => checkRules(sheet([positive, won]), [record({ Amount: 1, Stage: 'Won' }), record({ Amount: -1 })]));
    expect(error.message).toBe('Record 2 of 2: positive; nothing was saved');
    expect(error.details).toEqual({ fields: { Amount: 'positive' }, rule: positive.id, records: [{ index: 1, fields: { Amount: 'positive' }, rule: positive.id }] });
  });
});
