import { readFile, writeFile } from 'node:fs/promises';
import type { ImportBench } from './import.js';
import type { BrowserResults } from './browser.js';
import { OWNED_CASE } from './owned.js';
import type { LoadStats } from './load.js';
import type { BatchResult } from './seed.js';
import { WORKFLOW_BUDGETED_CASES, WORKFLOW_WRITE_CASES, type WorkflowRunsResult } from './workflows.js';

export interface CaseResult {
  name: string;
  description: string;
  api: LoadStats;
  raw: LoadStats;
  /** API throughput / raw-SQL throughput. */
  ratio: number;
  /** Alternating slices per side, when the case set its own (else the run's `rounds`). */
  rounds?: number;
}

export interface Budget {
  name: string;
  pass: boolean;
  detail: string;
}

export interface BenchResults {
  date: string;
  node: string;
  postgres: string;
  database: 'external' | 'embedded';
  records: number;
  concurrency: number;
  /** HTTP client of the load generator (see bench/api.ts). */
  client: 'http' | 'fetch';
  /** Measured seconds per side (API, raw) of each case, split into `rounds` alternating slices. */
  secondsPerCase: number;
  rounds: number;
  warmupSecondsPerCase: number;
  cpus: number;
  cases: CaseResult[];
  /** The mixed-type sheet's seed beside raw SQL; absent when `--only` skipped that sheet. */
  batchInsert?: { api: BatchResult; raw: BatchResult; ratio: number };
  /** The relational cases' seed through the API: quotes with an account link, line items with a quote and a product link. */
  relationalSeed?: { quotes: BatchResult; lines: BatchResult };
  /** 1,000 queued runs of a two-step workflow (bench/workflows.ts). */
  workflowRuns?: WorkflowRunsResult;
  budgets: Budget[];
  /** The grid and form in Chromium (`grid scroll`, `form render`), with their own date and budgets. */
  browser?: BrowserResults;
  /** A spreadsheet import beside the batch API (bench/import.ts), with its date. */
  import?: ImportBench & { date: string };
}

const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-');
const ms = (v: number) => num(v, v < 10 ? 2 : 1);
const signed = (v: number) => `${v >= 0 ? '+' : ''}${num(v, 1)}`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Cases whose second side is the owner through the API, not raw SQL (bench/owned.ts): reported apart. */
export const OWNER_BASELINE_CASES = [OWNED_CASE];
/** A rep's page (own records) may take at most this much longer than the owner's, at p50. */
export const REP_OVER_OWNER = 1.15;

/** Cases whose second side is the same write on a sheet without workflows (bench/workflows.ts): reported apart. */
export const WORKFLOW_BASELINE_CASES: readonly string[] = WORKFLOW_WRITE_CASES;
/** A write on a sheet with three enabled workflows may cost at most this much more than without them (p50). */
export const WORKFLOW_WRITE_OVER_PLAIN = 1.2;
/** 1,000 queued runs of a two-step workflow finish within this many seconds. */
export const WORKFLOW_RUNS_SECONDS = 30;

/** The relational listings' budget: a page of 50 quotes with all their computed fields, p50 through the API. */
export const RELATIONAL_P50_MS = 50;

