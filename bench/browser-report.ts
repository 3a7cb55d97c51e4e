import os from 'node:os';
import { FORM_BUDGET_MS, LONG_FRAME_MS, MAX_LONG_FRAME_SHARE, P95_FRAME_BUDGET_MS, type BrowserMeasurements, type BrowserResults } from './browser.js';
import type { Budget } from './report.js';

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const count = (v: number) => v.toLocaleString('en-US');

/** Issue 4's budgets: the grid scrolls 100,000 records without jank, a form of 40 fields renders in under 50 ms. */
export function checkBrowserBudgets(results: BrowserMeasurements): Budget[] {
  const budgets: Budget[] = [];
  const { grid, form } = results;
  if (grid) {
    const share = grid.frames ? grid.longFrames / grid.frames : 1;
    budgets.push({
      name: `grid scroll through ${count(grid.records)} records without jank: under ${MAX_LONG_FRAME_SHARE * 100}% of scrolling frames over ${LONG_FRAME_MS} ms, p95 under ${P95_FRAME_BUDGET_MS} ms`,
      pass: share < MAX_LONG_FRAME_SHARE && grid.p95FrameMs < P95_FRAME_BUDGET_MS && grid.rowsLoaded >= grid.records,
      detail: `${grid.longFrames} of ${count(grid.frames)} frames over ${LONG_FRAME_MS} ms (${(share * 100).toFixed(2)}%); p95 ${ms(grid.p95FrameMs)} ms, max ${ms(grid.maxFrameMs)} ms; ${count(grid.rowsLoaded)} rows reached`,
    });
    const pages = Math.ceil(grid.records / 100);
    budgets.push({
      name: 'grid pages fetched as it scrolls, without a count',
      pass: !grid.counted && grid.pagesFetched >= pages - 1 && grid.pagesFetched <= pages + 1,
      detail: `${count(grid.pagesFetched)} pages of 100${grid.counted ? ', one asked for a count' : ', none asked for a count'}`,
    });
  }
  if (form) {
    for (const [label, timing] of [['new record', form.newRecord], ['record page', form.recordPage]] as const) {
      budgets.push({
        name: `form of ${form.fields} fields (${label}): navigation to commit p50 < ${FORM_BUDGET_MS} ms`,
        pass: timing.p50 < FORM_BUDGET_MS,
        detail: `p50 ${ms(timing.p50)} ms, p95 ${ms(timing.p95)} ms, max ${ms(timing.max)} ms; painted p50 ${ms(timing.paintP50)} ms`,
      });
    }
  }
  return budgets;
}

export function printBrowserReport(results: BrowserResults, log: (line: string) => void): void {
  log('');
  log(`In Chromium ${results.chromium} (headless, no GPU):`);
  const { grid, form } = results;
  if (grid) {
    log(
      `grid scroll: ${count(grid.rowsLoaded)} of ${count(grid.records)} rows in ${grid.seconds.toFixed(1)} s, ${count(grid.frames)} scrolling frames ` +
        `(and ${count(grid.waitingFrames)} only waiting for a page, not timed): p50 ${ms(grid.p50FrameMs)} ms, p95 ${ms(grid.p95FrameMs)} ms, p99 ${ms(grid.p99FrameMs)} ms, ` +
        `max ${ms(grid.maxFrameMs)} ms; p95 after 90% loaded ${ms(grid.p95FrameMsLastTenth)} ms; ${grid.longFrames} frames over ${LONG_FRAME_MS} ms` +
        `${grid.longAnimationFrames === null ? '' : ` (${grid.longAnimationFrames} long animation frames reported by Chromium in all)`}; ${count(grid.pagesFetched)} pages fetched; ` +
        `load average ${grid.loadAverage.min.toFixed(2)} to ${grid.loadAverage.max.toFixed(2)} while scrolling (${os.availableParallelism()} CPUs)`,
    );
  }
  if (form) {
    log(`form of ${form.fields} fields: first visit ${ms(form.coldMs)} ms (code and data fetched); then ${form.runs} visits each, navigation to commit:`);
    log(`  new record  p50 ${ms(form.newRecord.p50)} ms, p95 ${ms(form.newRecord.p95)} ms, max ${ms(form.newRecord.max)} ms (painted p50 ${ms(form.newRecord.paintP50)} ms)`);
    log(`  record page p50 ${ms(form.recordPage.p50)} ms, p95 ${ms(form.recordPage.p95)} ms, max ${ms(form.recordPage.max)} ms (painted p50 ${ms(form.recordPage.paintP50)} ms)`);
  }
  log('');
  for (const b of results.budgets) log(`${b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.detail}`);
}
