import { describe, expect, it } from 'vitest';
import { nextRotation, rowWindow, scrollTopFor, windowSize, type RowMetrics } from './row-window.js';

// A 660 px scroller with a 36 px sticky header over rows of 36 px: 17⅓ rows shown.
const at = (scrollTop: number): RowMetrics => ({ scrollTop, viewport: 660, rowsTop: 36, rowHeight: 36 });

describe('the rows a grid renders', () => {
  it('covers the rows on screen below the header and overscan on each side, in a window of constant size', () => {
    expect(windowSize(at(0), 4)).toBe(18 + 1 + 8);
    expect(rowWindow(at(0), 1000, 4)).toEqual({ first: 0, count: 27 });
    // Row 100 at the top, a third of row 117 at the bottom.
    expect(rowWindow(at(3600), 1000, 4)).toEqual({ first: 96, count: 27 });
    // Half of row 100 hidden under the header: it still counts as shown.
    expect(rowWindow(at(3618), 1000, 4)).toEqual({ first: 96, count: 27 });
    expect(rowWindow(at(3636), 1000, 4)).toEqual({ first: 97, count: 27 });
  });

  it('keeps its size at the end of the rows by starting earlier, and shrinks only when there are fewer rows', () => {
    const end = rowWindow(at(999 * 36), 1000, 4);
    expect(end).toEqual({ first: 973, count: 27 });
    expect(rowWindow(at(0), 5, 4)).toEqual({ first: 0, count: 5 });
    expect(rowWindow(at(0), 0, 4)).toEqual({ first: 0, count: 0 });
  });

  it('always holds every row partly on screen and the overscan beyond them', () => {
    for (let scrollTop = 0; scrollTop <= 1000 * 36; scrollTop += 7) {
      const { first, count } = rowWindow(at(scrollTop), 1000, 2);
      // Row i shows when its bottom passes the header and its top is above the viewport's bottom.
      const shown = Array.from({ length: 1000 }, (_, i) => i).filter((i) => (i + 1) * 36 > scrollTop && i * 36 < scrollTop + 660 - 36);
      const from = Math.max(0, shown[0]! - 2);
      const to = Math.min(999, shown.at(-1)! + 2);
      expect(first).toBeLessThanOrEqual(from);
      expect(first + count - 1).toBeGreaterThanOrEqual(to);
    }
  });

  it('does not depend on how many rows are loaded before the window', () => {
    const few = rowWindow(at(36_000), 2_000, 4);
    const many = rowWindow(at(36_000), 100_000, 4);
    expect(many).toEqual(few);
  });

  it('scrolls just enough to show a row whole below the header', () => {
    expect(scrollTopFor(100, at(3600))).toBeNull();
    expect(scrollTopFor(99, at(3600))).toBe(99 * 36);
    // Row 117 is a third shown: scroll until its bottom meets the viewport's.
    expect(scrollTopFor(117, at(3600))).toBe(118 * 36 - 624);
    expect(scrollTopFor(116, at(3600))).toBeNull();
  });

  it('keeps the key of every row that stays in the window, and the key of every place when none stays', () => {
    const size = 23;
    const keys = (rotation: number, first: number) => new Map(Array.from({ length: size }, (_, place) => [first + place, (rotation + place) % size]));
    let rotation = 0;
    let first = 0;
    // Scrolls down and up by a row, a few rows, most of the window, a window or more.
    for (const shift of [1, 1, 5, 22, -3, 23, 40, -1, -22, -23, -100, 7]) {
      const before = keys(rotation, first);
      rotation = nextRotation(rotation, first, first + shift, size);
      first += shift;
      const after = keys(rotation, first);
      expect(new Set(after.values()).size).toBe(size);
      const stayed = [...after.keys()].filter((index) => before.has(index));
      if (stayed.length) for (const index of stayed) expect(after.get(index)).toBe(before.get(index));
      else expect([...after.values()]).toEqual([...before.values()]);
    }
  });
});
