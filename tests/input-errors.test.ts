import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let sheetId: string;
const deals = () => `/api/w/${ws}/sheets/Deals`;
const list = (query: string) => client.get(`${deals()}/records?${query}`);
const filter = (logic: unknown) => list(`filter=${encodeURIComponent(typeof logic === 'string' ? logic : JSON.stringify(logic))}`);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'number' },
      { name: 'Close', type: 'date' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
    ],
  });
  sheetId = sheet.body.id;
  await client.post(`${deals()}/records`, { records: [{ fields: { Name: 'Acme', Amount: 10, Stage: 'Won' } }, { fields: { Name: 'Globex', Amount: 20 } }] });
});
afterAll(() => server.close());

/** Everything stored: the catalog rows, the table's columns and every row. */
async function snapshot(): Promise<string> {
  const catalog = await sql`SELECT s.name, s.primary_field_id, f.id, f.name AS field, f.type, f.options, f.deleted_at FROM sheets s LEFT JOIN fields f ON f.sheet_id = s.id ORDER BY s.id, f.id`.execute(server.db);
  const columns = await sql`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ${`ws_${ws}`} ORDER BY table_name, column_name`.execute(server.db);
  const rows = await sql`SELECT * FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)} ORDER BY id`.execute(server.db);
  const history = await sql`SELECT count(*) FROM record_history`.execute(server.db);
  return JSON.stringify([catalog.rows, columns.rows, rows.rows, history.rows]);
}

/** Runs a bad request: a 4xx in the API's error shape, and nothing stored changed. */
async function refused(run: () => Promise<{ status: number; body: any }>, status: number, message?: RegExp) {
  const before = await snapshot();
  const res = await run();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  if (message) expect(res.body.error.message).toMatch(message);
  expect(await snapshot()).toBe(before);
  return res.body.error;
}

describe('names are data', () => {
  const names = [`O'Brien "quoted"`, 'a; DROP TABLE users; --', 'SELECT', '客戶 名稱', '🚀 Launch', 'x'.repeat(200), 'Robert"); DROP TABLE sheets;--'];

  it('accepts hostile and unusual names for sheets and fields, and uses them everywhere', async () => {
    for (const name of names) {
      const created = await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name, type: 'text' }, { name: `${name} #`, type: 'number' }] });
      expect(created.status, name).toBe(201);
      const path = `/api/w/${ws}/sheets/${encodeURIComponent(name)}`;
      expect((await client.get(path)).body.name).toBe(name);
      const record = await client.post(`${path}/records`, { fields: { [name]: name, [`${name} #`]: 7 } });
      expect(record.status, name).toBe(201);
      const found = await client.get(`${path}/records?sort=${encodeURIComponent(`-${name} #`)}&filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: name }, name] }))}`);
      expect(found.body.records.map((r: { fields: Record<string, unknown> }) => r.fields[name])).toEqual([name]);
    }
    // The users table is untouched: still the owner and the system's public-form user.
    const tables = await sql<{ n: string }>`SELECT count(*) AS n FROM users`.execute(server.db);
    expect(Number(tables.rows[0]!.n)).toBe(2);
  });

  it('refuses empty, too long and duplicate names', async () => {
    await refused(() => client.post(`/api/w/${ws}/sheets`, { name: '   ' }), 400);
    await refused(() => client.post(`/api/w/${ws}/sheets`, { name: 'y'.repeat(256) }), 400);
    await refused(() => client.post(`${deals()}/fields`, { name: 'amount', type: 'text' }), 400, /already exists/);
    const error = await refused(() => client.post(`/api/w/${ws}/sheets`, { name: 'Dup', fields: [{ name: 'A', type: 'text' }, { name: 'A', type: 'text' }] }), 400);
    expect(error.details.fields).toHaveProperty('A');
    await refused(() => client.patch(`${deals()}/fields/Amount`, { name: 'NAME' }), 400);
  });
});

