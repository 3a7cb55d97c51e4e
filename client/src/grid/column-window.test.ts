import { describe, expect, it } from 'vitest';
import { columnLefts, columnWindow, scrollLeftFor } from './column-window.js';

// The row number (48 px), a primary field of 220 px and nine fields of 180 px, in a 1,000 px viewport.
const widths = [220, ...Array<number>(9).fill(180)];
const lefts = columnLefts(widths, 48);

describe('the columns a grid renders', () => {
  it('puts each column after the row number and the columns before it', () => {
    expect(lefts.slice(0, 4)).toEqual([48, 268, 448, 628]);
    expect(columnLefts([], 48)).toEqual([]);
  });

  it('covers the columns on screen and overscan on each side', () => {
    // 0 to 1,000 px: fields 0 to 5 (field 5 starts at 988), and one more.
    expect(columnWindow(lefts, widths, 0, 1000, 1)).toEqual({ first: 0, last: 6 });
    // 500 to 1,500 px: field 2 (448 to 628) is partly shown, field 7 (1,348 to 1,528) too.
    expect(columnWindow(lefts, widths, 500, 1000, 1)).toEqual({ first: 1, last: 8 });
    // A column ending exactly at scrollLeft is not shown.
    expect(columnWindow(lefts, widths, 628, 1000, 0)).toEqual({ first: 3, last: 8 });
    expect(columnWindow(lefts, widths, 10_000, 1000, 1)).toEqual({ first: 8, last: 9 });
    expect(columnWindow([], [], 0, 1000, 1)).toEqual({ first: 0, last: -1 });
  });

  it('scrolls just enough to show a column whole', () => {
    expect(scrollLeftFor(2, lefts, widths, 0, 1000)).toBeNull();
    // Field 5 ends at 1,168: scroll until its right edge meets the viewport's.
    expect(scrollLeftFor(5, lefts, widths, 0, 1000)).toBe(168);
    expect(scrollLeftFor(1, lefts, widths, 500, 1000)).toBe(268);
    // Wider than the view: its left edge.
    expect(scrollLeftFor(0, [0], [1200], 100, 1000)).toBe(0);
    expect(scrollLeftFor(0, [0], [1200], 0, 1000)).toBeNull();
    expect(scrollLeftFor(12, lefts, widths, 0, 1000)).toBeNull();
  });
});
