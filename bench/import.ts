import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApiClient } from './api.js';
import { between, COMPANIES, pick, rng, STAGES } from './data.js';

/**
 * A spreadsheet import of `records` rows of 10 columns, one of them linking each row to one of 1,000 accounts by
 * name (POST /imports, then /start, polled to the end: the job writes batches of 1000 through the engine), beside the
 * same rows written by the batch API (POST /records, 1000 a request, one request at a time as the import writes one
 * batch at a time, account ids already resolved by the client). Budget: the import in under 20 s for 100,000 rows.
 */
export const IMPORT_CASE = 'import 100,000 rows';

export interface ImportBench {
  records: number;
  /** Upload streamed from disk and the server's preview (one read of the whole file). */
  uploadSeconds: number;
  /** From start to done. */
  importSeconds: number;
  importPerSecond: number;
  batchApiSeconds: number;
  batchApiPerSecond: number;
  /** Import time / batch API time. */
  ratio: number;
  fileBytes: number;
}

const FIELDS = [
  { name: 'Name', type: 'text' },
  { name: 'Email', type: 'email' },
  { name: 'Phone', type: 'phone' },
  { name: 'Quantity', type: 'number', options: { precision: 0 } },
  { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
  { name: 'Stage', type: 'single_select', options: { choices: STAGES.map((name) => ({ name })) } },
  { name: 'Close date', type: 'date' },
  { name: 'Probability', type: 'percent', options: { precision: 0 } },
  { name: 'Won', type: 'checkbox' },
];

interface Row {
  name: string;
  email: string;
  phone: string;
  quantity: number;
  amount: number;
  stage: string;
  date: string;
  probability: number;
  won: boolean;
  account: string;
}

function rows(count: number, accounts: string[]): Row[] {
  const random = rng(2027);
  return Array.from({ length: count }, (_, i) => ({
    name: `Deal ${i} ${pick(random, COMPANIES)}`,
    email: `buyer${i}@example.com`,
    phone: `09${between(random, 10, 99)}-${between(random, 100, 999)}-${between(random, 100, 999)}`,
    quantity: between(random, 1, 500),
    amount: between(random, 100, 9_999_999) / 100,
    stage: pick(random, STAGES),
    date: `2026-${String(between(random, 1, 12)).padStart(2, '0')}-${String(between(random, 1, 28)).padStart(2, '0')}`,
    probability: between(random, 0, 100),
    won: random() < 0.3,
    account: pick(random, accounts),
  }));
}

/** As a spreadsheet writes it: thousands separators and a currency symbol, a percent sign, yes/no, day-first dates. */
const csvLine = (r: Row) =>
  [r.name, r.email, r.phone, r.quantity, `"$${r.amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}"`, r.stage, r.date.split('-').reverse().join('/'), `${r.probability}%`, r.won ? 'yes' : 'no', r.account].join(',');

export async function runImportBench(api: ApiClient, workspaceId: string, records: number, log: (line: string) => void): Promise<ImportBench> {
  const base = `/api/w/${workspaceId}`;
  const accountsSheet = await api.post<{ id: string }>(`${base}/sheets`, { name: 'Import accounts', fields: [{ name: 'Name', type: 'text' }] });
  const names = Array.from({ length: 1000 }, (_, i) => `${COMPANIES[i % COMPANIES.length]} ${Math.floor(i / COMPANIES.length) + 1}`);
  const created = await api.post<{ records: { id: string }[] }>(`${base}/sheets/${accountsSheet.id}/records`, { records: names.map((Name) => ({ fields: { Name } })) });
  const accountId = new Map(names.map((name, i) => [name, created.records[i]!.id]));
  const link = { name: 'Account', type: 'link', options: { sheet: accountsSheet.id, relationship: 'many_to_one', inverseName: 'Deals' } };
  const imported = await api.post<{ id: string }>(`${base}/sheets`, { name: 'Imported deals', fields: [...FIELDS, link] });
  const batched = await api.post<{ id: string }>(`${base}/sheets`, { name: 'Batch deals', fields: [...FIELDS, { ...link, options: { ...link.options, inverseName: 'Batch deals' } }] });

  const data = rows(records, names);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'crm-bench-import-'));
  const file = path.join(dir, 'deals.csv');
  const header = [...FIELDS.map((f) => f.name), 'Account'].join(',');
  await writeFile(file, `${header}\n${data.map(csvLine).join('\n')}\n`);
  try {
    const blob = await openAsBlob(file);
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', blob, 'deals.csv');
    const upload = await api.upload<{ id: string; rowCount: number; columns: { name: string; type: string }[] }>(`${base}/imports`, form);
    const uploadSeconds = (performance.now() - t0) / 1000;
    if (upload.rowCount !== records) throw new Error(`the preview counted ${upload.rowCount} rows, not ${records}`);
    log(`  import: uploaded ${(blob.size / 1e6).toFixed(1)} MB and previewed in ${uploadSeconds.toFixed(1)} s (${upload.columns.map((c) => `${c.name}: ${c.type}`).join(', ')})`);

    const mapping = Object.fromEntries(upload.columns.map((c) => [c.name, c.name]));
    const t1 = performance.now();
    await api.post(`${base}/imports/${upload.id}/start`, { sheet: imported.id, mapping, mode: 'insert', onError: 'abort' }, 202);
    let done: { status: string; inserted: number; processed: number; error?: string };
    for (;;) {
      done = await api.get(`${base}/imports/${upload.id}`);
      if (done.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const importSeconds = (performance.now() - t1) / 1000;
    if (done.status !== 'done' || done.inserted !== records) throw new Error(`the import ended ${done.status} with ${done.inserted} rows: ${done.error ?? ''}`);
    log(`  import: ${records.toLocaleString('en-US')} rows in ${importSeconds.toFixed(1)} s`);

    const t2 = performance.now();
    for (let first = 0; first < data.length; first += 1000) {
      const batch = data.slice(first, first + 1000).map((r) => ({
        fields: { Name: r.name, Email: r.email, Phone: r.phone, Quantity: r.quantity, Amount: r.amount, Stage: r.stage, 'Close date': r.date, Probability: r.probability / 100, Won: r.won, Account: [accountId.get(r.account)!] },
      }));
      await api.post(`${base}/sheets/${batched.id}/records`, { records: batch });
    }
    const batchApiSeconds = (performance.now() - t2) / 1000;
    log(`  batch API: ${records.toLocaleString('en-US')} rows in ${batchApiSeconds.toFixed(1)} s`);
    for (const sheet of [imported.id, batched.id]) {
      const { total } = await api.get<{ total: number }>(`${base}/sheets/${sheet}/records?limit=1&count=true`);
      if (total !== records) throw new Error(`sheet ${sheet} holds ${total} records, not ${records}`);
    }
    return {
      records,
      uploadSeconds,
      importSeconds,
      importPerSecond: records / importSeconds,
      batchApiSeconds,
      batchApiPerSecond: records / batchApiSeconds,
      ratio: importSeconds / batchApiSeconds,
      fileBytes: blob.size,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printImportReport(result: ImportBench, log: (line: string) => void): void {
  log('');
  log(`| case | records | seconds | records/s |`);
  log(`|---|---|---|---|`);
  log(`| import (upload + preview of ${(result.fileBytes / 1e6).toFixed(1)} MB) | ${result.records.toLocaleString('en-US')} | ${result.uploadSeconds.toFixed(1)} | - |`);
  log(`| import (start → done) | ${result.records.toLocaleString('en-US')} | ${result.importSeconds.toFixed(1)} | ${Math.round(result.importPerSecond).toLocaleString('en-US')} |`);
  log(`| batch API (1000 a request) | ${result.records.toLocaleString('en-US')} | ${result.batchApiSeconds.toFixed(1)} | ${Math.round(result.batchApiPerSecond).toLocaleString('en-US')} |`);
  const budget = (20 * result.records) / 100_000;
  log(`import under ${budget.toFixed(0)} s for ${result.records.toLocaleString('en-US')} rows: ${result.importSeconds < budget ? 'met' : 'NOT met'} (${result.importSeconds.toFixed(1)} s, ${result.ratio.toFixed(2)}× the batch API's time)`);
}
