import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let sheetId: string;
let nameFieldId: string;

interface Row {
  id?: string;
  Name: string;
  Amount?: number;
  Stage?: string;
  Close?: string;
  Seen?: string;
  Done?: boolean;
  Tags?: string[];
  Score?: number;
}

// Deliberately full of ties and empty values.
const STAGES = ['Prospecting', 'Negotiation', 'Won', 'Lost'];
const ROWS: Row[] = Array.from({ length: 60 }, (_, i) => ({
  Name: i % 10 === 0 ? `台北市信義區 客戶 ${i}` : i % 7 === 0 ? `100%_off deal ${i}` : `Account ${String(i).padStart(2, '0')}`,
  ...(i % 4 === 0 ? {} : { Amount: (i * 37) % 11 }),
  ...(i % 5 === 0 ? {} : { Stage: STAGES[i % 4] }),
  ...(i % 3 === 0 ? {} : { Close: `2026-0${1 + (i % 9)}-1${i % 10}` }),
  ...(i % 6 === 0 ? {} : { Seen: `2026-11-2${i % 3}T${String(i % 24).padStart(2, '0')}:00:00.000Z` }),
  ...(i % 2 === 0 ? { Done: true } : {}),
  ...(i % 3 === 1 ? { Tags: i % 2 ? ['VIP'] : ['VIP', 'Partner'] } : {}),
  ...(i % 8 === 0 ? {} : { Score: 1 + (i % 5) }),
}));

const path = () => `/api/w/${ws}/sheets/Deals/records`;
const names = (records: { fields: { Name: string } }[]) => records.map((r) => r.fields.Name);

