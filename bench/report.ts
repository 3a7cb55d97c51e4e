import { writeFile } from 'node:fs/promises';
import type { LoadStats } from './load.js';
import type { BatchResult } from './seed.js';

export interface CaseResult {
  name: string;
  description: string;
  api: LoadStats;
  raw: LoadStats;
  /** API throughput / raw-SQL throughput. */
  ratio: number;
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
  batchInsert: { api: BatchResult; raw: BatchResult; ratio: number };
  budgets: Budget[];
}

const num = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-');
const ms = (v: number) => num(v, v < 10 ? 2 : 1);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function checkBudgets(cases: CaseResult[], batch: BatchResult): Budget[] {
  const byName = (name: string) => cases.find((c) => c.name === name);
  const budgets: Budget[] = [];
  for (const name of ['list 50, filter + sort', 'get one record']) {
    const c = byName(name);
    if (!c) continue;
    budgets.push({ name: `${name}: API >= 40% of raw-SQL throughput`, pass: c.ratio >= 0.4, detail: `${num(c.ratio * 100, 1)}% (${num(c.api.throughput)} vs ${num(c.raw.throughput)} req/s)` });
  }
  const search = byName('search (substring)');
  if (search) budgets.push({ name: 'search (substring): API p50 < 30 ms', pass: search.api.p50 < 30, detail: `p50 ${ms(search.api.p50)} ms` });
  const relational = cases.find((c) => c.name.startsWith('list 50 with links'));
  if (relational) budgets.push({ name: `${relational.name}: API p50 < 50 ms`, pass: relational.api.p50 < 50, detail: `p50 ${ms(relational.api.p50)} ms (raw ${ms(relational.raw.p50)} ms)` });
  budgets.push({ name: 'batch insert: >= 20,000 records/s', pass: batch.recordsPerSecond >= 20_000, detail: `${num(batch.recordsPerSecond)} records/s` });
  return budgets;
}

export function printReport(results: BenchResults, log: (line: string) => void = console.log): void {
  log('');
  log(`${num(results.records)} records, ${results.concurrency} in flight (${results.client} client), ${results.secondsPerCase} s per side of each case in ${results.rounds} alternating slices, after ${results.warmupSecondsPerCase} s warm-up`);
  log(`node ${results.node}, PostgreSQL ${results.postgres} (${results.database}), ${results.cpus} CPUs`);
  log('');
  const rows = results.cases.map((c) => [
    c.name,
    num(c.api.throughput),
    ms(c.api.p50),
    ms(c.api.p99),
    num(c.raw.throughput),
    ms(c.raw.p50),
    ms(c.raw.p99),
    `${num(c.ratio * 100, 1)}%`,
  ]);
  log(table(['case', 'API req/s', 'API p50 ms', 'API p99 ms', 'raw req/s', 'raw p50 ms', 'raw p99 ms', 'API/raw'], rows));
  log('');
  log('CPU time per request, µs (load generator, server and PostgreSQL share the same cores):');
  log(table(
    ['case', 'API: server', 'API: HTTP client', 'raw: pg driver'],
    results.cases.map((c) => [c.name, num(c.api.serverCpuUs ?? NaN), num(c.api.clientCpuUs), num(c.raw.clientCpuUs)]),
  ));
  const errors = results.cases.filter((c) => c.api.errors || c.raw.errors);
  for (const c of errors) log(`! ${c.name}: ${c.api.errors} API errors, ${c.raw.errors} raw errors (${c.api.firstError ?? c.raw.firstError})`);
  const { api, raw, ratio } = results.batchInsert;
  log('');
  log(table(
    ['batch insert (1000/request)', 'records/s', 'batch p50 ms', 'batch p99 ms', 'batches', 'in flight'],
    [
      ['API (the seed)', num(api.recordsPerSecond), ms(api.batchP50), ms(api.batchP99), String(api.batches), String(api.inFlight)],
      ['raw SQL', num(raw.recordsPerSecond), ms(raw.batchP50), ms(raw.batchP99), String(raw.batches), String(raw.inFlight)],
    ],
  ));
  log(`API/raw: ${num(ratio * 100, 1)}%`);
  log('');
  for (const b of results.budgets) log(`${b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.detail}`);
}

export async function writeResults(file: string, results: BenchResults): Promise<void> {
  const round = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);
  await writeFile(file, `${JSON.stringify(results, round, 2)}\n`);
}
