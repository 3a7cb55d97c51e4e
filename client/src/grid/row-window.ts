/** Where the grid's rows are: every row has the same height, so no row needs measuring. */
export interface RowMetrics {
  /** The scroller's scrollTop, px. */
  scrollTop: number;
  /** The scroller's clientHeight, px. */
  viewport: number;
  /** Where the rows begin in the scroller's content (below the sticky header), px. */
  rowsTop: number;
  rowHeight: number;
}

/** The rows to render: `count` rows from `first`. */
export interface RowWindow {
  first: number;
  count: number;
}

/** How many rows the window holds at most: a screenful and a part row, and `overscan` rows above and below. */
export function windowSize({ viewport, rowsTop, rowHeight }: RowMetrics, overscan: number): number {
  return Math.max(1, Math.ceil(Math.max(0, viewport - rowsTop) / rowHeight) + 1 + 2 * overscan);
}

/**
 * The rows on screen (the sticky header hides the rows' first `rowsTop` px of the viewport) and `overscan` on each
 * side, always the same number of rows while there are enough, so the grid can give the row elements leaving the
 * window to the records coming into it (see `nextRotation`) instead of removing and creating them.
 */
export function rowWindow(metrics: RowMetrics, total: number, overscan: number): RowWindow {
  const { scrollTop, rowHeight } = metrics;
  if (total <= 0) return { first: 0, count: 0 };
  const size = windowSize(metrics, overscan);
  // The first row at least partly below the header (a row is hidden under it once scrollTop passes its bottom).
  const firstVisible = Math.min(total - 1, Math.max(0, Math.floor(scrollTop / rowHeight)));
  const first = Math.max(0, Math.min(firstVisible - overscan, total - size));
  return { first, count: Math.min(size, total - first) };
}

/** The scrollTop that brings row `index` fully into view below the header, or null when it already is. */
export function scrollTopFor(index: number, metrics: RowMetrics): number | null {
  const { scrollTop, viewport, rowsTop, rowHeight } = metrics;
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  const shown = viewport - rowsTop;
  if (bottom > scrollTop + shown) return bottom - shown;
  return null;
}

export const sameWindow = (a: RowWindow, b: RowWindow) => a.first === b.first && a.count === b.count;

/**
 * Rows are keyed `(rotation + place) % size`, place being the row's place in the window, in the order of the rows.
 * A scroll by fewer rows than the window keeps each remaining row's key (its element and its render are kept; the
 * elements of the rows that left move to the other end for those that came, in order); a longer one, which leaves
 * no row in place, keeps the rotation so every element stays where it is and shows a new record (nothing moves).
 */
export function nextRotation(rotation: number, from: number, to: number, size: number): number {
  const shift = to - from;
  if (Math.abs(shift) >= size) return rotation;
  return (((rotation + shift) % size) + size) % size;
}
