/** The columns of a row to render: fields `first` to `last` (inclusive), the others are an empty gap or nothing. */
export interface ColumnWindow {
  first: number;
  last: number;
}

/** Each column's left edge in the row, px: the columns before it (`start` is the row number's width) side by side. */
export function columnLefts(widths: readonly number[], start: number): number[] {
  const lefts: number[] = [];
  let left = start;
  for (const width of widths) {
    lefts.push(left);
    left += width;
  }
  return lefts;
}

/**
 * The columns at least partly between `scrollLeft` and `scrollLeft + viewport`, and `overscan` more on each side. A
 * wide sheet renders the few columns on screen, not its 40 fields, on every row that scrolls into view.
 */
export function columnWindow(lefts: readonly number[], widths: readonly number[], scrollLeft: number, viewport: number, overscan: number): ColumnWindow {
  const count = widths.length;
  if (count === 0) return { first: 0, last: -1 };
  let first = 0;
  while (first < count - 1 && lefts[first]! + widths[first]! <= scrollLeft) first++;
  let last = first;
  while (last < count - 1 && lefts[last + 1]! < scrollLeft + viewport) last++;
  return { first: Math.max(0, first - overscan), last: Math.min(count - 1, last + overscan) };
}

/** The scrollLeft that brings column `col` whole into view (its left edge when it is wider than the view), or null when it already is. */
export function scrollLeftFor(col: number, lefts: readonly number[], widths: readonly number[], scrollLeft: number, viewport: number): number | null {
  const left = lefts[col];
  const width = widths[col];
  if (left === undefined || width === undefined) return null;
  if (left < scrollLeft || width > viewport) return left === scrollLeft ? null : left;
  if (left + width > scrollLeft + viewport) return left + width - viewport;
  return null;
}

export const sameColumns = (a: ColumnWindow, b: ColumnWindow) => a.first === b.first && a.last === b.last;
