// The primary field's sort index: built with the sheet, moved with the primary field, rebuilt with its type, repaired
// at start, and used by the planner for a sorted page.
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairSortIndexes } from '../schema-engine/index.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { statementsOf } from './helpers/statements.js';

let server: TestServer;
let client: Client;
let ws: string;
let sheetId: string;
let nameId: string;
let codeId: string;
const records = () => `/api/w/${ws}/sheets/Deals/records`;

/** The sheet's sort indexes as `o_<field id>: column`. */
async function sortIndexes(): Promise<string[]> {
  const rows = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = ${`ws_${ws}`} AND tablename = ${`s_${sheetId}`} AND indexname LIKE 'o\\_%'
    ORDER BY indexname`.execute(server.db);
  return rows.rows.map((r) => `${r.indexname}: ${/\((\S+), id\) WHERE/.exec(r.indexdef)?.[1] ?? r.indexdef}`);
}

/** The plan of the page statement a listing sends. */
async function planOf(query: string): Promise<string> {
  let status = 0;
  const statements = await statementsOf(async () => {
    status = (await client.get(`${records()}?${query}`)).status;
  });
  expect(status).toBe(200);
  const page = statements.find((s) => /ORDER BY/.test(s.text))!;
  const plan = await server.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${page.text}`, page.values));
  return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Code', type: 'text' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
    ],
  });
  expect(sheet.status).toBe(201);
  sheetId = sheet.body.id;
  [nameId, codeId] = sheet.body.fields.map((f: { id: string }) => f.id);
  for (let batch = 0; batch < 3; batch++) {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ fields: { Name: `Deal ${String(batch * 1000 + i).padStart(5, '0')}`, Code: String((i * 7919) % 1000) } }));
    expect((await client.post(records(), { records: rows })).status).toBe(201);
  }
  await sql`ANALYZE ${sql.id(`ws_${ws}`, `s_${sheetId}`)}`.execute(server.db);
});
afterAll(() => server.close());

