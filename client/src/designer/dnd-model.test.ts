import { describe, expect, it } from 'vitest';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { accepts, dragId, dropAction, dropId, orderedTargets } from './dnd-model.js';

const layout: FormLayout = {
  tabs: [
    { id: 'main', title: 'Main', sections: [{ id: 's1', rows: [{ id: 'r1', columns: [{ id: 'c1', elements: [{ kind: 'field', id: 'a', field: 'A' }] }, { id: 'c2', elements: [] }] }] }] },
    { id: 't2', title: 'More', sections: [] },
  ],
};

describe('drag and drop model', () => {
  it('names drags and drops uniquely', () => {
    expect(dragId({ type: 'palette', element: { kind: 'field', field: 'fld1' } })).toBe('p:field:fld1');
    expect(dragId({ type: 'palette', element: { kind: 'divider' } })).toBe('p:divider');
    expect(dragId({ type: 'newField', fieldType: 'date' })).toBe('p:new:date');
    expect(dragId({ type: 'element', id: 'a' })).toBe('element:a');
    expect(dropId({ type: 'place', place: { at: 'column', column: 'c1', index: 1 } })).toBe('d:c:c1:1');
    expect(dropId({ type: 'sectionSlot', tab: 'main', index: 0 })).toBe('d:ss:main:0');
  });

  it('lets elements land on places only, sections between sections and tabs between tabs', () => {
    const place = { type: 'place', place: { at: 'tab', tab: 't2' } } as const;
    expect(accepts({ type: 'element', id: 'a' }, place)).toBe(true);
    expect(accepts({ type: 'section', id: 's1' }, place)).toBe(false);
    expect(accepts({ type: 'section', id: 's1' }, { type: 'sectionSlot', tab: 'main', index: 1 })).toBe(true);
    expect(accepts({ type: 'tab', id: 'main' }, { type: 'sectionSlot', tab: 'main', index: 1 })).toBe(false);
  });

  it('orders the targets the keyboard steps through as they read', () => {
    const ids = orderedTargets(layout, 'main', { type: 'element', id: 'a' }).map(dropId);
    expect(ids).toEqual(['d:t:t2', 'd:r:s1:0', 'd:c:c1:0', 'd:c:c1:1', 'd:c:c2:0', 'd:r:s1:1', 'd:s:main:1']);
    expect(orderedTargets(layout, 'main', { type: 'tab', id: 'main' }).map(dropId)).toEqual(['d:ts:0', 'd:ts:1', 'd:ts:2']);
    expect(orderedTargets(layout, 'main', { type: 'section', id: 's1' }).map(dropId)).toEqual(['d:ss:main:0', 'd:ss:main:1']);
  });

  it('turns a drop into the reducer action', () => {
    const place = { at: 'column', column: 'c2', index: 0 } as const;
    expect(dropAction({ type: 'element', id: 'a' }, { type: 'place', place })).toEqual({ type: 'move', id: 'a', place });
    expect(dropAction({ type: 'newField', fieldType: 'date' }, { type: 'place', place })).toEqual({ type: 'newField', fieldType: 'date', place });
    expect(dropAction({ type: 'tab', id: 't2' }, { type: 'tabSlot', index: 0 })).toEqual({ type: 'moveTab', id: 't2', index: 0 });
    expect(dropAction({ type: 'tab', id: 't2' }, { type: 'place', place })).toBeUndefined();
  });
});
