import { describe, expect, it } from 'vitest';
import { historyDelta, historyIndex, LeaveGuards, pathOf, withHistoryIndex, type GuardEntry } from './leave-guards.js';

const entry = (dirty: boolean, home = '/w/1/s/2/new', also: string[] = []): GuardEntry => ({ dirty, released: false, stays: (path) => path === home || also.includes(path) });

describe('LeaveGuards', () => {
  it('blocks leaving only while an editor holds changes, and not for the paths it stays on', () => {
    const guards = new LeaveGuards();
    expect(guards.blocks('/w/1')).toBe(false);
    expect(guards.blocks()).toBe(false);
    const form = entry(false, '/w/1/s/2/new', ['/w/1/s/2/documents/9']);
    const remove = guards.add(form);
    expect(guards.blocks('/w/1')).toBe(false);
    form.dirty = true;
    expect(guards.blocks('/w/1')).toBe(true);
    expect(guards.blocks()).toBe(true);
    expect(guards.blocks('/w/1/s/2/new')).toBe(false);
    expect(guards.blocks('/w/1/s/2/documents/9')).toBe(false);
    remove();
    expect(guards.blocks('/w/1')).toBe(false);
  });

  it('lets the user leave once released, any dirty editor blocking otherwise', () => {
    const guards = new LeaveGuards();
    const a = entry(true);
    const b = entry(false);
    guards.add(a);
    guards.add(b);
    expect(guards.blocks('/elsewhere')).toBe(true);
    guards.releaseAll();
    expect(guards.blocks('/elsewhere')).toBe(false);
    expect(a.released && b.released).toBe(true);
  });
});

describe('history positions', () => {
  it('reads the path of an in-app address', () => {
    expect(pathOf('/w/1/s/2?view=3')).toBe('/w/1/s/2');
    expect(pathOf('/w/1/s/2#top')).toBe('/w/1/s/2');
    expect(pathOf('/w/1')).toBe('/w/1');
  });

  it('adds a position to any state and measures a step from it', () => {
    expect(historyIndex(withHistoryIndex(null, 3))).toBe(3);
    expect(withHistoryIndex({ scroll: 5 }, 2)).toEqual({ scroll: 5, crmHistoryIndex: 2 });
    expect(withHistoryIndex('x', 1)).toEqual({ value: 'x', crmHistoryIndex: 1 });
    expect(historyIndex(null)).toBeUndefined();
    expect(historyIndex({ crmHistoryIndex: 'x' })).toBeUndefined();
    expect(historyDelta(4, withHistoryIndex(null, 3))).toBe(-1);
    expect(historyDelta(4, withHistoryIndex(null, 6))).toBe(2);
    expect(historyDelta(4, null)).toBeUndefined();
  });
});