describe('bad values', () => {
  it('names each field whose value has the wrong type', async () => {
    const error = await refused(() => client.post(`${deals()}/records`, { fields: { Name: 5, Amount: 'ten', Close: '2026-02-30', Stage: 'Maybe' } }), 400);
    expect(Object.keys(error.details.fields).sort()).toEqual(['Amount', 'Close', 'Name', 'Stage']);
    expect(error.details.fields.Amount).toBe('must be a number');
    expect(error.details.fields.Close).toMatch(/YYYY-MM-DD/);
  });

  it('refuses unknown fields, prototype keys and non-object fields', async () => {
    expect((await refused(() => client.post(`${deals()}/records`, { fields: { Nope: 1 } }), 400)).details.fields).toHaveProperty('Nope');
    await refused(() => client.request('POST', `${deals()}/records`, '{"fields": {"__proto__": {"x": 1}}}', { 'content-type': 'application/json' }), 400);
    await refused(() => client.request('POST', `${deals()}/records`, '{"fields": {"constructor": 1}}', { 'content-type': 'application/json' }), 400);
    await refused(() => client.post(`${deals()}/records`, { fields: [1, 2] }), 400);
    await refused(() => client.post(`${deals()}/records`, { records: [] }), 400);
    await refused(() => client.request('POST', `${deals()}/records`, '{"fields": ', { 'content-type': 'application/json' }), 400);
  });

  it('answers 413 to a 10 MB body', async () => {
    const error = await refused(() => client.post(`${deals()}/records`, { fields: { Name: 'x'.repeat(10 * 1024 * 1024) } }), 413);
    expect(error.code).toBe('payload_too_large');
  });
});

describe('unknown things', () => {
  it('answers 404 for unknown workspaces, sheets, fields and records', async () => {
    await refused(() => client.get(`/api/w/${ws}/sheets/Nope/records`), 404);
    await refused(() => client.patch(`${deals()}/fields/Nope`, { name: 'x' }), 404);
    await refused(() => client.get(`${deals()}/records/abc`), 404);
    await refused(() => client.get(`${deals()}/records/999999`), 404);
    await refused(() => client.patch(`${deals()}/records/999999`, { fields: { Name: 'x' } }), 404);
    await refused(() => client.get(`/api/w/wspnotathing123/sheets`), 403);
    await refused(() => client.get(`/api/w/not-an-id/sheets`), 404);
  });
});

describe('bad listing parameters', () => {
  it('refuses unknown operators and fields, with the reason', async () => {
    await refused(() => filter({ regex: [{ var: 'Name' }, '.*'] }), 400, /unknown operator "regex"/);
    await refused(() => filter({ '==': [{ var: 'Nope' }, 1] }), 400, /unknown field "Nope"/);
    await refused(() => filter({ '==': [{ var: '__proto__' }, 1] }), 400, /unknown field/);
    await refused(() => filter({ '==': [{ var: 'constructor' }, 1] }), 400, /unknown field/);
    await refused(() => filter('{"==": [{"var": "Name"}'), 400, /not valid JSON/);
    await refused(() => filter({ contains: [{ var: 'Amount' }, 'x'] }), 400, /cannot be used on the number field "Amount"/);
    await refused(() => filter({ '>': [{ var: 'Amount' }, 'ten'] }), 400, /expects a number/);
    await refused(() => filter({ '==': [{ var: 'Stage' }, 'Maybe'] }), 400, /not one of its choices/);
    await refused(() => filter({ '==': [1, 2] }), 400);
    await refused(() => filter({ and: [{ '==': [{ var: 'Name' }, 'a'] }], or: [] }), 400, /exactly one operator/);
  });

  it('refuses filters nested too deep', async () => {
    let logic: unknown = { '==': [{ var: 'Name' }, 'x'] };
    for (let i = 0; i < 25; i++) logic = { and: [logic] };
    await refused(() => filter(logic), 400, /nested more than 20 deep/);
    let negations: unknown = { '==': [{ var: 'Name' }, 'x'] };
    for (let i = 0; i < 1000; i++) negations = { '!': negations };
    await refused(() => filter(negations), 400);
  });

  it('refuses bad sorts, limits and cursors', async () => {
    await refused(() => list('sort=Nope'), 400, /unknown field "Nope"/);
    await refused(() => list('sort=-Amount,-Nope'), 400);
    await refused(() => list('limit=0'), 400);
    await refused(() => list('limit=1001'), 400);
    await refused(() => list('limit=abc'), 400);
    await refused(() => list('cursor=garbage'), 400, /cursor/);
    const page = (await list('limit=1&sort=Name')).body;
    await refused(() => list(`limit=1&sort=-Amount&cursor=${page.nextCursor}`), 400, /cursor/);
    await refused(() => list(`search=${'x'.repeat(201)}`), 400);
    await refused(() => list(`search=${encodeURIComponent('a\u0000b')}`), 400);
    await refused(() => filter({ '==': [{ var: 'Name' }, 'a\u0000b'] }), 400);
  });

  it('refuses a stale version without changing the record', async () => {
    const record = (await list('sort=Name&limit=1')).body.records[0];
    await client.patch(`${deals()}/records/${record.id}`, { fields: { Amount: 11 }, version: record.version });
    await refused(() => client.patch(`${deals()}/records/${record.id}`, { fields: { Amount: 99 }, version: record.version }), 409);
  });
});
