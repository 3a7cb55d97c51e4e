import { describe, expect, it } from 'vitest';
import { evaluateForm } from './evaluate.js';
import type { FormLayout } from './layout.js';

const lost = { '==': [{ var: 'stage' }, 'Lost'] };
const layout: FormLayout = {
  tabs: [
    {
      id: 't1',
      title: 'Main',
      sections: [
        {
          id: 's1',
          rows: [
            {
              id: 'r1',
              columns: [
                {
                  id: 'c1',
                  elements: [
                    { kind: 'field', id: 'e-stage', field: 'stage' },
                    { kind: 'field', id: 'e-amount', field: 'amount', readOnly: true },
                    { kind: 'field', id: 'e-source', field: 'source', hidden: true, defaultValue: 'Web' },
                    { kind: 'field', id: 'e-reason', field: 'reason', requiredWhen: { '>': [{ var: 'amount' }, 1000] } },
                    { kind: 'field', id: 'e-broken', field: 'broken', visibleWhen: { nope: [1] } },
                  ],
                },
              ],
            },
          ],
        },
        { id: 's2', visibleWhen: lost, rows: [{ id: 'r2', columns: [{ id: 'c2', elements: [{ kind: 'heading', id: 'h', text: 'Loss' }, { kind: 'field', id: 'e-comp', field: 'competitor', required: true }] }] }] },
      ],
    },
    { id: 't2', title: 'Lines', visibleWhen: { '!': lost }, sections: [{ id: 's3', rows: [{ id: 'r3', columns: [{ id: 'c3', elements: [{ kind: 'related', id: 'e-lines', field: 'lines' }] }] }] }] },
  ],
};

describe('evaluateForm', () => {
  it('hides a section and its fields while its condition fails, and a tab with it', () => {
    const state = evaluateForm(layout, { stage: 'Won', amount: 5 });
    expect([...state.visible].sort()).toEqual(['e-amount', 'e-lines', 'e-reason', 'e-stage', 's1', 's3', 't1', 't2'].sort());
    expect([...state.hiddenByCondition].sort()).toEqual(['broken', 'competitor']);
    expect([...state.writable].sort()).toEqual(['lines', 'reason', 'stage']);
    expect([...state.required]).toEqual([]);
  });

  it('requires a field while shown, and one whose requiredWhen holds', () => {
    const state = evaluateForm(layout, { stage: 'Lost', amount: 5000 });
    expect(state.visible.has('s2')).toBe(true);
    expect(state.visible.has('t2')).toBe(false);
    expect(state.hiddenByCondition.has('lines')).toBe(true);
    expect([...state.required].sort()).toEqual(['competitor', 'reason']);
  });

  it('keeps a hidden element off screen and unwritable, but not hidden by a condition', () => {
    const state = evaluateForm(layout, {});
    expect(state.visible.has('e-source')).toBe(false);
    expect(state.writable.has('source')).toBe(false);
    expect(state.hiddenByCondition.has('source')).toBe(false);
  });
});
