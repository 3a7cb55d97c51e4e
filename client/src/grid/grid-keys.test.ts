import { describe, expect, it } from 'vitest';
import { keyCommand, type KeyPress } from './grid-keys.js';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}) => keyCommand({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('spreadsheet keys on a selected cell', () => {
  it('moves with arrows and Tab, extends with Shift+arrows', () => {
    expect(press('ArrowDown')).toEqual({ kind: 'move', rows: 1, cols: 0 });
    expect(press('ArrowLeft', { shiftKey: true })).toEqual({ kind: 'extend', rows: 0, cols: -1 });
    expect(press('Tab')).toEqual({ kind: 'move', rows: 0, cols: 1 });
    expect(press('Tab', { shiftKey: true })).toEqual({ kind: 'move', rows: 0, cols: -1 });
  });

  it('edits on Enter and F2, and on a typed character starting with it', () => {
    expect(press('Enter')).toEqual({ kind: 'edit' });
    expect(press('F2')).toEqual({ kind: 'edit' });
    expect(press('a')).toEqual({ kind: 'type', text: 'a' });
    expect(press('A', { shiftKey: true })).toEqual({ kind: 'type', text: 'A' });
    expect(press('中')).toEqual({ kind: 'type', text: '中' });
    expect(press('Process')).toBeNull();
    expect(press('Shift', { shiftKey: true })).toBeNull();
  });

  it('clears, undoes, redoes and fills down with the usual shortcuts on both platforms', () => {
    expect(press('Delete')).toEqual({ kind: 'clear' });
    expect(press('Backspace')).toEqual({ kind: 'clear' });
    expect(press('z', { ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(press('z', { metaKey: true })).toEqual({ kind: 'undo' });
    expect(press('Z', { ctrlKey: true, shiftKey: true })).toEqual({ kind: 'redo' });
    expect(press('y', { ctrlKey: true })).toEqual({ kind: 'redo' });
    expect(press('d', { metaKey: true })).toEqual({ kind: 'fillDown' });
    // Copy and paste are left to the browser, which sends them as clipboard events.
    expect(press('c', { ctrlKey: true })).toBeNull();
    expect(press('v', { metaKey: true })).toBeNull();
  });
});