async function query(params: Record<string, string | number | unknown>): Promise<any> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) search.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  const res = await client.get(`${path()}?${search}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function all(params: Record<string, unknown>, limit = 7): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { records: { fields: { Name: string } }[]; nextCursor: string | null } = await query({ ...params, limit, ...(cursor ? { cursor } : {}) });
    expect(page.records.length).toBeLessThanOrEqual(limit);
    seen.push(...names(page.records));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

const filtered = (predicate: (r: Row) => boolean) => ROWS.filter(predicate).map((r) => r.Name).sort();

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'currency', options: { currency: 'USD' } },
      { name: 'Stage', type: 'single_select', options: { choices: STAGES.map((name) => ({ name })) } },
      { name: 'Close', type: 'date' },
      { name: 'Seen', type: 'datetime' },
      { name: 'Done', type: 'checkbox' },
      { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'VIP' }, { name: 'Partner' }] } },
      { name: 'Score', type: 'rating' },
    ],
  });
  sheetId = sheet.body.id;
  nameFieldId = sheet.body.fields[0].id;
  const created = await client.post(path(), { records: ROWS.map((fields) => ({ fields })) });
  expect(created.status).toBe(201);
});
afterAll(() => server.close());

describe('filters', () => {
  const cases: [string, unknown, (r: Row) => boolean][] = [
    ['number >=', { '>=': [{ var: 'Amount' }, 5] }, (r) => r.Amount !== undefined && r.Amount >= 5],
    ['number == with the value first', { '==': [3, { var: 'Amount' }] }, (r) => r.Amount === 3],
    ['number != keeps empty', { '!=': [{ var: 'Amount' }, 3] }, (r) => r.Amount !== 3],
    ['between', { '<': [2, { var: 'Amount' }, 6] }, (r) => r.Amount !== undefined && r.Amount > 2 && r.Amount < 6],
    ['is empty via null', { '==': [{ var: 'Amount' }, null] }, (r) => r.Amount === undefined],
    ['is_not_empty', { is_not_empty: [{ var: 'Close' }] }, (r) => r.Close !== undefined],
    ['select in', { in: [{ var: 'Stage' }, ['Won', 'Lost']] }, (r) => r.Stage === 'Won' || r.Stage === 'Lost'],
    ['select != keeps empty', { '!=': [{ var: 'Stage' }, 'Won'] }, (r) => r.Stage !== 'Won'],
    ['select is_empty', { is_empty: { var: 'Stage' } }, (r) => r.Stage === undefined],
    ['date <', { '<': [{ var: 'Close' }, '2026-04-01'] }, (r) => r.Close !== undefined && r.Close < '2026-04-01'],
    ['datetime on a day', { '==': [{ var: 'Seen' }, '2026-11-21'] }, (r) => r.Seen?.startsWith('2026-11-21') ?? false],
    ['datetime after an instant', { '>': [{ var: 'Seen' }, '2026-11-21T12:00:00Z'] }, (r) => r.Seen !== undefined && r.Seen > '2026-11-21T12:00:00.000Z'],
    ['checkbox true', { '==': [{ var: 'Done' }, true] }, (r) => r.Done === true],
    ['checkbox false', { '==': [{ var: 'Done' }, false] }, (r) => r.Done !== true],
    ['multi contains', { contains: [{ var: 'Tags' }, 'Partner'] }, (r) => r.Tags?.includes('Partner') ?? false],
    ['multi is_empty', { is_empty: [{ var: 'Tags' }] }, (r) => !r.Tags],
    ['text contains, any case', { contains: [{ var: 'Name' }, 'ACCOUNT 1'] }, (r) => r.Name.toLowerCase().includes('account 1')],
    ['text starts_with', { starts_with: [{ var: 'Name' }, 'acc'] }, (r) => r.Name.toLowerCase().startsWith('acc')],
    ['JsonLogic substring in', { in: ['信義', { var: 'Name' }] }, (r) => r.Name.includes('信義')],
    ['% and _ are literal', { contains: [{ var: 'Name' }, '0%_o'] }, (r) => r.Name.includes('0%_o')],
    ['and / or / !', { and: [{ or: [{ '==': [{ var: 'Stage' }, 'Won'] }, { '>': [{ var: 'Score' }, 4] }] }, { '!': { '==': [{ var: 'Done' }, true] } }] }, (r) => (r.Stage === 'Won' || (r.Score ?? 0) > 4) && r.Done !== true],
  ];

  it.each(cases)('%s', async (_, logic, predicate) => {
    const body = await query({ filter: logic, limit: 1000, count: 'true' });
    expect(names(body.records).sort()).toEqual(filtered(predicate));
    expect(body.total).toBe(filtered(predicate).length);
  });

  it('takes a field id in "var" as well as a name', async () => {
    const byId = await query({ filter: { starts_with: [{ var: nameFieldId }, '台北'] }, limit: 1000 });
    expect(names(byId.records).sort()).toEqual(filtered((r) => r.Name.startsWith('台北')));
  });
});

describe('sorting and paging', () => {
  const compare = (a: unknown, b: unknown) => (a === b ? 0 : (a as never) < (b as never) ? -1 : 1);
  function expected(keys: [keyof Row, 'asc' | 'desc', ((v: unknown) => unknown)?][]): string[] {
    const indexed = ROWS.map((r, i) => ({ r, i }));
    indexed.sort((x, y) => {
      for (const [key, dir, map = (v: unknown) => v] of keys) {
        const a = x.r[key] === undefined ? undefined : map(x.r[key]);
        const b = y.r[key] === undefined ? undefined : map(y.r[key]);
        if (a === undefined && b === undefined) continue;
        if (a === undefined) return 1; // empty last, either direction
        if (b === undefined) return -1;
        const c = compare(a, b);
        if (c) return dir === 'asc' ? c : -c;
      }
      return x.i - y.i; // then creation order (id)
    });
    return indexed.map(({ r }) => r.Name);
  }

  it('walks every page of a multi-key sort with ties and empty values, without gaps or repeats', async () => {
    expect(await all({ sort: '-Amount,Close' })).toEqual(expected([['Amount', 'desc'], ['Close', 'asc']]));
    expect(await all({ sort: 'Score,-Seen' }, 5)).toEqual(expected([['Score', 'asc'], ['Seen', 'desc']]));
    expect(await all({ sort: 'Stage' }, 9)).toEqual(expected([['Stage', 'asc', (v) => STAGES.indexOf(v as string)]]));
    expect(await all({})).toEqual(ROWS.map((r) => r.Name));
  });

  it('pages ascending sorts (read as ranges of the sort order) across duplicates and into the empty values', async () => {
    // Every page boundary: small pages land inside runs of equal values and inside the empty values at the end.
    for (const limit of [1, 3, 7]) {
      expect(await all({ sort: 'Amount' }, limit)).toEqual(expected([['Amount', 'asc']]));
      expect(await all({ sort: 'Amount,Close' }, limit)).toEqual(expected([['Amount', 'asc'], ['Close', 'asc']]));
    }
    expect(await all({ sort: 'Score,Amount,Seen' }, 4)).toEqual(expected([['Score', 'asc'], ['Amount', 'asc'], ['Seen', 'asc']]));
    expect(await all({ sort: 'Close' }, 6)).toEqual(expected([['Close', 'asc']]));
    expect(await all({ sort: 'Name' }, 8)).toEqual(expected([['Name', 'asc']]));
  });

  it('pages descending and mixed sorts across duplicates and empty values', async () => {
    for (const limit of [1, 4]) {
      expect(await all({ sort: '-Amount' }, limit)).toEqual(expected([['Amount', 'desc']]));
      expect(await all({ sort: '-Score,-Close' }, limit)).toEqual(expected([['Score', 'desc'], ['Close', 'desc']]));
    }
    expect(await all({ sort: 'Amount,-Close' }, 5)).toEqual(expected([['Amount', 'asc'], ['Close', 'desc']]));
  });

  it('pages a filtered listing', async () => {
    const filter = { '>=': [{ var: 'Amount' }, 4] };
    const want = expected([['Close', 'desc']]).filter((n) => filtered((r) => (r.Amount ?? -1) >= 4).includes(n));
    expect(await all({ filter, sort: '-Close' }, 4)).toEqual(want);
  });
});

describe('search', () => {
  it('finds substrings in any case, Chinese included, and choice names', async () => {
    expect(names((await query({ search: '信義', limit: 1000 })).records).sort()).toEqual(filtered((r) => r.Name.includes('信義')));
    expect(names((await query({ search: 'account 0', limit: 1000 })).records).sort()).toEqual(filtered((r) => r.Name.toLowerCase().includes('account 0')));
    expect(names((await query({ search: '%_', limit: 1000 })).records).sort()).toEqual(filtered((r) => r.Name.includes('%_')));
    expect(names((await query({ search: 'negoti', limit: 1000 })).records).sort()).toEqual(filtered((r) => r.Stage === 'Negotiation'));
  });

  it('has the sheet\'s one trigram index over its text fields (tests/search-index.test.ts: the planner uses it)', async () => {
    await server.buildIndexes();
    const index = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE schemaname = ${`ws_${ws}`} AND tablename = ${`s_${sheetId}`} AND indexdef LIKE '%gin_trgm_ops%'`.execute(server.db);
    expect(index.rows.map((r) => r.indexdef)).toEqual([expect.stringContaining(`COALESCE(f_${nameFieldId}, ''::text)`)]);
  });
});
