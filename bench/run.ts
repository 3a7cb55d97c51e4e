// `npm run bench [-- --records N --children C --seconds S --warmup S --concurrency C --seed-concurrency C --client http|fetch --only get,search --out FILE]`
//
// Starts the real server (bench/server.ts → startServer) on a free loopback port, on a fresh `crm_bench` database of the
// DATABASE_URL server or, without it, on an embedded PostgreSQL under ./data/bench (port 54339; the app's ./data is never
// touched). Seeds a sheet of --records mixed-type records through the API in batches of 1000 (the batch-insert measurement),
// then measures each case through the HTTP API and as the same work in hand-written SQL with `pg` (the ceiling), prints
// the table and the budgets, and writes bench/results.json. The relational cases seed their own sheets (Accounts,
// Products, --records Quotes, --children Lines per quote: 600,000 records by default); `--only "list 50 with links"`
// seeds only those, `--only get,search` only the mixed-type sheet; `--only "sales rep"` only the owned sheet (bench/owned.ts). The browser cases (`--only "grid scroll,form render"`)
// build the client into dist/client, seed a sheet of --records records and one of 40 fields, and drive Chromium
// (bench/browser.ts): the grid scrolled through every record, and a 40-field form's time to render. The workflow cases
// (`--only workflow`, bench/workflows.ts): a write on a sheet with 3 workflows beside one without, and 1,000 queued runs.
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ApiClient, createBenchSheet, type ClientKind } from './api.js';
import { buildCases, SHEET_CASES, type BenchCase } from './cases.js';
import { rng, searchTerms } from './data.js';
import { startBenchServer } from './environment.js';
import { BROWSER_CASES, buildClient, runBrowserCases } from './browser.js';
import { checkBrowserBudgets, printBrowserReport } from './browser-report.js';
import { runPaired, type LoadOptions } from './load.js';
import { RawSql } from './raw.js';
import { SESSION_OPTIONS } from '../server/database.js';
import { OWNED_CASE, ownedCase, seedOwned } from './owned.js';
import { IMPORT_CASE, printImportReport, runImportBench } from './import.js';
import { RELATIONAL_CASE, RELATIONAL_GRID_CASE, relationalCases } from './relational.js';
import { seedRelational } from './relational-seed.js';
import { checkBudgets, printReport, writeResults, type BenchResults, type CaseResult } from './report.js';
import { BATCH, matchingTerms, rawBatchInsert, seedThroughApi, settleTables, waitForSearchIndexes } from './seed.js';
import { queuedRuns, seedWorkflowSheets, WORKFLOW_RUNS_CASE, WORKFLOW_WRITE_CASES, workflowWriteCases } from './workflows.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
    'seed-concurrency': { type: 'string', default: '2' },
    client: { type: 'string', default: 'http' },
    /** Comma-separated parts of case names, to run only those (quick iterations). */
    only: { type: 'string', default: '' },
    /** Line items per quote in the relational case (quotes: --records). */
    children: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results.json' },
  },
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

const records = Math.round(positive('records', args.records));
const load: LoadOptions = {
  concurrency: Math.round(positive('concurrency', args.concurrency)),
  durationMs: positive('seconds', args.seconds) * 1000,
  warmupMs: Math.max(0, Number(args.warmup) || 0) * 1000,
};
/** Each case alternates API and raw-SQL slices this many times (see runPaired). */
const ROUNDS = 5;
const seedInFlight = Math.round(positive('seed-concurrency', args['seed-concurrency']));
if (args.client !== 'http' && args.client !== 'fetch') throw new Error(`--client must be http or fetch, not ${args.client}`);
const client: ClientKind = args.client;
const log = (line: string) => console.log(line);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const only = args.only!.split(',').filter(Boolean);
const wanted = (name: string) => !only.length || only.some((o) => name.includes(o));
// The server serves the client it finds at start.
if (BROWSER_CASES.some(wanted)) await buildClient();

