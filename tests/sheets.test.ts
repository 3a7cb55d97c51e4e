import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
const base = () => `/api/w/${ws}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(() => server.close());

async function columnsOf(sheetId: string): Promise<string[]> {
  const result = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = ${`ws_${ws}`} AND table_name = ${`s_${sheetId}`} ORDER BY ordinal_position`.execute(server.db);
  return result.rows.map((r) => r.column_name);
}

async function relfilenode(sheetId: string): Promise<number> {
  const result = await sql<{ relfilenode: number }>`SELECT relfilenode FROM pg_class WHERE oid = ${`ws_${ws}.s_${sheetId}`}::regclass`.execute(server.db);
  return result.rows[0]!.relfilenode;
}

describe('sheets', () => {
  it('creates a real table in the workspace schema with a column per field', async () => {
    const res = await client.post(`${base()}/sheets`, {
      name: 'Accounts',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Industry', type: 'single_select', options: { choices: [{ name: 'Retail' }, { name: 'Tech' }] } },
        { name: 'Created', type: 'created_time' },
      ],
    });
    expect(res.status).toBe(201);
    const sheet = res.body;
    expect(sheet.primaryFieldId).toBe(sheet.fields[0].id);
    expect(sheet.fields.map((f: { name: string }) => f.name)).toEqual(['Name', 'Industry', 'Created']);
    const columns = await columnsOf(sheet.id);
    expect(columns).toEqual(['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by', 'deleted_at', `f_${sheet.fields[0].id}`, `f_${sheet.fields[1].id}`]);
    expect((await client.get(`${base()}/sheets`)).body.map((s: { name: string }) => s.name)).toEqual(['Accounts']);
    expect((await client.get(`${base()}/sheets/Accounts`)).body.id).toBe(sheet.id);
    expect((await client.get(`${base()}/sheets/${sheet.id}`)).body.name).toBe('Accounts');
  });

  it('gives a sheet created without fields a primary "Name" field', async () => {
    const res = await client.post(`${base()}/sheets`, { name: 'Notes' });
    expect(res.status).toBe(201);
    expect(res.body.fields).toEqual([expect.objectContaining({ name: 'Name', type: 'text', id: res.body.primaryFieldId })]);
  });

  it('honours primary: true and refuses a checkbox as primary', async () => {
    const res = await client.post(`${base()}/sheets`, { name: 'Leads', fields: [{ name: 'Score', type: 'number' }, { name: 'Email', type: 'email', primary: true }] });
    expect(res.status).toBe(201);
    expect(res.body.primaryFieldId).toBe(res.body.fields[1].id);
    const bad = await client.post(`${base()}/sheets`, { name: 'Flags', fields: [{ name: 'Done', type: 'checkbox' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toHaveProperty('Done');
  });

  it('refuses a second sheet of the same name, in any case', async () => {
    const res = await client.post(`${base()}/sheets`, { name: 'accounts' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Accounts');
  });

  it('renames a sheet and changes its primary field', async () => {
    const created = (await client.post(`${base()}/sheets`, { name: 'Contacts', fields: [{ name: 'Name', type: 'text' }, { name: 'Phone', type: 'phone' }] })).body;
    const res = await client.patch(`${base()}/sheets/Contacts`, { name: '聯絡人 Contacts', primaryField: 'Phone' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '聯絡人 Contacts', primaryFieldId: created.fields[1].id });
    expect((await client.get(`${base()}/sheets/${encodeURIComponent('聯絡人 Contacts')}`)).status).toBe(200);
    expect((await client.get(`${base()}/sheets/Contacts`)).status).toBe(404);
    expect((await client.patch(`${base()}/sheets/${created.id}`, { primaryField: 'Nope' })).status).toBe(400);
  });

  it('deletes a sheet to the trash and restores it with its records', async () => {
    const sheet = (await client.post(`${base()}/sheets`, { name: 'Products', fields: [{ name: 'Name', type: 'text' }] })).body;
    await client.post(`${base()}/sheets/Products/records`, { records: [{ fields: { Name: 'GTX Pro' } }, { fields: { Name: 'MG Special' } }] });
    expect((await client.delete(`${base()}/sheets/Products`)).status).toBe(200);
    expect((await client.get(`${base()}/sheets/Products`)).status).toBe(404);
    expect(await columnsOf(sheet.id)).not.toEqual([]);
    const trash = (await client.get(`${base()}/trash`)).body;
    const item = trash.find((t: { sheetId: string; kind: string }) => t.sheetId === sheet.id && t.kind === 'sheet');
    expect(item).toMatchObject({ name: 'Products', kind: 'sheet' });
    // A new sheet takes the name meanwhile: the restored one comes back renamed, not failing.
    await client.post(`${base()}/sheets`, { name: 'Products' });
    expect((await client.post(`${base()}/trash/${item.id}/restore`)).status).toBe(200);
    const restored = (await client.get(`${base()}/sheets/${sheet.id}`)).body;
    expect(restored.name).toBe('Products (2)');
    const records = (await client.get(`${base()}/sheets/${sheet.id}/records?sort=Name`)).body.records;
    expect(records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['GTX Pro', 'MG Special']);
    expect((await client.get(`${base()}/trash`)).body.find((t: { id: string }) => t.id === item.id)).toBeUndefined();
  });

  it('answers 404 for an unknown sheet or trash item', async () => {
    expect((await client.get(`${base()}/sheets/Nowhere`)).status).toBe(404);
    expect((await client.delete(`${base()}/sheets/Nowhere`)).status).toBe(404);
    expect((await client.post(`${base()}/trash/trsnothing12345/restore`)).status).toBe(404);
  });
});

describe('fields', () => {
  it('adds a field without rewriting the table', async () => {
    const sheet = (await client.post(`${base()}/sheets`, { name: 'Big', fields: [{ name: 'Name', type: 'text' }] })).body;
    await client.post(`${base()}/sheets/Big/records`, { records: Array.from({ length: 200 }, (_, i) => ({ fields: { Name: `Row ${i}` } })) });
    const before = await relfilenode(sheet.id);
    for (const type of ['number', 'currency', 'date', 'single_select', 'multi_select', 'checkbox', 'user', 'attachment', 'long_text']) {
      const res = await client.post(`${base()}/sheets/Big/fields`, { name: `New ${type}`, type });
      expect(res.status).toBe(201);
    }
    // A rewrite would give the table a new file.
    expect(await relfilenode(sheet.id)).toBe(before);
    expect((await columnsOf(sheet.id)).length).toBe(7 + 1 + 9);
  });

  it('renames a field: records read under the new name', async () => {
    await client.post(`${base()}/sheets`, { name: 'Tasks', fields: [{ name: 'Title', type: 'text' }, { name: 'Due', type: 'date' }] });
    await client.post(`${base()}/sheets/Tasks/records`, { fields: { Title: 'Call', Due: '2026-12-01' } });
    const res = await client.patch(`${base()}/sheets/Tasks/fields/Due`, { name: 'Due date', description: 'When it must be done' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Due date', type: 'date', description: 'When it must be done' });
    const records = (await client.get(`${base()}/sheets/Tasks/records`)).body.records;
    expect(records[0].fields).toEqual({ Title: 'Call', 'Due date': '2026-12-01' });
  });

  it('refuses two fields of one name, also on rename', async () => {
    expect((await client.post(`${base()}/sheets/Tasks/fields`, { name: 'title', type: 'text' })).status).toBe(400);
    expect((await client.patch(`${base()}/sheets/Tasks/fields/Title`, { name: 'DUE DATE' })).status).toBe(400);
    const twice = await client.post(`${base()}/sheets`, { name: 'Twice', fields: [{ name: 'A', type: 'text' }, { name: 'a', type: 'number' }] });
    expect(twice.status).toBe(400);
    expect((await client.get(`${base()}/sheets/Twice`)).status).toBe(404);
  });

  it('deletes a field to the trash and restores it with its values', async () => {
    await client.post(`${base()}/sheets/Tasks/fields`, { name: 'Notes', type: 'long_text' });
    const created = (await client.post(`${base()}/sheets/Tasks/records`, { fields: { Title: 'Email', Notes: 'Send the quote' } })).body;
    expect((await client.delete(`${base()}/sheets/Tasks/fields/Notes`)).status).toBe(200);
    expect((await client.get(`${base()}/sheets/Tasks/records/${created.id}`)).body.fields).toEqual({ Title: 'Email' });
    expect((await client.post(`${base()}/sheets/Tasks/records`, { fields: { Notes: 'x' } })).status).toBe(400);
    const item = (await client.get(`${base()}/trash`)).body.find((t: { kind: string; name: string }) => t.kind === 'field' && t.name === 'Notes');
    expect((await client.post(`${base()}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await client.get(`${base()}/sheets/Tasks/records/${created.id}`)).body.fields).toEqual({ Title: 'Email', Notes: 'Send the quote' });
  });

  it('refuses to delete the primary field', async () => {
    const res = await client.delete(`${base()}/sheets/Tasks/fields/Title`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Title).toMatch(/primary/);
  });

  it('answers 404 for an unknown field', async () => {
    expect((await client.patch(`${base()}/sheets/Tasks/fields/Nope`, { name: 'x' })).status).toBe(404);
    expect((await client.delete(`${base()}/sheets/Tasks/fields/Nope`)).status).toBe(404);
  });

  it('refuses a link to a sheet that does not exist, naming the option', async () => {
    const res = await client.post(`${base()}/sheets/Tasks/fields`, { name: 'Account', type: 'link', options: { sheet: 'Nowhere' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Account).toBe('options.sheet: there is no sheet "Nowhere"');
  });
});

describe('schema changes under load', () => {
  it('answers 409 instead of hanging when the table is locked', async () => {
    const sheet = (await client.get(`${base()}/sheets/Tasks`)).body;
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`LOCK TABLE ws_${ws}.s_${sheet.id} IN ACCESS SHARE MODE`);
      const started = Date.now();
      const res = await client.post(`${base()}/sheets/Tasks/fields`, { name: 'Blocked', type: 'text' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('busy');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    // Nothing half-written: the catalog has no such field and a retry works.
    expect((await client.get(`${base()}/sheets/Tasks`)).body.fields.map((f: { name: string }) => f.name)).not.toContain('Blocked');
    expect((await client.post(`${base()}/sheets/Tasks/fields`, { name: 'Blocked', type: 'text' })).status).toBe(201);
  });

  it('serializes concurrent changes of one workspace', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => client.post(`${base()}/sheets/Tasks/fields`, { name: `Parallel ${i}`, type: 'number' })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const fields = (await client.get(`${base()}/sheets/Tasks`)).body.fields;
    const positions = await server.db.selectFrom('fields').select('position').where('name', 'like', 'Parallel %').execute();
    expect(new Set(positions.map((p) => p.position)).size).toBe(6);
    expect(fields.filter((f: { name: string }) => f.name.startsWith('Parallel')).length).toBe(6);
  });
});
