import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/010_name_keys.js';
import { startTestServer, type Client, type TestServer } from '../helpers/server.js';
import { refused } from './refused.js';

/*
 * Names that look the same are the same: sheets, fields, choices, documents, forms and views compared after NFKC,
 * case folding and removing invisible characters, by the API and by the database's unique indexes alike.
 */
let server: TestServer;
let client: Client;
let ws: string;
const sheet = () => `/api/w/${ws}/sheets/Deals`;
const LOOK_ALIKES = ['Ｎａｍｅ', 'Name\u200b', 'name', 'N\u00adame', '\ufeffNAME', 'Na\u2060me'];

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const created = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
      { name: 'Note', type: 'text' },
    ],
  });
  expect(created.status).toBe(201);
});
afterAll(() => server.close());

describe('look-alike names are refused as duplicates', () => {
  it('for fields, added or renamed, and within one new sheet', async () => {
    for (const name of LOOK_ALIKES) {
      await refused(server, () => client.post(`${sheet()}/fields`, { name, type: 'text' }), { place: 'name', problem: /already used by another field/ });
      await refused(server, () => client.patch(`${sheet()}/fields/Note`, { name }), { place: 'name' });
    }
    const error = await refused(server, () => client.post(`/api/w/${ws}/sheets`, { name: 'Twins', fields: [{ name: 'Total', type: 'number' }, { name: 'ＴＯＴＡＬ', type: 'number' }] }));
    expect(error.details!.fields).toEqual({ ＴＯＴＡＬ: 'looks the same as "Total": two fields of this sheet have this name' });
  });

  it('for sheets, created or renamed', async () => {
    for (const name of ['Ｄｅａｌｓ', 'Deals\u200b', 'DEALS', '\u00adDeals']) {
      await refused(server, () => client.post(`/api/w/${ws}/sheets`, { name }), { place: 'name', problem: /already used by another sheet/ });
    }
    expect((await client.post(`/api/w/${ws}/sheets`, { name: 'Leads' })).status).toBe(201);
    await refused(server, () => client.patch(`/api/w/${ws}/sheets/Leads`, { name: 'ｄｅａｌｓ' }), { place: 'name' });
  });

  it('for choices of one field', async () => {
    for (const choices of [[{ name: 'A' }, { name: 'a' }], [{ name: 'Won' }, { name: 'ＷＯＮ' }], [{ name: 'x' }, { name: 'x\u200b' }]]) {
      const error = await refused(server, () => client.post(`${sheet()}/fields`, { name: 'Choice', type: 'multi_select', options: { choices } }), { place: 'Choice', problem: /is listed twice|looks the same as/ });
      // The message names the option as people read it, not its path (options.choices stays in details.fields).
      expect(error.message).toMatch(/Choices of "Choice"/);
    }
    await refused(server, () => client.patch(`${sheet()}/fields/Stage`, { options: { choices: [{ name: 'Won' }, { name: 'Lost' }, { name: 'won' }] } }), { place: 'Stage' });
  });

  it('for documents, forms and views of one sheet', async () => {
    for (const what of ['documents', 'forms', 'views']) {
      expect((await client.post(`${sheet()}/${what}`, { name: 'Quote' })).status, what).toBe(201);
      await refused(server, () => client.post(`${sheet()}/${what}`, { name: 'Ｑｕｏｔｅ\u200b' }), { place: 'name', problem: /already used/ });
    }
  });

  it('in a template import naming two fields alike', async () => {
    const template = { key: 'alike', name: 'Alike', description: 'x', sheets: [{ key: 's', name: 'Alike', fields: [{ key: 'a', name: 'Code', type: 'text' }, { key: 'b', name: 'ＣＯＤＥ', type: 'text' }] }] };
    await refused(server, () => client.post(`/api/w/${ws}/template-import`, { template }), { place: 'template', problem: /two have the en name "ＣＯＤＥ"/ });
  });
});

