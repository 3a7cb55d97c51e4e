import type pg from 'pg';
import type { ApiClient } from './api.js';
import type { BenchCase } from './cases.js';
import { pick, rng } from './data.js';
import { rawAsFields, relationalPageSql, type PageOrder, type RawRow } from './relational-raw.js';
import type { RelationalSeed } from './relational-seed.js';

export const RELATIONAL_CASE = 'list 50 with links, lookups, rollups, formula';
/** The same page in the grid's default order (by id, next pages by cursor): the computed fields' cost alone. */
export const RELATIONAL_GRID_CASE = `${RELATIONAL_CASE}, grid order`;
/** Both relational cases: `--only` matches either name by this part. */
export const RELATIONAL_PREFIX = 'list 50 with links';
const PAGE = 50;
/** Grid-order starts come from walking the sheet in pages this big (the API's largest). */
const WALK = 1000;

interface Page {
  records: { id: string; fields: Record<string, unknown> }[];
  nextCursor: string | null;
}

/** One way to start a page, both through the API and in raw SQL. */
interface Start {
  query: string;
  param: string;
}

/** JSON with sorted keys, so that equal values print alike. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The API page and the hand-written one must be the same records in the same order with the same values. */
async function expectSame(name: string, api: ApiClient, pool: pg.Pool, path: string, sql: string, start: Start, seed: RelationalSeed): Promise<void> {
  const page = await api.get<Page>(`${path}${start.query}`);
  const rows = (await pool.query<RawRow>(sql, [start.param])).rows.slice(0, PAGE);
  const fail = (what: string) => {
    throw new Error(`${name}: the API and raw SQL disagree (${start.query}, param ${start.param}): ${what}`);
  };
  if (page.records.length !== PAGE) fail(`the API answered ${page.records.length} records, not ${PAGE}`);
  const apiIds = page.records.map((r) => r.id).join(',');
  const rawIds = rows.map((r) => String(r.id)).join(',');
  if (apiIds !== rawIds) fail(`record ids\n  API ${apiIds}\n  raw ${rawIds}`);
  for (const [i, record] of page.records.entries()) {
    const expected = canonical(rawAsFields(rows[i]!, seed.sheets));
    const actual = canonical(record.fields);
    if (expected !== actual) fail(`record ${record.id}\n  API ${actual}\n  raw ${expected}`);
  }
}

/** Cursors spread over the whole sheet in grid order, with the last id before each (the raw query's start). */
async function gridStarts(api: ApiClient, records: string): Promise<Start[]> {
  const starts: Start[] = [{ query: '', param: '0' }];
  let cursor: string | null = null;
  for (;;) {
    const page: Page = await api.get<Page>(`${records}?limit=${WALK}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    // A start needs a full page after it.
    if (!page.nextCursor || page.records.length < WALK) break;
    cursor = page.nextCursor;
    starts.push({ query: `&cursor=${encodeURIComponent(cursor)}`, param: page.records[page.records.length - 1]!.id });
  }
  // The walk's last cursor may leave fewer than a page after it.
  if (starts.length > 1) starts.pop();
  return starts;
}

function relationalCase(name: string, description: string, api: ApiClient, pool: pg.Pool, path: string, sql: string, next: () => Start): BenchCase {
  return {
    name,
    description,
    api: async () => {
      const page = await api.get<Page>(`${path}${next().query}`);
      if (page.records.length !== PAGE) throw new Error(`${name}: ${page.records.length} records`);
    },
    raw: async () => {
      const { rows } = await pool.query(sql, [next().param]);
      if (rows.length < PAGE) throw new Error(`${name}: ${rows.length} rows`);
    },
  };
}

/**
 * The two relational cases, checked against their raw SQL before they are measured: Quotes sorted by Name from a
 * random name on (a user jumping in a sorted grid), and in grid order at cursors spread over the whole sheet.
 */
export async function relationalCases(api: ApiClient, pool: pg.Pool, ws: string, seed: RelationalSeed, wanted: (name: string) => boolean): Promise<BenchCase[]> {
  const records = `/api/w/${ws}/sheets/${seed.sheets.quotes.id}/records`;
  const base = `${records}?limit=${PAGE}`;
  const random = rng(11);
  const cases: BenchCase[] = [];
  const verify = async (name: string, path: string, sql: string, starts: Start[]) => {
    for (const start of [starts[0]!, pick(random, starts), pick(random, starts)]) await expectSame(name, api, pool, path, sql, start, seed);
  };
  const sqlFor = (order: PageOrder) => relationalPageSql(ws, seed.sheets, order, PAGE);

  if (wanted(RELATIONAL_CASE)) {
    const path = `${base}&sort=Name`;
    const names = seed.quoteNames.slice(0, Math.max(1, seed.quoteNames.length - PAGE));
    const byName = (first: string): Start => ({ query: `&filter=${encodeURIComponent(JSON.stringify({ '>=': [{ var: 'Name' }, first] }))}`, param: first });
    await verify(RELATIONAL_CASE, path, sqlFor('name'), [byName(names[0]!), ...Array.from({ length: 10 }, () => byName(pick(random, names)))]);
    cases.push(
      relationalCase(RELATIONAL_CASE, `GET /records?limit=${PAGE}&sort=Name&filter=Name >= <random quote name> of Quotes (2 links, 3 lookups, 2 rollups, a formula)`, api, pool, path, sqlFor('name'), () => byName(pick(random, names))),
    );
  }
  if (wanted(RELATIONAL_GRID_CASE)) {
    const starts = await gridStarts(api, records);
    await verify(RELATIONAL_GRID_CASE, base, sqlFor('id'), starts);
    cases.push(
      relationalCase(RELATIONAL_GRID_CASE, `GET /records?limit=${PAGE}&cursor=<one of ${starts.length} spread over the sheet> of Quotes, no sort`, api, pool, base, sqlFor('id'), () => pick(random, starts)),
    );
  }
  return cases;
}
