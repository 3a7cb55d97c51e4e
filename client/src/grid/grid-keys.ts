import { ARROWS } from './selection.js';

/** What a key pressed on the grid (a cell selected, none edited) asks for. */
export type KeyCommand =
  | { kind: 'move'; rows: number; cols: number }
  | { kind: 'extend'; rows: number; cols: number }
  | { kind: 'edit' }
  | { kind: 'type'; text: string }
  | { kind: 'clear' | 'undo' | 'redo' | 'fillDown' | 'escape' };

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/**
 * The spreadsheet keys: arrows move (Shift+arrows extend the range), Tab and Shift+Tab move right and left, Enter or
 * F2 edits, a printable character starts editing with it, Delete and Backspace clear, Ctrl/Cmd+Z undoes,
 * Ctrl/Cmd+Shift+Z and Ctrl+Y redo, Ctrl/Cmd+D fills down, Escape drops the range (then the selection). Copy, cut
 * and paste come as clipboard events, not keys. Null: the key is left to the browser.
 */
export function keyCommand(e: KeyPress): KeyCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const arrow = ARROWS[e.key];
  if (arrow && !mod && !e.altKey) return { kind: e.shiftKey ? 'extend' : 'move', rows: arrow[0], cols: arrow[1] };
  if (e.key === 'Tab' && !mod && !e.altKey) return { kind: 'move', rows: 0, cols: e.shiftKey ? -1 : 1 };
  if ((e.key === 'Enter' || e.key === 'F2') && !mod && !e.altKey) return { kind: 'edit' };
  if ((e.key === 'Delete' || e.key === 'Backspace') && !mod && !e.altKey) return { kind: 'clear' };
  if (e.key === 'Escape') return { kind: 'escape' };
  if (mod && !e.altKey) {
    const letter = e.key.toLowerCase();
    if (letter === 'z') return { kind: e.shiftKey ? 'redo' : 'undo' };
    if (letter === 'y' && !e.shiftKey) return { kind: 'redo' };
    if (letter === 'd' && !e.shiftKey) return { kind: 'fillDown' };
    return null;
  }
  // One character (an IME's composition arrives as "Process" and is left to the browser).
  if (!e.altKey && [...e.key].length === 1) return { kind: 'type', text: e.key };
  return null;
}
