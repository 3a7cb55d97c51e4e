import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import { testField } from '../form/test-fields.js';
import { describe, expect, it } from 'vitest';
import type { Field } from '../api/types.js';
import { planPaste, type PasteTarget } from './paste-plan.js';

const field = (name: string, type: FieldTypeId = 'text'): Field => testField(`fld_${name}`, name, type);
const fields = [field('A'), field('B'), field('Total', 'formula'), field('D')];
const target = (rowCount: number, locked: string[] = []): PasteTarget => ({
  rowCount,
  fields,
  blocked: (row, f) => (f.type === 'formula' ? 'readOnly' : locked.includes(`${row}:${f.name}`) ? 'locked' : undefined),
  parse: (_f, text) => ({ value: text }),
});
const at = (row: number, col: number) => ({ top: row, left: col, bottom: row, right: col });
const where = (cells: { row: number; field: Field; text: string }[]) => cells.map((c) => `${c.row}:${c.field.name}=${c.text}`);

describe('where pasted cells go', () => {
  it('starts at the selected cell, skipping read-only and locked cells and counting columns past the last', () => {
    const plan = planPaste([['1', '2', '3'], ['4', '5', '6']], at(0, 1), target(5, ['1:D']));
    expect(where(plan.cells)).toEqual(['0:B=1', '0:D=3', '1:B=4']);
    expect(plan.blocked.map((b) => `${b.row}:${b.field.name}:${b.reason}`)).toEqual(['0:Total:readOnly', '1:Total:readOnly', '1:D:locked']);
    expect(plan.extraColumns).toBe(0);
    expect(planPaste([['1', '2', '3', '4', '5']], at(0, 2), target(5)).extraColumns).toBe(3);
  });

  it('makes new records of the rows past the last one', () => {
    const plan = planPaste([['a'], ['b'], ['c']], at(1, 0), target(2));
    expect(where(plan.cells)).toEqual(['1:A=a']);
    expect(plan.newRows.map(where)).toEqual([['2:A=b'], ['3:A=c']]);
  });

  it('fills a selected range with one copied value', () => {
    const plan = planPaste([['x']], { top: 0, left: 0, bottom: 1, right: 1 }, target(5));
    expect(where(plan.cells)).toEqual(['0:A=x', '0:B=x', '1:A=x', '1:B=x']);
  });
});