export function checkBudgets(cases: CaseResult[], batch: BatchResult | undefined, runs?: WorkflowRunsResult): Budget[] {
  const byName = (name: string) => cases.find((c) => c.name === name);
  const budgets: Budget[] = [];
  for (const name of ['list 50, filter + sort', 'get one record']) {
    const c = byName(name);
    if (!c) continue;
    budgets.push({ name: `${name}: API >= 40% of raw-SQL throughput`, pass: c.ratio >= 0.4, detail: `${num(c.ratio * 100, 1)}% (${num(c.api.throughput)} vs ${num(c.raw.throughput)} req/s)` });
  }
  const search = byName('search (substring)');
  if (search) budgets.push({ name: 'search (substring): API p50 < 30 ms', pass: search.api.p50 < 30, detail: `p50 ${ms(search.api.p50)} ms` });
  for (const c of cases.filter((c) => c.name.startsWith('list 50 with links'))) {
    budgets.push({
      name: `${c.name}: API p50 < ${RELATIONAL_P50_MS} ms`,
      pass: c.api.p50 < RELATIONAL_P50_MS,
      detail: `p50 ${ms(c.api.p50)} ms (raw SQL ${ms(c.raw.p50)} ms; API/raw ${num(c.ratio * 100, 1)}%)`,
    });
  }
  for (const c of cases.filter((c) => OWNER_BASELINE_CASES.includes(c.name))) {
    budgets.push({
      name: `${c.name}: p50 within ${Math.round((REP_OVER_OWNER - 1) * 100)}% of the owner's`,
      pass: c.api.p50 <= c.raw.p50 * REP_OVER_OWNER,
      detail: `rep p50 ${ms(c.api.p50)} ms, owner p50 ${ms(c.raw.p50)} ms (${num((c.api.p50 / c.raw.p50 - 1) * 100, 1)}%)`,
    });
  }
  for (const c of cases.filter((c) => WORKFLOW_BUDGETED_CASES.includes(c.name))) {
    budgets.push({
      name: `${c.name}: p50 within ${Math.round((WORKFLOW_WRITE_OVER_PLAIN - 1) * 100)}% of the same write without workflows`,
      pass: c.api.p50 <= c.raw.p50 * WORKFLOW_WRITE_OVER_PLAIN,
      detail: `p50 ${ms(c.api.p50)} ms against ${ms(c.raw.p50)} ms (${signed((c.api.p50 / c.raw.p50 - 1) * 100)}%); p95 ${ms(c.api.p95)} against ${ms(c.raw.p95)} ms (${signed((c.api.p95 / c.raw.p95 - 1) * 100)}%)`,
    });
  }
  if (runs) {
    budgets.push({
      name: `${runs.runs.toLocaleString('en-US')} queued runs of a two-step workflow within ${WORKFLOW_RUNS_SECONDS} s`,
      pass: runs.succeeded === runs.runs && runs.seconds <= WORKFLOW_RUNS_SECONDS,
      detail: `${runs.succeeded} succeeded (${runs.steps} steps) in ${num(runs.seconds, 1)} s, ${num(runs.succeeded / runs.seconds, 0)} runs/s (the write queueing them: ${ms(runs.writeMs)} ms)`,
    });
  }
  if (batch) budgets.push({ name: 'batch insert: >= 20,000 records/s', pass: batch.recordsPerSecond >= 20_000, detail: `${num(batch.recordsPerSecond)} records/s` });
  return budgets;
}

