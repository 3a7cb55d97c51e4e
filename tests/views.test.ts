import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let fields: Record<string, string>;
const views = (path = '') => `/api/w/${ws}/sheets/Deals/views${path}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup('owner@example.com'));
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }, { name: 'Lost' }] } },
      { name: 'Notes', type: 'long_text' },
    ],
  });
  fields = Object.fromEntries(sheet.body.fields.map((f: { name: string; id: string }) => [f.name, f.id]));
  await client.post(`/api/w/${ws}/sheets/Deals/records`, {
    records: [
      { fields: { Name: 'a', Amount: 0.1, Stage: 'Won' } },
      { fields: { Name: 'b', Amount: 0.2, Stage: 'Won' } },
      { fields: { Name: 'c', Amount: 5, Stage: 'New' } },
      { fields: { Name: 'd', Amount: 7 } },
    ],
  });
});
afterAll(() => server.close());

describe('saved views', () => {
  it('saves a named grid view with fields by name, stored and shown by id', async () => {
    const res = await client.post(views(), {
      name: 'Big deals',
      config: { filter: { '>=': [{ var: 'Amount' }, 1] }, sort: '-Amount,Name', hiddenFields: ['Notes'], fieldOrder: ['Amount', 'Name'], fieldWidths: { Name: 240 }, rowHeight: 'tall' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Big deals',
      type: 'grid',
      version: 1,
      config: {
        filter: { '>=': [{ var: fields.Amount }, 1] },
        sort: `-${fields.Amount},${fields.Name}`,
        hiddenFields: [fields.Notes],
        fieldOrder: [fields.Amount, fields.Name],
        fieldWidths: { [fields.Name!]: 240 },
        rowHeight: 'tall',
      },
    });
    // The stored filter and sort run as they are through the records API.
    const { filter, sort } = res.body.config;
    const list = await client.get(`/api/w/${ws}/sheets/Deals/records?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=${encodeURIComponent(sort)}`);
    expect(list.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['d', 'c']);
  });

  it('refuses bad settings naming them, and duplicate names', async () => {
    const bad = async (config: unknown, key: string) => {
      const res = await client.post(views(), { name: 'x', config });
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect(Object.keys(res.body.error.details.fields)[0]).toBe(key);
    };
    await bad({ hiddenFields: ['Nope'] }, 'config.hiddenFields');
    await bad({ filter: { '>>': [1, 2] } }, 'config.filter');
    await bad({ sort: 'Nope' }, 'config.sort');
    await bad({ rowHeight: 'huge' }, 'config.rowHeight');
    const kanban = await client.post(views(), { name: 'Board', type: 'kanban', config: { groupBy: 'Name' } });
    expect(kanban.body.error.details.fields['config.groupBy']).toMatch(/single select/);
    const dup = await client.post(views(), { name: 'big DEALS' });
    expect(dup.status).toBe(400);
  });

  it('saves a kanban, updates with a version, 409 on a stale one, deletes', async () => {
    const board = await client.post(views(), { name: 'Pipeline', type: 'kanban', config: { groupBy: 'Stage', cardFields: ['Name', 'Amount'], sumField: 'Amount' } });
    expect(board.status).toBe(201);
    const renamed = await client.patch(views(`/${board.body.id}`), { name: 'Pipeline by stage', version: 1, config: { cardFields: ['Name'] } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Pipeline by stage', version: 2, config: { groupBy: fields.Stage, cardFields: [fields.Name], sumField: fields.Amount } });
    const stale = await client.patch(views(`/${board.body.id}`), { name: 'Other', version: 1 });
    expect(stale.status).toBe(409);
    expect((await client.get(views())).body.map((v: { name: string }) => v.name)).toEqual(['Big deals', 'Pipeline by stage']);
    expect((await client.delete(views(`/${board.body.id}`))).status).toBe(204);
    expect((await client.delete(views(`/${board.body.id}`))).status).toBe(404);
  });

  it('forgets deleted fields in a view', async () => {
    await client.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Tmp', type: 'text' });
    const view = await client.post(views(), { name: 'With tmp', config: { hiddenFields: ['Tmp', 'Notes'], sort: 'Tmp' } });
    await client.delete(`/api/w/${ws}/sheets/Deals/fields/Tmp`);
    const read = (await client.get(views())).body.find((v: { id: string }) => v.id === view.body.id);
    expect(read.config).toEqual({ hiddenFields: [fields.Notes] });
  });
});

describe('groups (kanban columns)', () => {
  it('counts and sums records per choice in choice order, empty ones last, exactly', async () => {
    const res = await client.get(`/api/w/${ws}/sheets/Deals/groups?field=Stage&sum=Amount`);
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { value: 'New', count: 1, sum: 5 },
      { value: 'Won', count: 2, sum: 0.3 },
      { value: 'Lost', count: 0, sum: 0 },
      { value: null, count: 1, sum: 7 },
    ]);
    const filtered = await client.get(`/api/w/${ws}/sheets/Deals/groups?field=Stage&search=a`);
    expect(filtered.body.groups.map((g: { count: number }) => g.count)).toEqual([0, 1, 0, 0]);
    expect((await client.get(`/api/w/${ws}/sheets/Deals/groups?field=Name`)).status).toBe(400);
    expect((await client.get(`/api/w/${ws}/sheets/Deals/groups?field=Stage&sum=Name`)).status).toBe(400);
  });
});

describe('members', () => {
  it('lists the people of the workspace', async () => {
    const res = await client.get(`/api/w/${ws}/members`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ id: expect.any(String), name: expect.any(String), email: 'owner@example.com', role: 'owner', roleId: expect.any(String), teams: [], active: true }]);
  });
});
