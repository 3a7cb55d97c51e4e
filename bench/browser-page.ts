// Measurements run inside the page. They are plain JavaScript text, not functions: tsx would wrap functions with
// helpers the page does not have, and the page's CSP would refuse anything but a CDP evaluation anyway.

export interface ScrollSample {
  /** Time between consecutive animation frames, ms, in order. */
  frames: number[];
  /** Rows loaded when each frame ran. */
  rowsAt: number[];
  /**
   * Per frame: it only waited at the end of the loaded rows for the next page (no scroll was asked for it and no
   * rows arrived during it). A frame in which a page arrived is not one of them.
   */
  waiting: boolean[];
  /** Long animation frames (> 50 ms) the browser itself reported, where it can (Chromium 123+). */
  longAnimationFrames: number | null;
  /** URLs of the record pages fetched while scrolling. */
  requests: string[];
  rowsLoaded: number;
  scrollTop: number;
  seconds: number;
}

/**
 * Scrolls the grid down by `step` px every animation frame until `rows` rows are loaded and shown or `seconds` pass,
 * timing each frame. The grid fetches its next page when its last row comes into view, so a fast scroll waits at the
 * end of what is loaded: the frames that did nothing but wait are marked, to be counted apart.
 */
export const SCROLL_SCRIPT = `async ({ step, rows, seconds }) => {
  performance.setResourceTimingBufferSize(1000000);
  performance.clearResourceTimings();
  const scroller = document.querySelector('.grid-scroll');
  const loaded = () => Number((document.querySelector('.grid-footer')?.textContent ?? '').replace(/[^0-9]/g, ''));
  let long = null;
  let observer = null;
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    long = 0;
    observer = new PerformanceObserver((list) => { long += list.getEntries().filter((e) => e.duration > 50).length; });
    observer.observe({ type: 'long-animation-frame' });
  }
  const frames = [];
  const rowsAt = [];
  const waiting = [];
  // Whether the previous frame asked for a scroll (the first frame follows the page's own rendering).
  let moved = true;
  let before = loaded();
  const start = performance.now();
  let last = start;
  while (performance.now() - start < seconds * 1000) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    frames.push(now - last);
    last = now;
    const count = loaded();
    rowsAt.push(count);
    waiting.push(!moved && count === before);
    before = count;
    const bottom = scroller.scrollHeight - scroller.clientHeight;
    moved = scroller.scrollTop < bottom - 1;
    if (!moved && count >= rows) break;
    scroller.scrollTop = Math.min(scroller.scrollTop + step, bottom);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer?.disconnect();
  const requests = performance.getEntriesByType('resource').map((e) => e.name).filter((name) => name.includes('/records?'));
  return { frames, rowsAt, waiting, longAnimationFrames: long, requests, rowsLoaded: loaded(), scrollTop: scroller.scrollTop, seconds: (performance.now() - start) / 1000 };
}`;

export interface FormTiming {
  /** Navigation (history.pushState) to the commit that put the whole form in the DOM, ms. */
  commit: number;
  /** To the first frame painted after that commit, ms. */
  paint: number;
}

/**
 * Navigates inside the app (as a link does) to `url` and times the first commit that has `rows` form rows in the
 * DOM: a MutationObserver runs right after React's commit, before the browser paints; then the next frame.
 */
export const FORM_SCRIPT = `async ({ url, rows }) => {
  let committed = 0;
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const form = document.querySelector('.record-form');
      if (!form || form.querySelectorAll('.form-row').length < rows) return;
      committed = performance.now();
      observer.disconnect();
      resolve();
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  const start = performance.now();
  history.pushState(null, '', url);
  dispatchEvent(new PopStateEvent('popstate'));
  await shown;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return { commit: committed - start, paint: performance.now() - start };
}`;

/** Navigates inside the app to `url` and waits until `selector` is in the DOM. */
export const NAVIGATE_SCRIPT = `async ({ url, selector }) => {
  history.pushState(null, '', url);
  dispatchEvent(new PopStateEvent('popstate'));
  while (!document.querySelector(selector)) await new Promise((resolve) => setTimeout(resolve, 5));
}`;