export function printReport(results: BenchResults, log: (line: string) => void = console.log): void {
  log('');
  log(`${num(results.records)} records, ${results.concurrency} in flight (${results.client} client), ${results.secondsPerCase} s per side of each case in ${results.rounds} alternating slices, after ${results.warmupSecondsPerCase} s warm-up`);
  log(`node ${results.node}, PostgreSQL ${results.postgres} (${results.database}), ${results.cpus} CPUs`);
  log('');
  const againstRaw = results.cases.filter((c) => !OWNER_BASELINE_CASES.includes(c.name) && !WORKFLOW_BASELINE_CASES.includes(c.name));
  const againstPlain = results.cases.filter((c) => WORKFLOW_BASELINE_CASES.includes(c.name));
  const againstOwner = results.cases.filter((c) => OWNER_BASELINE_CASES.includes(c.name));
  const rows = againstRaw.map((c) => [
    c.name,
    num(c.api.throughput),
    ms(c.api.p50),
    ms(c.api.p99),
    num(c.raw.throughput),
    ms(c.raw.p50),
    ms(c.raw.p99),
    `${num(c.ratio * 100, 1)}%`,
  ]);
  if (rows.length) log(table(['case', 'API req/s', 'API p50 ms', 'API p99 ms', 'raw req/s', 'raw p50 ms', 'raw p99 ms', 'API/raw'], rows));
  if (againstOwner.length) {
    log('');
    log(table(
      ['case (both sides through the API)', 'rep req/s', 'rep p50 ms', 'rep p99 ms', 'owner req/s', 'owner p50 ms', 'owner p99 ms', 'rep p50/owner p50'],
      againstOwner.map((c) => [c.name, num(c.api.throughput), ms(c.api.p50), ms(c.api.p99), num(c.raw.throughput), ms(c.raw.p50), ms(c.raw.p99), `${num((c.api.p50 / c.raw.p50) * 100, 1)}%`]),
    ));
  }
  if (againstPlain.length) {
    log('');
    log(table(
      ['case (both sides through the API, 1 in flight)', 'with: req/s', 'p50 ms', 'p95 ms', 'server µs', 'without: req/s', 'p50 ms', 'p95 ms', 'server µs', 'p50 with/without', 'p95 with/without'],
      againstPlain.map((c) => [
        c.name,
        num(c.api.throughput),
        ms(c.api.p50),
        ms(c.api.p95),
        num(c.api.serverCpuUs ?? NaN),
        num(c.raw.throughput),
        ms(c.raw.p50),
        ms(c.raw.p95),
        num(c.raw.serverCpuUs ?? NaN),
        `${num((c.api.p50 / c.raw.p50) * 100, 1)}%`,
        `${num((c.api.p95 / c.raw.p95) * 100, 1)}%`,
      ]),
    ));
  }
  // The workflow cases show their server's CPU in their own table.
  const cpuRows = results.cases.filter((c) => !WORKFLOW_BASELINE_CASES.includes(c.name)).map((c) => [c.name, num(c.api.serverCpuUs ?? NaN), num(c.api.clientCpuUs), num(c.raw.clientCpuUs)]);
  if (cpuRows.length) {
    log('');
    log('CPU time per request, µs (load generator, server and PostgreSQL share the same cores):');
    log(table(['case', 'API: server', 'API: HTTP client', 'raw: pg driver'], cpuRows));
  }
  const errors = results.cases.filter((c) => c.api.errors || c.raw.errors);
  for (const c of errors) log(`! ${c.name}: ${c.api.errors} API errors, ${c.raw.errors} raw errors (${c.api.firstError ?? c.raw.firstError})`);
  const batchRow = (label: string, b: BatchResult) => [label, num(b.recordsPerSecond), ms(b.batchP50), ms(b.batchP99), String(b.batches), String(b.inFlight)];
  const batchRows: string[][] = [];
  if (results.batchInsert) batchRows.push(batchRow('API (the seed)', results.batchInsert.api), batchRow('raw SQL', results.batchInsert.raw));
  if (results.relationalSeed) {
    batchRows.push(batchRow('API: quotes, 1 link each', results.relationalSeed.quotes), batchRow('API: line items, 2 links each', results.relationalSeed.lines));
  }
  if (batchRows.length) {
    log('');
    log(table(['batch insert (1000/request)', 'records/s', 'batch p50 ms', 'batch p99 ms', 'batches', 'in flight'], batchRows));
  }
  if (results.batchInsert) log(`API/raw: ${num(results.batchInsert.ratio * 100, 1)}%`);
  log('');
  for (const b of results.budgets) log(`${b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.detail}`);
}

/**
 * Writes the results. A run of only the browser cases replaces only `browser` in the file; a run without them keeps
 * the file's `browser` (it carries its own date).
 */
export async function writeResults(file: string, results: BenchResults): Promise<void> {
  const previous = await readFile(file, 'utf8').then((text) => JSON.parse(text) as BenchResults, () => undefined);
  const browser = results.browser ?? previous?.browser;
  const imported = results.import ?? previous?.import;
  const kept = { ...(browser ? { browser } : {}), ...(imported ? { import: imported } : {}) };
  const merged = !results.cases.length && previous ? { ...previous, ...kept } : { ...results, ...kept };
  const round = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);
  await writeFile(file, `${JSON.stringify(merged, round, 2)}\n`);
}