describe('sort index of the primary field', () => {
  it('is built with the sheet and serves a page sorted by the primary field, first and next', async () => {
    expect(await sortIndexes()).toEqual([`o_${nameId}: f_${nameId}`]);
    expect(await planOf('sort=Name&limit=50')).toContain(`o_${nameId}`);
    const filtered = encodeURIComponent(JSON.stringify({ '>=': [{ var: 'Name' }, 'Deal 01500'] }));
    expect(await planOf(`sort=Name&limit=50&filter=${filtered}`)).toContain(`o_${nameId}`);
    // The next page starts where the cursor is: the row comparison is the index scan's condition, not a filter.
    const first = await client.get(`${records()}?sort=Name&limit=50`);
    const next = await planOf(`sort=Name&limit=50&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(next).toMatch(new RegExp(`Index Scan using o_${nameId} .*\\n\\s+Index Cond: \\(ROW\\(f_${nameId}, id\\) > ROW\\(`));
  });

  it('pages a sort by the primary field through ties and empty values, ascending and descending', async () => {
    const names = ['b', '', 'a', 'c', 'b', '', 'a', 'b', 'd', '', 'c', 'b'];
    const people = await client.post(`/api/w/${ws}/sheets`, { name: 'People', fields: [{ name: 'Name', type: 'text' }] });
    const created = await client.post(`/api/w/${ws}/sheets/People/records`, { records: names.map((Name) => ({ fields: Name ? { Name } : {} })) });
    expect([people.status, created.status]).toEqual([201, 201]);
    const ids: string[] = created.body.records.map((r: { id: string }) => r.id);
    const expected = (descending: boolean) =>
      names
        .map((name, i) => ({ name, id: ids[i]! }))
        .sort((x, y) => (!x.name !== !y.name ? (x.name ? -1 : 1) : x.name !== y.name ? (x.name < y.name) === !descending ? -1 : 1 : Number(x.id) - Number(y.id)))
        .map((r) => r.id);
    for (const [sort, descending] of [['Name', false], ['-Name', true]] as const) {
      for (const limit of [1, 2, 5]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { body: { records: { id: string }[]; nextCursor: string | null } } = await client.get(
            `/api/w/${ws}/sheets/People/records?sort=${sort}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          seen.push(...page.body.records.map((r) => r.id));
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(seen, `${sort} by ${limit}`).toEqual(expected(descending));
      }
    }
  });

  it('moves with the primary field and follows its type', async () => {
    expect((await client.patch(`/api/w/${ws}/sheets/Deals`, { primaryField: 'Code' })).status).toBe(200);
    expect(await sortIndexes()).toEqual([`o_${codeId}: f_${codeId}`]);
    // A number sorts by its column too; the column put aside in the trash loses its index.
    expect((await client.patch(`/api/w/${ws}/sheets/Deals/fields/Code`, { type: 'number' })).status).toBe(200);
    expect(await sortIndexes()).toEqual([`o_${codeId}: f_${codeId}`]);
    const column = await sql<{ type: string }>`
      SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      WHERE i.indexrelid = ${`ws_${ws}.o_${codeId}`}::regclass`.execute(server.db);
    expect(column.rows[0]!.type).toBe('numeric');
    // Undoing the type change brings back the text column, indexed.
    const [item] = (await client.get(`/api/w/${ws}/trash`)).body.filter((t: { fieldId: string }) => t.fieldId === codeId);
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect(await sortIndexes()).toEqual([`o_${codeId}: f_${codeId}`]);
    // A field made primary through its own PATCH takes the index along.
    expect((await client.patch(`/api/w/${ws}/sheets/Deals/fields/Name`, { primary: true })).status).toBe(200);
    expect(await sortIndexes()).toEqual([`o_${nameId}: f_${nameId}`]);
  });

  it('is not built for a primary field sorted by something else than its column (choices by their order)', async () => {
    expect((await client.patch(`/api/w/${ws}/sheets/Deals`, { primaryField: 'Stage' })).status).toBe(200);
    expect(await sortIndexes()).toEqual([]);
    expect((await client.patch(`/api/w/${ws}/sheets/Deals`, { primaryField: 'Name' })).status).toBe(200);
    expect(await sortIndexes()).toEqual([`o_${nameId}: f_${nameId}`]);
  });

  it('is rebuilt at start when missing (sheets made before it existed)', async () => {
    expect(await repairSortIndexes(server.engine)).toBe(0);
    await sql`DROP INDEX ${sql.id(`ws_${ws}`, `o_${nameId}`)}`.execute(server.db);
    expect(await repairSortIndexes(server.engine)).toBe(1);
    await server.buildIndexes();
    expect(await sortIndexes()).toEqual([`o_${nameId}: f_${nameId}`]);
  });
});

describe('owner index of the owner field', () => {
  /** The owner indexes of a sheet as `w_<field id>: column`. */
  async function ownerIndexes(sheet: string): Promise<string[]> {
    const rows = await sql<{ indexname: string; indexdef: string }>`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = ${`ws_${ws}`} AND tablename = ${`s_${sheet}`} AND indexname LIKE 'w\\_%'
      ORDER BY indexname`.execute(server.db);
    return rows.rows.map((r) => `${r.indexname}: ${/\((\S+), id\) WHERE \(deleted_at IS NULL\)/.exec(r.indexdef)?.[1] ?? r.indexdef}`);
  }

  it('is built with the owner field, follows options.owner, and is rebuilt at start when missing', async () => {
    const sheet = await client.post(`/api/w/${ws}/sheets`, { name: 'Owned', fields: [{ name: 'Title', type: 'text' }, { name: 'Owner', type: 'user', options: { owner: true } }, { name: 'Helper', type: 'user' }] });
    expect(sheet.status).toBe(201);
    const [, ownerId, helperId] = sheet.body.fields.map((f: { id: string }) => f.id);
    expect(await ownerIndexes(sheet.body.id)).toEqual([`w_${ownerId}: f_${ownerId}`]);
    // Another field becomes the owner field: the index moves with it.
    expect((await client.patch(`/api/w/${ws}/sheets/Owned/fields/Owner`, { options: { owner: false } })).status).toBe(200);
    expect(await ownerIndexes(sheet.body.id)).toEqual([]);
    expect((await client.patch(`/api/w/${ws}/sheets/Owned/fields/Helper`, { options: { owner: true } })).status).toBe(200);
    expect(await ownerIndexes(sheet.body.id)).toEqual([`w_${helperId}: f_${helperId}`]);
    expect(await repairSortIndexes(server.engine)).toBe(0);
    await sql`DROP INDEX ${sql.id(`ws_${ws}`, `w_${helperId}`)}`.execute(server.db);
    expect(await repairSortIndexes(server.engine)).toBe(1);
    await server.buildIndexes();
    expect(await ownerIndexes(sheet.body.id)).toEqual([`w_${helperId}: f_${helperId}`]);
  });
});
