// A sheet's one trigram search index over its text-like fields: kept in step with field adds, deletes, type changes
// and restores (built concurrently by a job each change queues), repaired at start, and used by the planner.
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairSearchIndexes } from '../schema-engine/index.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { statementsOf } from './helpers/statements.js';

let server: TestServer;
let client: Client;
let ws: string;

const sheetPath = (name: string) => `/api/w/${ws}/sheets/${encodeURIComponent(name)}`;

interface IndexRow {
  name: string;
  columns: string[];
  valid: boolean;
  statistics: number;
}

/** The search indexes of a sheet's table, with the columns (by current name) their expression reads. */
async function searchIndexes(sheetId: string): Promise<IndexRow[]> {
  await server.buildIndexes();
  const rows = await sql<{ name: string; def: string; valid: boolean; statistics: number }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid, a.attstattarget AS statistics
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_attribute a ON a.attrelid = i.indexrelid AND a.attnum = 1
    WHERE i.indrelid = ${`ws_${ws}.s_${sheetId}`}::regclass AND c.relname LIKE 'x\\_%' ORDER BY c.relname`.execute(server.db);
  return rows.rows.map((r) => ({ name: r.name, columns: [...r.def.matchAll(/COALESCE\((\w+),/g)].map((m) => m[1]!), valid: r.valid, statistics: r.statistics }));
}

const columnsOf = (...fieldIds: string[]) => fieldIds.sort().map((id) => `f_${id}`);

async function search(sheet: string, term: string): Promise<string[]> {
  const res = await client.get(`${sheetPath(sheet)}/records?limit=1000&search=${encodeURIComponent(term)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.records.map((r: { fields: { Name: string } }) => r.fields.Name).sort();
}

async function addField(sheet: string, name: string, type: string): Promise<string> {
  const res = await client.post(`${sheetPath(sheet)}/fields`, { name, type });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function restoreLatest(fieldId: string): Promise<void> {
  const items = (await client.get(`/api/w/${ws}/trash`)).body.filter((t: { fieldId: string }) => t.fieldId === fieldId);
  expect((await client.post(`/api/w/${ws}/trash/${items[0].id}/restore`)).status).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(() => server.close());

describe('the search index of a sheet', () => {
  let sheetId: string;
  let nameId: string;
  let emailId: string;

  beforeAll(async () => {
    const res = await client.post(`/api/w/${ws}/sheets`, {
      name: 'People',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Email', type: 'email' },
        { name: 'Age', type: 'number' },
        { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Lead' }] } },
      ],
    });
    expect(res.status).toBe(201);
    sheetId = res.body.id;
    [nameId, emailId] = res.body.fields.map((f: { id: string }) => f.id);
    const records = [
      { Name: 'Ann', Email: 'ann@example.com', Age: 30 },
      { Name: '陳小明', Email: 'ming@example.tw' },
      { Name: 'Bob' },
    ];
    expect((await client.post(`${sheetPath('People')}/records`, { records: records.map((fields) => ({ fields })) })).status).toBe(201);
  });

  it('is one valid index over the text-like columns, sampled for the planner, built with the sheet', async () => {
    const [index, ...others] = await searchIndexes(sheetId);
    expect(others).toEqual([]);
    expect(index).toMatchObject({ columns: columnsOf(nameId, emailId), valid: true, statistics: 1000 });
    expect(index!.name).toMatch(new RegExp(`^x_${sheetId}_[0-9a-f]{10}$`));
  });

  it('follows a text field added, deleted and restored from the trash', async () => {
    const noteId = await addField('People', 'Note', 'long_text');
    expect((await client.patch(`${sheetPath('People')}/records/1`, { fields: { Note: 'Met at the fair' } })).status).toBe(200);
    expect((await searchIndexes(sheetId)).map((i) => i.columns)).toEqual([columnsOf(nameId, emailId, noteId)]);
    expect(await search('People', 'FAIR')).toEqual(['Ann']);

    expect((await client.delete(`${sheetPath('People')}/fields/Note`)).status).toBe(200);
    expect((await searchIndexes(sheetId)).map((i) => i.columns)).toEqual([columnsOf(nameId, emailId)]);
    expect(await search('People', 'fair')).toEqual([]);

    await restoreLatest(noteId);
    expect((await searchIndexes(sheetId)).map((i) => i.columns)).toEqual([columnsOf(nameId, emailId, noteId)]);
    expect(await search('People', 'fair')).toEqual(['Ann']);
  });

  it('leaves the index alone for a field that is not text', async () => {
    const before = await searchIndexes(sheetId);
    await addField('People', 'Score', 'rating');
    expect(await searchIndexes(sheetId)).toEqual(before);
  });

  it('follows type changes and their undo, always over the field\'s current column', async () => {
    const codeId = await addField('People', 'Code', 'text');
    expect((await client.patch(`${sheetPath('People')}/records/2`, { fields: { Code: '424' } })).status).toBe(200);
    expect(await search('People', '424')).toEqual(['陳小明']);

    // Text to number: out of the index. Undone: back in, over the column restored from the trash.
    expect((await client.patch(`${sheetPath('People')}/fields/Code`, { type: 'number' })).status).toBe(200);
    expect((await searchIndexes(sheetId)).flatMap((i) => i.columns)).not.toContain(`f_${codeId}`);
    expect(await search('People', '424')).toEqual([]);
    await restoreLatest(codeId);
    expect((await searchIndexes(sheetId)).map((i) => i.columns)).toEqual([expect.arrayContaining([`f_${codeId}`])]);
    expect(await search('People', '424')).toEqual(['陳小明']);

    // Text to text-like: the same set of fields, a new column: the index is built again over it.
    expect((await client.patch(`${sheetPath('People')}/fields/Code`, { type: 'phone' })).status).toBe(200);
    const [index] = await searchIndexes(sheetId);
    expect(index).toMatchObject({ valid: true, columns: expect.arrayContaining([`f_${codeId}`]) });
    expect(await search('People', '424')).toEqual(['陳小明']);
    expect((await client.patch(`${sheetPath('People')}/records/2`, { fields: { Code: '+886 2 1234' } })).status).toBe(200);
    expect(await search('People', '886')).toEqual(['陳小明']);
  });

  it('never matches across two fields, and still finds a term holding the separator in one field', async () => {
    expect((await client.post(`${sheetPath('People')}/records`, { fields: { Name: 'x\u001fy', Email: 'y@x.com' } })).status).toBe(201);
    expect(await search('People', 'ann')).toEqual(['Ann']);
    // "Ann" ends the name and "ann@" starts the email: joined they read "Ann\u001fann@", which no term spans.
    expect(await search('People', 'annann')).toEqual([]);
    expect(await search('People', 'x\u001fy')).toEqual(['x\u001fy']);
    expect(await search('People', 'n\u001fa')).toEqual([]);
  });

  it('is rebuilt at start when missing or invalid, and an earlier index per field is dropped', async () => {
    const [index] = await searchIndexes(sheetId);
    expect(await repairSearchIndexes(server.engine)).toBe(0);
    await sql`DROP INDEX ${sql.id(`ws_${ws}`, index!.name)}`.execute(server.db);
    // An index per field, as sheets had before one per sheet.
    await sql`CREATE INDEX ${sql.id(`x_${nameId}`)} ON ${sql.id(`ws_${ws}`, `s_${sheetId}`)} USING gin (${sql.id(`f_${nameId}`)} gin_trgm_ops)`.execute(server.db);
    expect(await repairSearchIndexes(server.engine)).toBe(1);
    expect(await searchIndexes(sheetId)).toEqual([index]);
    // A build that failed half-way leaves an invalid index under the right name: dropped and built again.
    await sql`UPDATE pg_index SET indisvalid = false WHERE indexrelid = ${`ws_${ws}.${index!.name}`}::regclass`.execute(server.db);
    expect(await repairSearchIndexes(server.engine)).toBe(1);
    expect(await searchIndexes(sheetId)).toEqual([index]);
  });
});

describe('a search on a sheet of many records', () => {
  it('is planned in sessions that price a page read out of order like one in order (server/database.ts)', async () => {
    expect((await sql<{ random_page_cost: string }>`SHOW random_page_cost`.execute(server.db)).rows[0]!.random_page_cost).toBe('1.1');
  });

  it('is served by the sheet\'s search index for a rare term, and by the id order for a common one', async () => {
    const res = await client.post(`/api/w/${ws}/sheets`, { name: 'Many', fields: [{ name: 'Name', type: 'text' }, { name: 'City', type: 'text' }] });
    expect(res.status).toBe(201);
    const sheetId = res.body.id;
    for (let batch = 0; batch < 4; batch++) {
      const records = Array.from({ length: 1000 }, (_, i) => ({ fields: { Name: `Customer ${batch * 1000 + i}`, City: (batch * 1000 + i) % 500 === 7 ? '台北市信義區' : 'Kaohsiung' } }));
      expect((await client.post(`${sheetPath('Many')}/records`, { records })).status).toBe(201);
    }
    // As autovacuum leaves it: the index's list of pending entries merged in (scanning that list would cost a search
    // more than reading 4,000 rows), statistics fresh.
    await sql`VACUUM ANALYZE ${sql.id(`ws_${ws}`, `s_${sheetId}`)}`.execute(server.db);
    const [index] = await searchIndexes(sheetId);

    const planOf = async (term: string) => {
      const statements = await statementsOf(() => search('Many', term));
      const page = statements.find((s) => / LIKE /.test(s.text))!;
      const plan = await server.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${page.text}`, page.values));
      return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    expect(await search('Many', '信義')).toHaveLength(8);
    expect(await planOf('信義區')).toContain(`Bitmap Index Scan on ${index!.name}`);
    expect(await planOf('kaohsiung')).not.toContain('Bitmap');
  });
});