const server = await startBenchServer(process.env.DATABASE_URL);
log(`server on ${server.url} (${server.database} PostgreSQL), ready after ${elapsed()}`);
// The same session settings as the app's connections, so the hand-written SQL gets the same plans.
const pool = new pg.Pool({ connectionString: server.databaseUrl, max: load.concurrency, options: SESSION_OPTIONS, application_name: 'crm-bench-raw' });
try {
  const api = new ApiClient(server.url, client);
  const { workspaceId, userId } = await api.signIn();
  const selected: BenchCase[] = [];

  // The mixed-type sheet and its batch-insert measurement only when one of its cases runs (`--only` may skip them).
  let batchInsert: BenchResults['batchInsert'];
  if (SHEET_CASES.some(wanted)) {
    const sheet = await createBenchSheet(api, workspaceId);
    const raw = new RawSql(pool, workspaceId, sheet, userId);
    // The sheet's one trigram index over its text and email fields.
    await waitForSearchIndexes(raw, 1);

    let reported = 0;
    const path = `/api/w/${workspaceId}/sheets/${sheet.id}/records`;
    const seeded = await seedThroughApi(api, path, records, seedInFlight, (done) => {
      if (done - reported >= records / 10 || done === records) {
        reported = done;
        log(`  seeded ${done.toLocaleString('en-US')} records (${elapsed()})`);
      }
    });
    const rawBatches = Math.max(2, Math.min(20, Math.round(records / BATCH / 5)));
    const rawBatch = await rawBatchInsert(raw, rawBatches, seedInFlight);
    await settleTables(raw);
    const terms = await matchingTerms(raw, searchTerms(rng(99), 300));
    log(`seeded and settled after ${elapsed()}; ${terms.length} search terms`);
    const built = buildCases({ api, raw, workspaceId, ids: seeded.ids, terms });
    const unlisted = built.filter((c) => !(SHEET_CASES as readonly string[]).includes(c.name));
    if (unlisted.length) throw new Error(`cases.ts: add ${unlisted.map((c) => `"${c.name}"`).join(', ')} to SHEET_CASES`);
    selected.push(...built.filter((c) => wanted(c.name)));
    batchInsert = { api: seeded.batch, raw: rawBatch, ratio: seeded.batch.recordsPerSecond / rawBatch.recordsPerSecond };
  }

  let relationalSeed: BenchResults['relationalSeed'];
  if ([RELATIONAL_CASE, RELATIONAL_GRID_CASE].some(wanted)) {
    const children = Math.round(positive('children', args.children));
    log(`seeding the relational cases: 1,000 accounts, 200 products, ${records.toLocaleString('en-US')} quotes, ${(records * children).toLocaleString('en-US')} line items`);
    const seed = await seedRelational(api, workspaceId, records, children, seedInFlight, log);
    relationalSeed = { quotes: seed.quotesBatch, lines: seed.linesBatch };
    // Fresh statistics for the plans, and visibility maps for index-only scans of the junctions.
    await pool.query('VACUUM ANALYZE');
    selected.push(...(await relationalCases(api, pool, workspaceId, seed, wanted)));
    log(`relational cases checked against raw SQL and ready after ${elapsed()}`);
  }
  let workflowRuns: BenchResults['workflowRuns'];
  if (wanted(WORKFLOW_RUNS_CASE)) {
    log(`queueing ${WORKFLOW_RUNS_CASE}`);
    workflowRuns = await queuedRuns(api, pool, workspaceId, log);
    log(`  ${workflowRuns.succeeded} runs (${workflowRuns.steps} steps) done ${workflowRuns.seconds.toFixed(1)} s after the write (${elapsed()})`);
  }
  if (WORKFLOW_WRITE_CASES.some(wanted)) {
    log('seeding two sheets of 5,000 records, then 3 workflows on one of them');
    const sheets = await seedWorkflowSheets(api, workspaceId, seedInFlight);
    await pool.query('VACUUM ANALYZE');
    const jobs = { pause: server.pauseJobs, resume: server.resumeJobs };
    selected.push(...workflowWriteCases({ api, pool, jobs, workspaceId, sheets }).filter((c) => wanted(c.name)));
    log(`workflow write cases ready after ${elapsed()}`);
  }
  if (wanted(OWNED_CASE)) {
    log(`seeding the sales rep's case: ${records.toLocaleString('en-US')} records with an owner field`);
    const setup = await seedOwned(api, client, workspaceId, records, seedInFlight, log);
    selected.push(await ownedCase(api, pool, workspaceId, setup));
    log(`sales rep's case ready after ${elapsed()}`);
  }
  let browser: BenchResults['browser'];
  if (BROWSER_CASES.some(wanted)) {
    const measured = await runBrowserCases({ api, url: server.url, workspaceId, records, seedInFlight, wanted, log });
    browser = { ...measured, budgets: checkBrowserBudgets(measured) };
    log(`browser cases measured after ${elapsed()}`);
  }
  let imported: BenchResults['import'];
  if (wanted(IMPORT_CASE)) {
    log(`the import case: ${records.toLocaleString('en-US')} rows of 10 columns with a link, then the same through the batch API`);
    imported = { date: new Date().toISOString(), ...(await runImportBench(api, workspaceId, records, log)) };
  }
  if (!selected.length && !browser && !workflowRuns && !imported) throw new Error(`--only ${args.only} matches no case`);

  const cases: CaseResult[] = [];
  for (const c of selected) {
    await c.before?.();
    const { api: apiStats, raw: rawStats } = await runPaired(c.api, c.raw, {
      ...load,
      concurrency: c.concurrency ?? load.concurrency,
      rounds: c.rounds ?? ROUNDS,
      serverCpu: server.cpuMs,
      ...(c.bothThroughApi ? { rawServerCpu: server.cpuMs } : {}),
    }).finally(() => c.after?.());
    cases.push({ name: c.name, description: c.description, api: apiStats, raw: rawStats, ratio: apiStats.throughput / rawStats.throughput, ...(c.rounds ? { rounds: c.rounds } : {}) });
    log(`  ${c.name}: API ${apiStats.throughput.toFixed(0)} req/s, raw ${rawStats.throughput.toFixed(0)} req/s (${elapsed()})`);
  }

  const version = await pool.query<{ server_version: string }>('SHOW server_version');
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    postgres: version.rows[0]!.server_version,
    database: server.database,
    records,
    concurrency: load.concurrency,
    client,
    secondsPerCase: load.durationMs / 1000,
    rounds: ROUNDS,
    warmupSecondsPerCase: load.warmupMs / 1000,
    cpus: os.availableParallelism(),
    cases,
    ...(batchInsert ? { batchInsert } : {}),
    ...(relationalSeed ? { relationalSeed } : {}),
    ...(workflowRuns ? { workflowRuns } : {}),
    budgets: checkBudgets(cases, batchInsert?.api, workflowRuns),
    ...(browser ? { browser } : {}),
    ...(imported ? { import: imported } : {}),
  };
  if (cases.length || workflowRuns) printReport(results, log);
  if (browser) printBrowserReport(browser, log);
  if (imported) printImportReport(imported, log);
  await writeResults(args.out!, results);
  log(`\nwrote ${args.out} (${elapsed()} in all)`);
} finally {
  await pool.end();
  await server.stop();
}
