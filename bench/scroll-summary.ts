import type { ScrollSample } from './browser-page.js';

export const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};

export interface ScrollSummary {
  /** Frames that scrolled (or rendered a page that arrived): the frames timed below. */
  frames: number;
  /** Frames that only waited at the end of the loaded rows for the next page (the scroll outran the server): not timed. */
  waitingFrames: number;
  longFrames: number;
  p50FrameMs: number;
  p95FrameMs: number;
  p99FrameMs: number;
  maxFrameMs: number;
  /** p95 of the frames once 90% of the records were loaded: no slowdown as the loaded rows grow. */
  p95FrameMsLastTenth: number;
}

/**
 * The frames of a scroll through `records` rows, without those that only waited for a page: an idle frame is short
 * and would hide the slow ones among the frames that render rows (about two thirds of the frames wait, on a machine
 * where the server answers a page in the time of five frames).
 */
export function summarizeScroll(sample: Pick<ScrollSample, 'frames' | 'rowsAt' | 'waiting'>, records: number, longFrameMs: number): ScrollSummary {
  // The first frame includes the time before the loop began.
  const timed = sample.frames.map((ms, i) => ({ ms, rows: sample.rowsAt[i]!, waiting: sample.waiting[i]! })).slice(1);
  const scrolling = timed.filter((f) => !f.waiting);
  const frames = scrolling.map((f) => f.ms);
  return {
    frames: frames.length,
    waitingFrames: timed.length - scrolling.length,
    longFrames: frames.filter((f) => f > longFrameMs).length,
    p50FrameMs: percentile(frames, 50),
    p95FrameMs: percentile(frames, 95),
    p99FrameMs: percentile(frames, 99),
    maxFrameMs: frames.length ? Math.max(...frames) : NaN,
    p95FrameMsLastTenth: percentile(scrolling.filter((f) => f.rows >= records * 0.9).map((f) => f.ms), 95),
  };
}
