import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { rowWindow, sameWindow, scrollTopFor, type RowMetrics, type RowWindow } from './row-window.js';

/**
 * The rows of a scroller to render, for rows of one fixed height: O(1) per scroll and per loaded page (nothing is
 * measured or laid out per row). Re-renders only when the window changes, synchronously inside the scroll event, so
 * the new rows are in the frame that shows them.
 */
export function useRowWindow(scroller: RefObject<HTMLElement | null>, rows: RefObject<HTMLElement | null>, rowHeight: number, total: number, overscan: number) {
  const metrics = useRef<RowMetrics>({ scrollTop: 0, viewport: 0, rowsTop: 0, rowHeight });
  const [range, setRange] = useState<RowWindow>(() => rowWindow(metrics.current, total, overscan));
  const current = useRef({ range, total, overscan });
  current.current.total = total;
  current.current.overscan = overscan;
  metrics.current.rowHeight = rowHeight;

  const update = useCallback((sync: boolean) => {
    const next = rowWindow(metrics.current, current.current.total, current.current.overscan);
    if (sameWindow(next, current.current.range)) return;
    current.current.range = next;
    if (sync) flushSync(() => setRange(next));
    else setRange(next);
  }, []);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // Reading the layout here, once per resize, never while scrolling.
    const measure = () => {
      metrics.current.viewport = element.clientHeight;
      metrics.current.rowsTop = rows.current?.offsetTop ?? 0;
      metrics.current.scrollTop = element.scrollTop;
    };
    const onScroll = () => {
      metrics.current.scrollTop = element.scrollTop;
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
  }, [scroller, rows, update]);

  // A page arrived, the filter changed or the row height did.
  useLayoutEffect(() => update(false), [total, rowHeight, overscan, update]);

  /** Scrolls just enough to show row `index` whole (keyboard moves). */
  const scrollToRow = useCallback(
    (index: number) => {
      const element = scroller.current;
      if (!element) return;
      metrics.current.scrollTop = element.scrollTop;
      const top = scrollTopFor(index, metrics.current);
      if (top !== null) element.scrollTop = top;
    },
    [scroller],
  );

  return { range, scrollToRow };
}
