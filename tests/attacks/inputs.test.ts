import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from '../helpers/server.js';
import { rawJson, refused } from './refused.js';

/*
 * Inputs that used to answer 500 (or be stored silently wrong), replayed through the API: each answers 400 naming the
 * field or parameter and the problem, and changes nothing. The nesting, numbers and URL-length cases are in
 * inputs-limits.test.ts; names that look the same in names.test.ts.
 */
let server: TestServer;
let client: Client;
let ws: string;
const sheet = () => `/api/w/${ws}/sheets/Deals`;
const filterUrl = (logic: unknown, path = 'records') => `${sheet()}/${path}?filter=${encodeURIComponent(typeof logic === 'string' ? logic : JSON.stringify(logic))}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const created = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
      { name: 'Close', type: 'date' },
      { name: 'At', type: 'datetime' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
      { name: 'No', type: 'autonumber', options: { prefix: 'Q-', digits: 6 } },
      { name: 'Created', type: 'created_time' },
    ],
  });
  expect(created.status).toBe(201);
  const records = await client.post(`${sheet()}/records`, {
    records: [1, 2, 3, 4, 5].map((i) => ({ fields: { Name: `Deal ${i}`, Amount: i * 100, Close: `2026-0${i}-10`, At: `2026-0${i}-10T09:00:00Z`, Stage: i % 2 ? 'Won' : 'Lost' } })),
  });
  expect(records.status).toBe(201);
});
afterAll(() => server.close());

describe('impossible dates', () => {
  const DATES = ['2026-02-30', '2026-02-29', '0000-01-01', '2026-13-01', '2026-00-10', '10000-01-01'];
  const DATETIMES = ['2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:60:00Z', '9999-12-31T23:00:00-05:00'];

  it('are refused in filters on date, datetime and created-time fields, naming the filter and the field', async () => {
    for (const field of ['Close', 'At', 'Created']) {
      for (const value of [...DATES, ...(field === 'Close' ? [] : DATETIMES)]) {
        for (const op of ['==', '<', '>=', '!=']) {
          const error = await refused(server, () => client.get(filterUrl({ [op]: [{ var: field }, value] })), { place: 'filter', problem: new RegExp(`^${field}: expects`) });
          expect(error.details!.fields!.filter).toContain(JSON.stringify(value));
        }
      }
      await refused(server, () => client.get(filterUrl({ in: [{ var: field }, ['2026-01-10', '2026-02-30']] })), { place: 'filter' });
      await refused(server, () => client.get(filterUrl({ '<': ['2026-01-01', { var: field }, '0000-01-01'] })), { place: 'filter' });
    }
    // About 120 refusals, each with a fingerprint of the database before and after: minutes on a crowded machine.
  }, 120_000);

  it('are refused the same way by the POST listing and by kanban groups', async () => {
    await refused(server, () => client.post(`${sheet()}/records/query`, { filter: { '==': [{ var: 'Close' }, '2026-02-30'] } }), { place: 'filter', problem: /Close/ });
    await refused(server, () => client.get(`${filterUrl({ '>': [{ var: 'At' }, '0000-01-01T00:00:00Z'] }, 'groups')}&field=Stage`), { place: 'filter', problem: /At/ });
  });

  it('still find what a real date names (leap days, the first and last years)', async () => {
    const found = async (logic: unknown) => (await client.get(filterUrl(logic))).body.records?.length;
    expect(await found({ '==': [{ var: 'Close' }, '2026-03-10'] })).toBe(1);
    expect(await found({ '>': [{ var: 'Close' }, '2024-02-29'] })).toBe(5);
    expect(await found({ '<': [{ var: 'At' }, '9999-12-31T23:59:59Z'] })).toBe(5);
    expect(await found({ '>=': [{ var: 'At' }, '0001-01-01'] })).toBe(5);
    expect(await found({ '==': [{ var: 'At' }, '2026-02-10T17:00:00+08:00'] })).toBe(1);
  });

  it('are refused in saved views, and a view stored with one (written in SQL) lists instead of failing for good', async () => {
    await refused(server, () => client.post(`${sheet()}/views`, { name: 'Feb', config: { filter: { '==': [{ var: 'Close' }, '2026-02-30'] } } }), {
      place: 'config.filter',
      problem: /Close: expects a date/,
    });
    const view = await client.post(`${sheet()}/views`, { name: 'Broken later', config: { filter: { '==': [{ var: 'Close' }, '2026-03-10'] }, sort: '-Amount' } });
    expect(view.status).toBe(201);
    await refused(server, () => client.patch(`${sheet()}/views/${view.body.id}`, { config: { filter: { '>': [{ var: 'At' }, '0000-01-01T00:00:00Z'] } } }), { place: 'config.filter' });

    const closeId = view.body.config.filter['=='][0].var;
    const sort: string = view.body.config.sort;
    await sql`UPDATE views SET config = ${JSON.stringify({ filter: { '==': [{ var: closeId }, '2026-02-30'] }, sort, search: 'Deal' })}::jsonb WHERE id = ${view.body.id}`.execute(server.db);
    const views = await client.get(`${sheet()}/views`);
    expect(views.status).toBe(200);
    const stored = views.body.find((v: { id: string }) => v.id === view.body.id);
    // The filter that no longer runs is dropped; the rest of the view stays.
    expect(stored.config).toEqual({ sort, search: 'Deal' });
    const listed = await client.post(`${sheet()}/records/query`, stored.config);
    expect(listed.status).toBe(200);
    expect(listed.body.records).toHaveLength(5);
    // Asked for directly, the stored filter answers 400, not 500.
    await refused(server, () => client.get(filterUrl({ '==': [{ var: closeId }, '2026-02-30'] })), { place: 'filter' });
  });

  it('in formulas and rules: impossible literals are refused, shifts beyond the calendar are empty', async () => {
    await refused(server, () => client.post(`${sheet()}/fields`, { name: 'Days', type: 'formula', options: { expression: 'DATEDIF("2026-02-30", {Close}, "day")' } }), { place: 'Days', problem: /"2026-02-30" is not a date/ });
    await refused(server, () => client.post(`${sheet()}/rules`, { condition: { '<': [{ var: 'Close' }, { dateadd: ['2026-02-30', 1, 'day'] }] }, message: 'x' }), {
      place: 'condition',
      problem: /"2026-02-30" is not a date that exists/,
    });
    const far = await client.post(`${sheet()}/fields`, { name: 'Far', type: 'formula', options: { expression: 'DATEADD({Close}, 99999999999, "day")' } });
    expect(far.status).toBe(201);
    const back = await client.post(`${sheet()}/fields`, { name: 'Back', type: 'formula', options: { expression: 'DATEADD(DATEADD({At}, -3000000, "day"), -3000000, "day")' } });
    expect(back.status).toBe(201);
    const list = await client.get(`${sheet()}/records?sort=Far,-Back`);
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { fields: Record<string, unknown> }) => [r.fields.Far, r.fields.Back])).toEqual(Array(5).fill([undefined, undefined]));
    // A rule whose date arithmetic leaves the calendar reads it as empty; the write is judged, not a 500.
    const rule = await client.post(`${sheet()}/rules`, { condition: { '!': [{ '<': [{ dateadd: [{ var: 'Close' }, 1e20, 'day'] }, '2026-01-01'] }] }, message: 'Too far' });
    expect(rule.status).toBe(201);
    expect((await client.post(`${sheet()}/records`, { fields: { Name: 'Ruled', Close: '2026-06-01' } })).status).toBe(201);
    for (const id of [far.body.id, back.body.id]) expect((await client.delete(`${sheet()}/fields/${id}`)).status).toBe(200);
    expect((await client.delete(`${sheet()}/rules/${rule.body.id}`)).status).toBe(204);
  });

  it('are refused in record values and form conditions', async () => {
    await refused(server, () => client.post(`${sheet()}/records`, { fields: { Name: 'x', Close: '2026-02-30' } }), { place: 'Close' });
    await refused(server, () => client.post(`${sheet()}/records`, { fields: { Name: 'x', At: '0000-06-01T00:00:00Z' } }), { place: 'At' });
    const layout = { tabs: [{ id: 't', title: 'Main', visibleWhen: { '>': [{ var: 'Close' }, '2026-02-30'] }, sections: [] }] };
    await refused(server, () => client.post(`${sheet()}/forms`, { name: 'Form', layout }), { place: 'layout.t.visibleWhen', problem: /is not a date that exists/ });
  });
});

describe('autonumber filters', () => {
  it('refuse numbers beyond a bigint, fractions, negatives, exponents and another prefix', async () => {
    for (const value of ['Q-99999999999999999999', 99999999999999999999, 1e30, 1.5, -1, '-1', 'X-000001', 'Q-', 'Q-1.5', 'Q-1e3', true, ['Q-1']]) {
      for (const op of ['==', '<', '!=']) {
        await refused(server, () => client.get(filterUrl({ [op]: [{ var: 'No' }, value] })), { place: 'filter', problem: /^No: expects/ });
      }
    }
    await refused(server, () => client.get(filterUrl({ in: [{ var: 'No' }, ['Q-000001', 'Q-99999999999999999999']] })), { place: 'filter' });
  });

  it('find records by number or by their own prefix', async () => {
    for (const value of [2, '2', 'Q-000002', 'q-2', 'Q-2 ']) {
      const res = await client.get(filterUrl({ '==': [{ var: 'No' }, value] }));
      expect(res.status, String(value)).toBe(200);
      expect(res.body.records.map((r: { fields: { Name: string } }) => r.fields.Name), String(value)).toEqual(['Deal 2']);
    }
    expect((await client.get(filterUrl({ '>': [{ var: 'No' }, '9223372036854775807'] }))).body.records).toEqual([]);
  });
});

describe('edited cursors', () => {
  const edit = (cursor: string, change: (json: string) => string) => {
    const [payload, signature] = cursor.split('.');
    return `${Buffer.from(change(Buffer.from(payload!, 'base64url').toString('utf8'))).toString('base64url')}.${signature}`;
  };

  it('answer 400 "cursor is not valid" whatever part was changed', async () => {
    const page = await client.get(`${sheet()}/records?limit=2&sort=-Amount,Close`);
    const cursor: string = page.body.nextCursor;
    const edits = [
      edit(cursor, (j) => j.replace(/"id":"\d+"/, '"id":"99999999999999999999"')),
      edit(cursor, (j) => j.replace(/"k":\[[^\]]*\]/, '"k":["1e999999","2026-02-30"]')),
      edit(cursor, (j) => j.replace(/"k":\[[^\]]*\]/, `"k":["0","x'); DROP TABLE users; --"]`)),
      edit(cursor, (j) => j.replace(/"k":\[[^\]]*\]/, '"k":[null,null]')),
      cursor.slice(0, -2),
      `${cursor}x`,
      cursor.replace('.', ''),
      Buffer.from(JSON.stringify({ s: '', k: [], id: '1' })).toString('base64url'),
      'not a cursor',
    ];
    for (const bad of edits) {
      const error = await refused(server, () => client.get(`${sheet()}/records?limit=2&sort=-Amount,Close&cursor=${encodeURIComponent(bad)}`), { place: 'cursor', problem: /^is not valid$/ });
      expect(error.message).toMatch(/^cursor is not valid/);
    }
    // A cursor of another sort, or of another sheet, is not one of this listing.
    await refused(server, () => client.get(`${sheet()}/records?limit=2&sort=Amount,Close&cursor=${encodeURIComponent(cursor)}`), { place: 'cursor' });
    await refused(server, () => client.post(`${sheet()}/records/query`, { limit: 2, sort: '-Amount', cursor }), { place: 'cursor' });
  });

  it('are read back by every server on the database (the key is shared, not per process)', async () => {
    const { buildApp } = await import('../../server/app.js');
    const { createEngine } = await import('../../schema-engine/index.js');
    const { clientOf } = await import('../helpers/server.js');
    const other = await buildApp({ engine: createEngine(server.db, () => {}), dataDir: '/nonexistent', logLevel: 'silent', clientDir: '/nonexistent' });
    try {
      const first = await client.get(`${sheet()}/records?limit=2&sort=-Amount`);
      const login = await other.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owner@example.com', password: 'correct horse' } });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const second = await clientOf(other, cookie).get(`${sheet()}/records?limit=2&sort=-Amount&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.status).toBe(200);
      expect(second.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['Deal 3', 'Deal 2']);
    } finally {
      await other.close();
    }
  });
});
