import type pg from 'pg';
import { columnName, junctionName, schemaName, tableName } from '../schema-engine/ids.js';
import type { ApiClient, FieldJson, SheetJson } from './api.js';
import type { BenchCase } from './cases.js';
import { COMPANIES, PRODUCTS, between, pick, rng } from './data.js';
import { runCount } from './load.js';
import { BATCH } from './seed.js';

export const RELATIONAL_CASE = 'list 50 with links, lookups, rollups, formula';
const PAGE = 50;
const INDUSTRIES = ['Retail', 'Software', 'Medical', 'Finance', 'Manufacturing', 'Telecom', 'Energy', 'Education'];
const COUNTRIES = ['Taiwan', 'Japan', 'United States', 'Germany', 'Brazil', 'Kenya', 'Australia', 'Canada'];

interface Sheets {
  quotes: SheetJson;
  lines: SheetJson;
  accounts: SheetJson;
}

/**
 * Quotes (N) each with an account and `children` line items (each with a product), seeded through the API in batches
 * of 1000 with their links. Quotes shows 2 links (Account, Line items), 3 lookups, 2 rollups and a formula.
 */
export async function seedRelational(api: ApiClient, ws: string, quotes: number, children: number, inFlight: number, log: (line: string) => void): Promise<Sheets> {
  const base = `/api/w/${ws}/sheets`;
  const sheet = (name: string, fields: unknown[]) => api.post<SheetJson>(base, { name, fields });
  const accounts = await sheet('Accounts', [{ name: 'Name', type: 'text' }, { name: 'Industry', type: 'text' }, { name: 'Country', type: 'text' }]);
  const products = await sheet('Products', [{ name: 'Name', type: 'text' }, { name: 'Unit price', type: 'currency', options: { currency: 'USD' } }]);
  await sheet('Quotes', [{ name: 'Name', type: 'text' }, { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } }]);
  await sheet('Lines', [
    { name: 'Name', type: 'text' },
    { name: 'Quote', type: 'link', options: { sheet: 'Quotes', relationship: 'many_to_one', inverseName: 'Line items' } },
    { name: 'Product', type: 'link', options: { sheet: 'Products', relationship: 'many_to_one' } },
    { name: 'Quantity', type: 'number' },
  ]);
  for (const field of [
    { name: 'Industry', type: 'lookup', options: { link: 'Account', field: 'Industry' } },
    { name: 'Country', type: 'lookup', options: { link: 'Account', field: 'Country' } },
    { name: 'Line quantities', type: 'lookup', options: { link: 'Line items', field: 'Quantity' } },
    { name: 'Total quantity', type: 'rollup', options: { link: 'Line items', field: 'Quantity', fn: 'sum' } },
    { name: 'Line count', type: 'rollup', options: { link: 'Line items', field: 'Quantity', fn: 'count_all' } },
    { name: 'Score', type: 'formula', options: { expression: '{Total quantity} * 2 + LEN({Name})' } },
  ]) {
    await api.post(`${base}/Quotes/fields`, field);
  }
  const random = rng(7);
  const post = (name: string, records: unknown[]) => api.post<{ records: { id: string }[] }>(`${base}/${name}/records`, { records });
  const accountIds = (await post('Accounts', Array.from({ length: 1000 }, (_, i) => ({ fields: { Name: `${pick(random, COMPANIES)} ${i}`, Industry: pick(random, INDUSTRIES), Country: pick(random, COUNTRIES) } })))).records.map((r) => r.id);
  const productIds = (await post('Products', PRODUCTS.slice(0, 200).map((name, i) => ({ fields: { Name: name, 'Unit price': 10 + i } })))).records.map((r) => r.id);
  const quoteIds: string[] = new Array<string>(quotes);
  const started = Date.now();
  await runCount(Math.ceil(quotes / BATCH), inFlight, async (b) => {
    const count = Math.min(BATCH, quotes - b * BATCH);
    const answer = await post('Quotes', Array.from({ length: count }, (_, i) => ({ fields: { Name: `Q-${String(b * BATCH + i + 1).padStart(7, '0')}`, Account: [pick(random, accountIds)] } })));
    answer.records.forEach((r, i) => (quoteIds[b * BATCH + i] = r.id));
  });
  log(`  seeded ${quotes.toLocaleString('en-US')} quotes with their accounts (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const lines = quotes * children;
  let done = 0;
  await runCount(Math.ceil(lines / BATCH), inFlight, async (b) => {
    const count = Math.min(BATCH, lines - b * BATCH);
    await post(
      'Lines',
      Array.from({ length: count }, (_, i) => {
        const n = b * BATCH + i;
        return { fields: { Name: `L-${n + 1}`, Quote: [quoteIds[Math.floor(n / children)]!], Product: [pick(random, productIds)], Quantity: between(random, 1, 20) } };
      }),
    );
    done += count;
    if (done % (lines / 5) < BATCH) log(`  seeded ${done.toLocaleString('en-US')} line items (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
  const all = await api.get<SheetJson[]>(base);
  const byName = (name: string) => all.find((s) => s.name === name)!;
  return { quotes: byName('Quotes'), lines: byName('Lines'), accounts: byName('Accounts') };
}

interface Page {
  records: { id: string; fields: Record<string, unknown> }[];
  nextCursor: string | null;
}

const field = (sheet: SheetJson, name: string) => sheet.fields.find((f) => f.name === name)! as FieldJson & { options: Record<string, unknown> };

/**
 * The ceiling: the same page (links with titles, lookups, rollups, formula) written by hand with lateral joins over the
 * engine's tables, keyset by id like the API's unsorted pages.
 */
function rawQuery(ws: string, { quotes, lines, accounts }: Sheets): string {
  const s = schemaName(ws);
  const col = (sheet: SheetJson, name: string) => `"${columnName(field(sheet, name).id)}"`;
  const table = (sheet: SheetJson) => `"${s}"."${tableName(sheet.id)}"`;
  const accountJunction = `"${s}"."${junctionName(String(field(quotes, 'Account').options.junction))}"`;
  const lineJunction = `"${s}"."${junctionName(String(field(quotes, 'Line items').options.junction))}"`;
  const name = col(quotes, 'Name');
  return `
    SELECT q.id, q.version, q.created_at, q.updated_at, q.${name} AS name,
      acc.links AS account, acc.industry, acc.country, li.links AS line_items, li.quantities,
      COALESCE(li.total, 0) AS total, li.n AS line_count,
      COALESCE(li.total, 0) * 2 + char_length(COALESCE(q.${name}, '')) AS score
    FROM ${table(quotes)} q
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_array(a.id::text, a.${col(accounts, 'Name')}) ORDER BY j.n) AS links,
             jsonb_agg(a.${col(accounts, 'Industry')} ORDER BY j.n) AS industry, jsonb_agg(a.${col(accounts, 'Country')} ORDER BY j.n) AS country
      FROM ${accountJunction} j JOIN ${table(accounts)} a ON a.id = j.b AND a.deleted_at IS NULL WHERE j.a = q.id) acc ON TRUE
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_array(l.id::text, l.${col(lines, 'Name')}) ORDER BY j.n) AS links,
             jsonb_agg(l.${col(lines, 'Quantity')} ORDER BY j.n) FILTER (WHERE l.${col(lines, 'Quantity')} IS NOT NULL) AS quantities,
             sum(l.${col(lines, 'Quantity')}) AS total, count(*) AS n
      FROM ${lineJunction} j JOIN ${table(lines)} l ON l.id = j.a AND l.deleted_at IS NULL WHERE j.b = q.id) li ON TRUE
    WHERE q.deleted_at IS NULL AND q.id > $1
    ORDER BY q.id LIMIT ${PAGE + 1}`;
}

/** Pages spread over the sheet (cursors from walking it once), fetched by the API and by the raw query alike. */
export async function relationalCase(api: ApiClient, pool: pg.Pool, ws: string, sheets: Sheets): Promise<BenchCase> {
  const path = `/api/w/${ws}/sheets/${sheets.quotes.id}/records?limit=${PAGE}`;
  const starts: { cursor: string | null; after: string }[] = [];
  let cursor: string | null = null;
  let after = '0';
  for (let i = 0; i < 40; i++) {
    starts.push({ cursor, after });
    const page: Page = await api.get<Page>(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    after = page.records[page.records.length - 1]!.id;
  }
  const sql = rawQuery(ws, sheets);
  // The two sides must answer the same records with the same computed values, or the comparison means nothing.
  const apiFirst = await api.get<Page>(path);
  const rawFirst = await pool.query<{ id: string; total: string; line_count: string }>(sql, ['0']);
  for (const [i, record] of apiFirst.records.entries()) {
    const row = rawFirst.rows[i];
    if (!row || String(row.id) !== record.id || Number(row.total) !== record.fields['Total quantity'] || Number(row.line_count) !== record.fields['Line count']) {
      throw new Error(`${RELATIONAL_CASE}: API and raw SQL disagree on record ${record.id}`);
    }
  }
  const random = rng(11);
  return {
    name: RELATIONAL_CASE,
    description: `GET /records?limit=${PAGE} of Quotes (2 links, 3 lookups, 2 rollups, a formula) at one of ${starts.length} cursors`,
    api: async () => {
      const start = pick(random, starts);
      const page = await api.get<Page>(start.cursor ? `${path}&cursor=${encodeURIComponent(start.cursor)}` : path);
      if (page.records.length !== PAGE) throw new Error(`${RELATIONAL_CASE}: ${page.records.length} records`);
    },
    raw: async () => {
      await pool.query(sql, [pick(random, starts).after]);
    },
  };
}
