import { describe, expect, it } from 'vitest';
import { percentile, summarizeScroll } from './scroll-summary.js';

describe("the grid scroll's frames", () => {
  it('times the frames that scroll or render an arriving page, not those that only wait for it', () => {
    const summary = summarizeScroll(
      {
        // The first frame (before the loop) is never timed.
        frames: [500, 20, 60, 16, 16, 70, 18],
        rowsAt: [100, 100, 100, 100, 100, 200, 200],
        // Frames 3 and 4 waited at the end of the rows; in frame 5 the next page arrived and was rendered.
        waiting: [false, false, false, true, true, false, false],
      },
      200,
      50,
    );
    expect(summary).toMatchObject({ frames: 4, waitingFrames: 2, longFrames: 2, maxFrameMs: 70 });
    expect(summary.p50FrameMs).toBe(60);
    expect(summary.p95FrameMsLastTenth).toBe(70);
  });

  it('takes percentiles as the value at that rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 95)).toBeNaN();
  });
});
