import { describe, expect, it } from 'vitest';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { designerReducer, HISTORY_LIMIT, initialState, MAX_COLUMNS, pendingFields, type DesignerState, type LayoutAction } from './layout-reducer.js';
import { allIds, findElement } from './layout-tree.js';

const field = (id: string, f = id.toUpperCase()) => ({ kind: 'field' as const, id, field: f });

/** Tab "main": section "s1" with row r1 [c1: a, b | c2: c] and row r2 [c3: d]; section "s2" empty row r3; tab "t2" with section "s3". */
const layout = (): FormLayout => ({
  tabs: [
    {
      id: 'main',
      title: 'Main',
      sections: [
        { id: 's1', rows: [{ id: 'r1', columns: [{ id: 'c1', elements: [field('a'), field('b')] }, { id: 'c2', elements: [field('c')] }] }, { id: 'r2', columns: [{ id: 'c3', elements: [field('d')] }] }] },
        { id: 's2', title: 'Second', rows: [{ id: 'r3', columns: [{ id: 'c4', elements: [] }] }] },
      ],
    },
    { id: 't2', title: 'Other', sections: [{ id: 's3', rows: [] }] },
  ],
});

const run = (...actions: LayoutAction[]) => actions.reduce(designerReducer, initialState(layout()));
const column = (s: DesignerState, id: string) =>
  s.doc.layout.tabs.flatMap((t) => t.sections.flatMap((x) => x.rows.flatMap((r) => r.columns))).find((c) => c.id === id)?.elements.map((e) => e.id);
const rows = (s: DesignerState, section: string) => s.doc.layout.tabs.flatMap((t) => t.sections).find((x) => x.id === section)?.rows.map((r) => r.id);

describe('moving elements', () => {
  it('reorders within a column, in both directions, counting slots before the move', () => {
    expect(column(run({ type: 'move', id: 'a', place: { at: 'column', column: 'c1', index: 2 } }), 'c1')).toEqual(['b', 'a']);
    expect(column(run({ type: 'move', id: 'b', place: { at: 'column', column: 'c1', index: 0 } }), 'c1')).toEqual(['b', 'a']);
  });

  it('changes nothing (and records no undo step) when dropped where it is', () => {
    const start = initialState(layout());
    expect(designerReducer(start, { type: 'move', id: 'a', place: { at: 'column', column: 'c1', index: 1 } })).toBe(start);
    expect(designerReducer(start, { type: 'move', id: 'd', place: { at: 'row', section: 's1', index: 2 } })).toBe(start);
  });

  it('moves across columns, rows and sections; a one-column row left empty goes', () => {
    const s = run({ type: 'move', id: 'c', place: { at: 'column', column: 'c1', index: 1 } });
    expect(column(s, 'c1')).toEqual(['a', 'c', 'b']);
    expect(column(s, 'c2')).toEqual([]); // a column of a two-column row stays
    const d = run({ type: 'move', id: 'd', place: { at: 'column', column: 'c4', index: 0 } });
    expect(rows(d, 's1')).toEqual(['r1']);
    expect(column(d, 'c4')).toEqual(['d']);
  });

  it('moves into a new row, a new section and another tab', () => {
    const row = run({ type: 'move', id: 'a', place: { at: 'row', section: 's2', index: 0 } });
    expect(rows(row, 's2')).toEqual(['row1', 'r3']);
    const section = run({ type: 'move', id: 'b', place: { at: 'section', tab: 'main', index: 1 } });
    expect(section.doc.layout.tabs[0]!.sections.map((x) => x.id)).toEqual(['s1', 'sec1', 's2']);
    expect(findElement(section.doc.layout, 'b')?.path).toEqual({ tab: 0, section: 1, row: 0, column: 0, index: 0 });
    const tab = run({ type: 'move', id: 'a', place: { at: 'tab', tab: 't2' } });
    expect(findElement(tab.doc.layout, 'a')?.path).toMatchObject({ tab: 1, section: 0 });
  });

  it('moves sections within and across tabs, and tabs', () => {
    expect(run({ type: 'moveSection', id: 's2', tab: 'main', index: 0 }).doc.layout.tabs[0]!.sections.map((x) => x.id)).toEqual(['s2', 's1']);
    const across = run({ type: 'moveSection', id: 's1', tab: 't2', index: 1 });
    expect(across.doc.layout.tabs.map((t) => t.sections.map((x) => x.id))).toEqual([['s2'], ['s3', 's1']]);
    expect(run({ type: 'moveTab', id: 't2', index: 0 }).doc.layout.tabs.map((t) => t.id)).toEqual(['t2', 'main']);
    expect(run({ type: 'moveTab', id: 'main', index: 2 }).doc.layout.tabs.map((t) => t.id)).toEqual(['t2', 'main']);
  });
});

