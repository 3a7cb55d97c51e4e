import { describe, expect, it } from 'vitest';
import { rowWindow, scrollTopFor, windowSize, type RowMetrics } from './row-window.js';

// A 660 px scroller with a 36 px sticky header over rows of 36 px: 17⅓ rows shown.
const at = (scrollTop: number): RowMetrics => ({ scrollTop, viewport: 660, rowsTop: 36, rowHeight: 36 });

describe('the rows a grid renders', () => {
  it('covers the rows on screen below the header and overscan on each side, in a window of constant size', () => {
    expect(windowSize(at(0), 4)).toBe(18 + 1 + 8);
    expect(rowWindow(at(0), 1000, 4)).toEqual({ first: 0, count: 27, lastVisible: 17 });
    // Row 100 at the top, a third of row 117 at the bottom.
    expect(rowWindow(at(3600), 1000, 4)).toEqual({ first: 96, count: 27, lastVisible: 117 });
    // Half of row 100 hidden under the header: it still counts as shown.
    expect(rowWindow(at(3618), 1000, 4)).toEqual({ first: 96, count: 27, lastVisible: 117 });
    expect(rowWindow(at(3636), 1000, 4)).toEqual({ first: 97, count: 27, lastVisible: 118 });
  });

  it('keeps its size at the end of the rows by starting earlier, and shrinks only when there are fewer rows', () => {
    const end = rowWindow(at(999 * 36), 1000, 4);
    expect(end).toEqual({ first: 973, count: 27, lastVisible: 999 });
    expect(rowWindow(at(0), 5, 4)).toEqual({ first: 0, count: 5, lastVisible: 4 });
    expect(rowWindow(at(0), 0, 4)).toEqual({ first: 0, count: 0, lastVisible: -1 });
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
});
