import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { columnWindow, sameColumns, scrollLeftFor, type ColumnWindow } from './column-window.js';
import { nextRotation, rowWindow, sameWindow, scrollTopFor, windowSize, type RowMetrics, type RowWindow } from './row-window.js';

interface Layout {
  rowHeight: number;
  /** Rows, the "Loading…" one included. */
  total: number;
  overscan: number;
  /** Each shown field's left edge and width, px. */
  lefts: readonly number[];
  widths: readonly number[];
  columnOverscan: number;
}

interface Metrics extends RowMetrics {
  scrollLeft: number;
  viewportWidth: number;
}

interface Windows {
  rows: RowWindow;
  columns: ColumnWindow;
  /** How the rows' keys turn with the window (row-window.ts `nextRotation`), and the window's full size. */
  rotation: number;
  size: number;
}

/**
 * The rows and columns of the grid to render, for rows of one fixed height and columns of known widths: nothing is
 * measured per row or cell, and a scroll or a page arriving costs O(1) rows. Re-renders only when a window changes,
 * synchronously inside the scroll event, so the new cells are in the frame that shows them.
 */
export function useGridWindow(scroller: RefObject<HTMLElement | null>, body: RefObject<HTMLElement | null>, layout: Layout) {
  const metrics = useRef<Metrics>({ scrollTop: 0, scrollLeft: 0, viewport: 0, viewportWidth: 0, rowsTop: 0, rowHeight: layout.rowHeight });
  metrics.current.rowHeight = layout.rowHeight;
  const latest = useRef(layout);
  latest.current = layout;
  const compute = useCallback((before: Windows | null): Windows => {
    const { total, overscan, lefts, widths, columnOverscan } = latest.current;
    const m = metrics.current;
    const rows = rowWindow(m, total, overscan);
    const size = windowSize(m, overscan);
    const rotation = before && before.size === size ? nextRotation(before.rotation, before.rows.first, rows.first, size) : 0;
    return { rows, columns: columnWindow(lefts, widths, m.scrollLeft, m.viewportWidth, columnOverscan), rotation, size };
  }, []);
  const [windows, setWindows] = useState<Windows>(() => compute(null));
  const shown = useRef(windows);

  const update = useCallback(
    (sync: boolean) => {
      const next = compute(shown.current);
      if (sameWindow(next.rows, shown.current.rows) && sameColumns(next.columns, shown.current.columns) && next.size === shown.current.size) return;
      shown.current = next;
      if (sync) flushSync(() => setWindows(next));
      else setWindows(next);
    },
    [compute],
  );

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const read = () => {
      metrics.current.scrollTop = element.scrollTop;
      metrics.current.scrollLeft = element.scrollLeft;
    };
    // The layout is read here, once per resize, never while scrolling.
    const measure = () => {
      read();
      metrics.current.viewport = element.clientHeight;
      metrics.current.viewportWidth = element.clientWidth;
      metrics.current.rowsTop = body.current?.offsetTop ?? 0;
    };
    const onScroll = () => {
      read();
      update(true);
    };
    const resized = new ResizeObserver(() => {
      measure();
      update(false);
    });
    measure();
    update(false);
    element.addEventListener('scroll', onScroll, { passive: true });
    resized.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resized.disconnect();
    };
  }, [scroller, body, update]);

  // A page arrived, the filter changed, the row height did or the columns did.
  const { rowHeight, total, overscan, lefts, widths, columnOverscan } = layout;
  useLayoutEffect(() => update(false), [rowHeight, total, overscan, lefts, widths, columnOverscan, update]);

  /** Scrolls just enough to show the cell at row `index`, field `col` whole (keyboard moves). */
  const scrollToCell = useCallback(
    (index: number, col: number) => {
      const element = scroller.current;
      if (!element) return;
      const m = metrics.current;
      const top = scrollTopFor(index, { ...m, scrollTop: element.scrollTop });
      if (top !== null) element.scrollTop = top;
      const left = scrollLeftFor(col, latest.current.lefts, latest.current.widths, element.scrollLeft, m.viewportWidth);
      if (left !== null) element.scrollLeft = left;
    },
    [scroller],
  );

  // The windows follow a change of rows or columns in the layout effect, before the paint; this render must not
  // reach past them meanwhile (a field just hidden, a filter that left fewer rows).
  const rows = { ...windows.rows, count: Math.max(0, Math.min(windows.rows.count, total - windows.rows.first)) };
  const last = Math.min(windows.columns.last, widths.length - 1);
  const columns = { first: Math.min(windows.columns.first, Math.max(0, last)), last };
  const { rotation, size } = windows;
  /** The key of the row at `place` in the window. */
  const rowKey = (place: number) => (rotation + place) % size;
  return { rows, columns, rowKey, scrollToCell };
}