describe('inserting and removing', () => {
  it('inserts palette elements with fresh ids and selects them', () => {
    const s = run({ type: 'insert', element: { kind: 'heading', text: 'Hi' }, place: { at: 'column', column: 'c2', index: 0 } });
    expect(column(s, 'c2')).toEqual(['el1', 'c']);
    expect(s.selected).toBe('el1');
    expect(allIds(s.doc.layout).size).toBe(allIds(layout()).size + 1);
  });

  it('adds a new field with its ref, created only while the layout places it', () => {
    const newField = { ref: 'new:x1', field: { name: 'Budget', type: 'currency' } };
    const s = run({ type: 'insert', element: { kind: 'field', field: 'new:x1' }, place: { at: 'section', tab: 'main', index: 2 }, newField });
    expect(pendingFields(s.doc)).toEqual([newField]);
    expect(pendingFields(designerReducer(s, { type: 'remove', id: 'el1' }).doc)).toEqual([]);
  });

  it('refuses a field placed twice', () => {
    const start = initialState(layout());
    expect(designerReducer(start, { type: 'insert', element: { kind: 'field', field: 'A' }, place: { at: 'column', column: 'c4', index: 0 } })).toBe(start);
  });

  it('removes elements, rows, sections and tabs but never the last tab', () => {
    expect(column(run({ type: 'remove', id: 'b' }), 'c1')).toEqual(['a']);
    expect(rows(run({ type: 'remove', id: 'r2' }), 's1')).toEqual(['r1']);
    expect(run({ type: 'remove', id: 's2' }).doc.layout.tabs[0]!.sections.map((x) => x.id)).toEqual(['s1']);
    const one = run({ type: 'remove', id: 't2' });
    expect(one.doc.layout.tabs.map((t) => t.id)).toEqual(['main']);
    expect(designerReducer(one, { type: 'remove', id: 'main' })).toBe(one);
  });
});

describe('columns and properties', () => {
  it(`allows at most ${MAX_COLUMNS} columns and merges a removed column's elements into its neighbour`, () => {
    const full = run({ type: 'addColumn', row: 'r1' }, { type: 'addColumn', row: 'r1' });
    expect(full.doc.layout.tabs[0]!.sections[0]!.rows[0]!.columns).toHaveLength(4);
    expect(designerReducer(full, { type: 'addColumn', row: 'r1' })).toBe(full);
    const merged = run({ type: 'removeColumn', column: 'c2' });
    expect(column(merged, 'c1')).toEqual(['a', 'b', 'c']);
    const single = run();
    expect(designerReducer(single, { type: 'removeColumn', column: 'c3' })).toBe(single);
  });

  it('sets and clears element, section and tab properties', () => {
    const s = run(
      { type: 'updateElement', id: 'c', patch: { label: 'Rival', visibleWhen: { '==': [{ var: 'STAGE' }, 'Lost'] } } },
      { type: 'updateSection', id: 's2', patch: { title: undefined, collapsible: true } },
      { type: 'updateTab', id: 't2', patch: { title: 'Details' } },
    );
    expect(findElement(s.doc.layout, 'c')?.node).toEqual({ ...field('c'), label: 'Rival', visibleWhen: { '==': [{ var: 'STAGE' }, 'Lost'] } });
    expect(s.doc.layout.tabs[0]!.sections[1]).toEqual({ id: 's2', collapsible: true, rows: [{ id: 'r3', columns: [{ id: 'c4', elements: [] }] }] });
    expect(s.doc.layout.tabs[1]!.title).toBe('Details');
  });
});

describe('undo and redo', () => {
  it('steps back and forth; a new edit drops the redo steps', () => {
    const moved = run({ type: 'move', id: 'a', place: { at: 'column', column: 'c2', index: 1 } }, { type: 'remove', id: 'd' });
    const back = designerReducer(moved, { type: 'undo' });
    expect(column(back, 'c3')).toEqual(['d']);
    const start = designerReducer(back, { type: 'undo' });
    expect(start.doc.layout).toEqual(layout());
    expect(designerReducer(start, { type: 'undo' })).toBe(start);
    const again = designerReducer(designerReducer(start, { type: 'redo' }), { type: 'redo' });
    expect(again.doc).toEqual(moved.doc);
    const branched = designerReducer(back, { type: 'remove', id: 'b' });
    expect(branched.future).toEqual([]);
  });

  it('makes typing in one property one step, and keeps a bounded history', () => {
    const typed = run(...['R', 'Ri', 'Riv'].map((label): LayoutAction => ({ type: 'updateElement', id: 'c', patch: { label }, coalesce: 'c.label' })));
    expect(typed.past).toHaveLength(1);
    expect(findElement(designerReducer(typed, { type: 'undo' }).doc.layout, 'c')?.node).toEqual(field('c'));
    const many = run(...Array.from({ length: HISTORY_LIMIT + 20 }, (_, i): LayoutAction => ({ type: 'updateTab', id: 'main', patch: { title: `T${i}` } })));
    expect(many.past).toHaveLength(HISTORY_LIMIT);
  });

  it('clears the selection when undo takes the selected element away', () => {
    const s = run({ type: 'insert', element: { kind: 'divider' }, place: { at: 'column', column: 'c4', index: 0 } });
    expect(designerReducer(s, { type: 'undo' }).selected).toBeNull();
  });
});
