import type { ApiClient, SheetJson } from './api.js';
import { ACCOUNTS, PRODUCT_ROWS, SECTORS, between, pick, rng } from './data.js';
import { runCount } from './load.js';
import { BATCH, type BatchResult } from './seed.js';

export const ACCOUNT_COUNT = 1000;
export const PRODUCT_COUNT = 200;

export interface RelationalSheets {
  quotes: SheetJson;
  lines: SheetJson;
  accounts: SheetJson;
  products: SheetJson;
}

export interface RelationalSeed {
  sheets: RelationalSheets;
  /** Quote names in seed order (`Q-0000001`, ...): sorted by name they are in this order. */
  quoteNames: string[];
  /** Batch inserts with their links, through the API. */
  quotesBatch: BatchResult;
  linesBatch: BatchResult;
}

/** `Q-0000042`: zero-padded, so name order is seed order in any collation. */
export const quoteName = (n: number) => `Q-${String(n + 1).padStart(7, '0')}`;

const QUOTE_FIELDS = [
  { name: 'Industry', type: 'lookup', options: { link: 'Account', field: 'Industry' } },
  { name: 'Country', type: 'lookup', options: { link: 'Account', field: 'Country' } },
  { name: 'Line quantities', type: 'lookup', options: { link: 'Line items', field: 'Quantity' } },
  { name: 'Total quantity', type: 'rollup', options: { link: 'Line items', field: 'Quantity', fn: 'sum' } },
  { name: 'Line count', type: 'rollup', options: { link: 'Line items', field: 'Quantity', fn: 'count_all' } },
  { name: 'Score', type: 'formula', options: { expression: '{Total quantity} * 2 + LEN({Name})' } },
];

async function createSheets(api: ApiClient, base: string): Promise<void> {
  const sheet = (name: string, fields: unknown[]) => api.post<SheetJson>(base, { name, fields });
  await sheet('Accounts', [
    { name: 'Name', type: 'text' },
    { name: 'Industry', type: 'single_select', options: { choices: SECTORS.map((name) => ({ name })) } },
    { name: 'Country', type: 'text' },
  ]);
  await sheet('Products', [{ name: 'Name', type: 'text' }, { name: 'Unit price', type: 'currency', options: { currency: 'USD', precision: 2 } }]);
  await sheet('Quotes', [{ name: 'Name', type: 'text' }, { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } }]);
  // Created after Quotes, so the Quote link is the junction's side a (lines) and 'Line items' its side b (quotes).
  await sheet('Lines', [
    { name: 'Name', type: 'text' },
    { name: 'Quote', type: 'link', options: { sheet: 'Quotes', relationship: 'many_to_one', inverseName: 'Line items' } },
    { name: 'Product', type: 'link', options: { sheet: 'Products', relationship: 'many_to_one' } },
    { name: 'Quantity', type: 'number', options: { precision: 0 } },
  ]);
  // Computed fields refer to the inverse link, which exists only once Lines does.
  for (const field of QUOTE_FIELDS) await api.post(`${base}/Quotes/fields`, field);
}

type Post = (sheet: string, records: unknown[]) => Promise<{ records: { id: string }[] }>;

/** `total` records in batches of 1000, `inFlight` at a time; each batch draws from its own seeded generator. */
async function seedBatches(post: Post, sheet: string, total: number, inFlight: number, make: (n: number, random: () => number) => Record<string, unknown>, progress: (done: number) => void) {
  const ids = new Array<string>(total);
  let done = 0;
  const run = await runCount(Math.ceil(total / BATCH), inFlight, async (b) => {
    const first = b * BATCH;
    const random = rng(1_000_003 * (b + 1));
    const fields = Array.from({ length: Math.min(BATCH, total - first) }, (_, i) => ({ fields: make(first + i, random) }));
    const answer = await post(sheet, fields);
    answer.records.forEach((r, i) => (ids[first + i] = r.id));
    done += fields.length;
    progress(done);
  });
  const batch: BatchResult = { records: total, batches: Math.ceil(total / BATCH), inFlight, seconds: run.seconds, recordsPerSecond: total / run.seconds, batchP50: run.p50, batchP99: run.p99 };
  return { ids, batch };
}

/**
 * Accounts (1,000), Products (200), Quotes (`quotes`, each with an account) and Lines (`children` per quote, each with
 * its quote and a product), seeded through the API in batches of 1000 with their links, as users import them.
 */
export async function seedRelational(api: ApiClient, ws: string, quotes: number, children: number, inFlight: number, log: (line: string) => void): Promise<RelationalSeed> {
  const base = `/api/w/${ws}/sheets`;
  await createSheets(api, base);
  const post: Post = (sheet, records) => api.post(`${base}/${sheet}/records`, { records });
  const started = Date.now();
  const progress = (what: string, total: number) => {
    let reported = 0;
    return (done: number) => {
      if (done - reported < total / 5 && done !== total) return;
      reported = done;
      log(`  seeded ${done.toLocaleString('en-US')} ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    };
  };

  const accounts = await seedBatches(post, 'Accounts', ACCOUNT_COUNT, inFlight, (n) => {
    const row = ACCOUNTS[n % ACCOUNTS.length]!;
    const round = Math.floor(n / ACCOUNTS.length);
    return { Name: round ? `${row.name} ${round + 1}` : row.name, Industry: row.sector, Country: row.country };
  }, () => undefined);
  const products = await seedBatches(post, 'Products', PRODUCT_COUNT, inFlight, (n) => {
    const row = PRODUCT_ROWS[n % PRODUCT_ROWS.length]!;
    const edition = Math.floor(n / PRODUCT_ROWS.length) + 1;
    return { Name: `${row.name} (${edition})`, 'Unit price': Math.round(row.price * (0.9 + edition / 50) * 100) / 100 };
  }, () => undefined);
  const quoteRecords = await seedBatches(post, 'Quotes', quotes, inFlight, (n, random) => ({ Name: quoteName(n), Account: [pick(random, accounts.ids)] }), progress('quotes', quotes));
  const lineCount = quotes * children;
  const lineRecords = await seedBatches(post, 'Lines', lineCount, inFlight, (n, random) => {
    const product = pick(random, products.ids);
    return { Name: `${quoteName(Math.floor(n / children))} #${(n % children) + 1}`, Quote: [quoteRecords.ids[Math.floor(n / children)]!], Product: [product], Quantity: between(random, 1, 20) };
  }, progress('line items', lineCount));

  const all = await api.get<{ id: string; name: string }[]>(base);
  const full = (name: string) => api.get<SheetJson>(`${base}/${all.find((s) => s.name === name)!.id}`);
  const sheets: RelationalSheets = { quotes: await full('Quotes'), lines: await full('Lines'), accounts: await full('Accounts'), products: await full('Products') };
  return { sheets, quoteNames: Array.from({ length: quotes }, (_, n) => quoteName(n)), quotesBatch: quoteRecords.batch, linesBatch: lineRecords.batch };
}