describe('stored names', () => {
  it('lose invisible characters, keeping the joiners of emoji and scripts', async () => {
    const created = await client.post(`${sheet()}/fields`, { name: '\ufeffTo\u00adtal\u200b ', type: 'number' });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('Total');
    const emoji = await client.post(`${sheet()}/fields`, { name: '👩\u200d💻 Dev\u200d', type: 'text' });
    expect(emoji.body.name).toBe('👩\u200d💻 Dev');
    const choices = await client.post(`${sheet()}/fields`, { name: 'Size', type: 'single_select', options: { choices: [{ name: 'S\u200b' }, { name: 'M' }] } });
    expect(choices.body.options.choices.map((c: { name: string }) => c.name)).toEqual(['S', 'M']);
    await refused(server, () => client.post(`${sheet()}/fields`, { name: '\u200b\u00ad', type: 'text' }), { place: 'name', problem: /must not be empty|visible/ });
  });

  it('come back from the trash under a free name when a look-alike took theirs', async () => {
    const field = await client.post(`${sheet()}/fields`, { name: 'Region', type: 'text' });
    expect((await client.delete(`${sheet()}/fields/Region`)).status).toBe(200);
    expect((await client.post(`${sheet()}/fields`, { name: 'ＲＥＧＩＯＮ', type: 'text' })).status).toBe(201);
    const trash = (await client.get(`/api/w/${ws}/trash`)).body.find((t: { fieldId: string }) => t.fieldId === field.body.id);
    const restored = await client.post(`/api/w/${ws}/trash/${trash.id}/restore`);
    expect(restored.status).toBe(200);
    const names = (await client.get(sheet())).body.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('Region (2)');
  });

  it('the database refuses a look-alike too: its unique index is on the same key', async () => {
    const row = await sql<{ name_key: string }>`SELECT name_key FROM fields WHERE name = 'Total' AND deleted_at IS NULL`.execute(server.db);
    expect(row.rows[0]!.name_key).toBe('total');
    const [sheetRow] = (await sql<{ id: string }>`SELECT id FROM sheets WHERE name = 'Deals'`.execute(server.db)).rows;
    await expect(
      sql`INSERT INTO fields (id, workspace_id, sheet_id, name, name_key, type, position) VALUES ('fldlookalike0001', ${ws}, ${sheetRow!.id}, 'ＴＯＴＡＬ', 'total', 'text', 99)`.execute(server.db),
    ).rejects.toMatchObject({ code: '23505', constraint: 'fields_live_name_key' });
  });
});

describe('migration 010', () => {
  it('gives existing rows their key, renaming the later of two live look-alikes', async () => {
    const db = server.db;
    await down(db);
    const [sheetRow] = (await sql<{ id: string }>`SELECT id FROM sheets WHERE name = 'Deals'`.execute(db)).rows;
    // Allowed by the old lower(name) index: fullwidth and zero-width look-alikes.
    await sql`INSERT INTO fields (id, workspace_id, sheet_id, name, type, position, created_at) VALUES
      ('fldmigrate000001', ${ws}, ${sheetRow!.id}, 'Ｃｏｄｅ', 'text', 100, now() + interval '1 hour'),
      ('fldmigrate000002', ${ws}, ${sheetRow!.id}, 'Code', 'text', 101, now()),
      ('fldmigrate000003', ${ws}, ${sheetRow!.id}, 'Code\u200b', 'text', 102, now() + interval '2 hours')`.execute(db);
    await up(db);
    const rows = await sql<{ id: string; name: string; name_key: string }>`SELECT id, name, name_key FROM fields WHERE id LIKE 'fldmigrate%' ORDER BY id`.execute(db);
    expect(rows.rows).toEqual([
      { id: 'fldmigrate000001', name: 'Ｃｏｄｅ (2)', name_key: 'code (2)' },
      { id: 'fldmigrate000002', name: 'Code', name_key: 'code' },
      { id: 'fldmigrate000003', name: 'Code\u200b (3)', name_key: 'code (3)' },
    ]);
    const missing = await sql<{ n: string }>`SELECT count(*) AS n FROM fields WHERE name_key IS NULL`.execute(db);
    expect(missing.rows[0]!.n).toBe('0');
    const indexes = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename IN ('sheets', 'fields', 'documents') AND indexname LIKE '%name%' ORDER BY 1`.execute(db);
    expect(indexes.rows.map((r) => r.indexname)).toEqual(['documents_sheet_name_key', 'fields_live_name_key', 'sheets_live_name_key']);
  });
});
