import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let sheetId: string;
const url = (path = '') => `/api/w/${ws}/sheets/Deals/records${path}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text', required: true },
      { name: 'Amount', type: 'currency', options: { currency: 'TWD', precision: 0 } },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Prospecting' }, { name: 'Won' }, { name: 'Lost' }] }, defaultValue: 'Prospecting' },
      { name: 'Code', type: 'text', unique: true },
    ],
  });
  sheetId = sheet.body.id;
});
afterAll(() => server.close());

const rowCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)}`.execute(server.db)).rows[0]!.n);

describe('create', () => {
  it('creates one record, applying defaults and omitting empty values', async () => {
    const res = await client.post(url(), { fields: { Name: 'Acme renewal', Amount: 120000, Code: '' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), version: 1, fields: { Name: 'Acme renewal', Amount: 120000, Stage: 'Prospecting' } });
    expect(res.body.fields).not.toHaveProperty('Code');
    expect(new Date(res.body.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('creates a batch in order, by field names or ids', async () => {
    const sheet = (await client.get(`/api/w/${ws}/sheets/Deals`)).body;
    const amountId = sheet.fields[1].id;
    const res = await client.post(url(), { records: [{ fields: { Name: 'B1', [amountId]: 5 } }, { fields: { Name: 'B2', Stage: 'Won' } }, { fields: { Name: 'B3' } }] });
    expect(res.status).toBe(201);
    expect(res.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['B1', 'B2', 'B3']);
    expect(res.body.records[0].fields.Amount).toBe(5);
  });

  it('writes 1000 records in one request, or none of them', async () => {
    const before = await rowCount();
    const good = Array.from({ length: 1000 }, (_, i) => ({ fields: { Name: `Bulk ${i}`, Amount: i } }));
    const bad = good.map((r, i) => (i === 500 ? { fields: { Name: 'Broken', Amount: 'lots' } } : r));
    const refused = await client.post(url(), { records: bad });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.records).toEqual([{ index: 500, fields: { Amount: expect.any(String) } }]);
    expect(refused.body.error.details.fields).toHaveProperty('Amount');
    expect(await rowCount()).toBe(before);
    const accepted = await client.post(url(), { records: good });
    expect(accepted.status).toBe(201);
    expect(accepted.body.records).toHaveLength(1000);
    expect(await rowCount()).toBe(before + 1000);
    expect((await client.post(url(), { records: [...good, good[0]] })).status).toBe(400);
  });

  it('refuses a batch whose records collide on a unique field, writing none', async () => {
    const before = await rowCount();
    const res = await client.post(url(), { records: [{ fields: { Name: 'U1', Code: 'X-1' } }, { fields: { Name: 'U2', Code: 'X-1' } }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Code).toMatch(/unique/);
    expect(await rowCount()).toBe(before);
  });

  it('requires required fields and names every bad field', async () => {
    const res = await client.post(url(), { fields: { Amount: 'ten', Stage: 'Maybe' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['Amount', 'Name', 'Stage']);
    expect(res.body.error.details.fields.Name).toBe('is required');
    expect(res.body.error.details.fields.Stage).toContain('Maybe');
  });
});

describe('read, update, delete, restore', () => {
  let id: string;

  it('reads a record by id', async () => {
    id = (await client.post(url(), { fields: { Name: 'Globex', Amount: 900 } })).body.id;
    const res = await client.get(url(`/${id}`));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, version: 1, fields: { Name: 'Globex', Amount: 900, Stage: 'Prospecting' } });
  });

  it('answers concurrent reads, which share one statement, each with its own record or 404', async () => {
    const created = (await client.post(url(), { records: [{ fields: { Name: 'C1' } }, { fields: { Name: 'C2', Amount: 7 } }, { fields: { Name: 'C3' } }] })).body.records;
    const [c1, c2, c3] = created.map((r: { id: string }) => r.id);
    await client.delete(url(`/${c3}`));
    const paths = [`/${c2}`, `/${c1}`, `/${c2}?cellFormat=string`, `/${c3}`, '/999999999', '/abc', `/${c1}`];
    const answers = await Promise.all(paths.map((p) => client.get(url(p))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404, 404, 404, 200]);
    expect(answers[0]!.body).toMatchObject({ id: c2, fields: { Name: 'C2', Amount: 7 } });
    expect(answers[1]!.body).toMatchObject({ id: c1, fields: { Name: 'C1' } });
    expect(answers[2]!.body.fields.Amount).toEqual(expect.any(String));
    expect(answers[6]!.body).toEqual(answers[1]!.body);
  });

  it('updates with the current version and bumps it', async () => {
    const res = await client.patch(url(`/${id}`), { fields: { Amount: 1200, Stage: 'Won' }, version: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, fields: { Name: 'Globex', Amount: 1200, Stage: 'Won' } });
  });

  it('answers 409 on a stale version and changes nothing', async () => {
    const res = await client.patch(url(`/${id}`), { fields: { Amount: 1 }, version: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version_conflict');
    expect(res.body.error.details.current.fields.Amount).toBe(1200);
    expect((await client.get(url(`/${id}`))).body).toMatchObject({ version: 2, fields: { Amount: 1200 } });
  });

  it('clears a value with null but never a required one', async () => {
    expect((await client.patch(url(`/${id}`), { fields: { Amount: null } })).body.fields).not.toHaveProperty('Amount');
    const res = await client.patch(url(`/${id}`), { fields: { Name: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Name).toBe('is required');
  });

  it('soft-deletes: gone from the API, kept in the table, restorable', async () => {
    expect((await client.delete(url(`/${id}`))).status).toBe(200);
    expect((await client.get(url(`/${id}`))).status).toBe(404);
    expect((await client.patch(url(`/${id}`), { fields: { Name: 'x' } })).status).toBe(404);
    const list = (await client.get(url(`?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Name' }, 'Globex'] }))}`))).body.records;
    expect(list).toEqual([]);
    const row = await sql<{ deleted_at: Date | null }>`SELECT deleted_at FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)} WHERE id = ${id}`.execute(server.db);
    expect(row.rows[0]!.deleted_at).toBeInstanceOf(Date);
    const restored = await client.post(url(`/${id}/restore`));
    expect(restored.status).toBe(200);
    expect(restored.body.fields).toMatchObject({ Name: 'Globex', Stage: 'Won' });
    expect((await client.get(url(`/${id}`))).status).toBe(200);
    expect((await client.post(url(`/${id}/restore`))).status).toBe(404);
  });

  it('never lists deleted records, whatever the filter', async () => {
    await client.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Owner', type: 'user' });
    const gone = (await client.post(url(), { fields: { Name: 'Deleted deal', Owner: 'owner@example.com' } })).body.id;
    await client.delete(url(`/${gone}`));
    for (const filter of [{ '!=': [{ var: 'Owner' }, 'nobody@example.com'] }, { or: [{ is_empty: [{ var: 'Owner' }] }, { '==': [{ var: 'Name' }, 'x'] }] }]) {
      const res = await client.get(url(`?limit=1000&filter=${encodeURIComponent(JSON.stringify(filter))}`));
      expect(res.status).toBe(200);
      expect(res.body.records.map((r: { id: string }) => r.id)).not.toContain(gone);
    }
  });

  it('keeps the history of every change, newest first, with who did it', async () => {
    const res = await client.get(url(`/${id}/history`));
    expect(res.status).toBe(200);
    expect(res.body.map((h: { action: string }) => h.action)).toEqual(['restore', 'delete', 'update', 'update', 'create']);
    const [, , clear, update, create] = res.body;
    expect(create.changes).toEqual({ Name: { from: null, to: 'Globex' }, Amount: { from: null, to: 900 }, Stage: { from: null, to: 'Prospecting' } });
    expect(update.changes).toEqual({ Amount: { from: 900, to: 1200 }, Stage: { from: 'Prospecting', to: 'Won' } });
    expect(clear.changes).toEqual({ Amount: { from: 1200, to: null } });
    expect(create.by).toMatchObject({ email: 'owner@example.com' });
    expect(new Date(create.at).getTime()).toBeLessThanOrEqual(new Date(update.at).getTime());
  });

  it('shows renamed fields under their new name in history', async () => {
    await client.patch(`/api/w/${ws}/sheets/Deals/fields/Amount`, { name: 'Value' });
    const res = await client.get(url(`/${id}/history`));
    expect(res.body.at(-1).changes).toHaveProperty('Value');
    await client.patch(`/api/w/${ws}/sheets/Deals/fields/Value`, { name: 'Amount' });
  });
});

describe('who may write', () => {
  it('records who created and last updated a record', async () => {
    await client.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Created by', type: 'created_by' });
    await client.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Updated', type: 'updated_time' });
    const created = (await client.post(url(), { fields: { Name: 'Initech' } })).body;
    expect(created.fields['Created by']).toMatchObject({ email: 'owner@example.com', name: 'Owner' });
    expect(created.fields.Updated).toBe(created.updatedAt);
  });
});
