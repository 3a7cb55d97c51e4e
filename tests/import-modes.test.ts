import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../schema-engine/index.js';
import { Statistics } from '../schema-engine/imports/statistics.js';
import { runImport as runImportJob } from '../schema-engine/index.js';
import { uploadTo } from './helpers/files.js';
import { allRecords, runImport, uploadImport, waitForImport } from './helpers/imports.js';
import { inviteMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

/**
 * What an import does with bad rows (abort: nothing written; skip: the others written, the bad ones listed), keys
 * (upsert), links to missing records, a cancel (nothing written, not even the new sheet), and bad requests: each
 * a 400, 403, 404, 409 or 413 naming the problem, never a 500.
 */
let server: TestServer;
let owner: Client;
let ws: string;

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  ({ client: owner, workspaceId: ws } = await server.setup());
  const orders = await owner.post(`/api/w/${ws}/sheets`, {
    name: 'Orders',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'number', options: { precision: 2 } },
      { name: 'Email', type: 'email', unique: true },
      { name: 'Total', type: 'formula', options: { expression: '{Amount} * 2' } },
    ],
  });
  expect(orders.status).toBe(201);
});
afterAll(async () => {
  await server?.close();
});

/** Ten orders; the fifth (row 6, after the header) has an amount that is no number. */
const ORDERS = ['Name,Amount,Email', ...Array.from({ length: 10 }, (_, i) => `Order ${i + 1},${i === 4 ? 'abc' : `"1,${i}00.50"`},o${i + 1}@example.com`)].join('\n');
const ORDER_MAPPING = { Name: 'Name', Amount: 'Amount', Email: 'Email' };

describe('bad rows', () => {
  it('abort: one bad row leaves nothing written, and says why in the language of the request', async () => {
    const upload = await uploadImport(owner, ws, 'orders.csv', ORDERS);
    const done = await runImport(owner, ws, upload.id, { sheet: 'Orders', mapping: ORDER_MAPPING, mode: 'insert', onError: 'abort' }, { 'accept-language': 'zh-TW,zh;q=0.9' });
    expect(done).toMatchObject({ status: 'failed', inserted: 0, updated: 0, problemCount: 1, problems: [{ row: 6, column: 'Amount', value: 'abc', reason: '不是數字' }] });
    expect(done.error).toContain('沒有寫入任何資料');
    expect(await allRecords(owner, ws, 'Orders')).toEqual([]);
  });

  it('skip: the bad row is listed and every other one written', async () => {
    const upload = await uploadImport(owner, ws, 'orders.csv', ORDERS);
    const done = await runImport(owner, ws, upload.id, { sheet: 'Orders', mapping: ORDER_MAPPING, mode: 'insert', onError: 'skip' });
    expect(done).toMatchObject({ status: 'done', processed: 10, inserted: 9, skipped: 1, problemCount: 1, problems: [{ row: 6, column: 'Amount', value: 'abc', reason: 'is not a number' }] });
    const records = await allRecords(owner, ws, 'Orders');
    expect(records).toHaveLength(9);
    expect(records[0]!.fields).toEqual({ Name: 'Order 1', Amount: 1000.5, Email: 'o1@example.com', Total: 2001 });
  });

  it('skip: rows the engine refuses (a unique value taken) are found among the good ones and listed', async () => {
    const csv = 'Name,Amount,Email\nNew A,1,a@example.com\nTaken,2,o3@example.com\nNew B,3,b@example.com\nTwice,4,a@example.com\n';
    const upload = await uploadImport(owner, ws, 'more.csv', csv);
    const done = await runImport(owner, ws, upload.id, { sheet: 'Orders', mapping: ORDER_MAPPING, mode: 'insert', onError: 'skip' });
    expect(done).toMatchObject({ status: 'done', inserted: 2, skipped: 2, problemCount: 2 });
    expect(done.problems.map((p: { row: number; column: string }) => [p.row, p.column])).toEqual([
      [3, 'Email'],
      [5, 'Email'],
    ]);
    expect(done.problems[0].reason).toContain('must be unique');
    expect((await allRecords(owner, ws, 'Orders')).map((r) => r.fields.Name)).toEqual(expect.arrayContaining(['New A', 'New B']));
  });
});

describe('upsert', () => {
  it('updates the records whose key matches (ignoring case), adds the others, leaves empty cells alone', async () => {
    const csv = 'Email,Amount,Name\nO1@EXAMPLE.com,5,\no2@example.com,6,Renamed\nnew@example.com,7,Brand new\n';
    const upload = await uploadImport(owner, ws, 'upsert.csv', csv);
    const done = await runImport(owner, ws, upload.id, { sheet: 'Orders', mapping: { Email: 'Email', Amount: 'Amount', Name: 'Name' }, mode: 'upsert', key: 'Email', onError: 'abort' });
    expect(done).toMatchObject({ status: 'done', inserted: 1, updated: 2, skipped: 0, problemCount: 0 });
    const byEmail = new Map((await allRecords(owner, ws, 'Orders')).map((r) => [r.fields.Email, r]));
    expect(byEmail.get('o1@example.com')!.fields).toMatchObject({ Name: 'Order 1', Amount: 5 });
    expect(byEmail.get('o2@example.com')!.fields).toMatchObject({ Name: 'Renamed', Amount: 6 });
    expect(byEmail.get('new@example.com')!.fields).toMatchObject({ Name: 'Brand new', Amount: 7 });
    const history = await owner.get(`/api/w/${ws}/sheets/Orders/records/${byEmail.get('o2@example.com')!.id}/history`);
    expect(history.body[0]).toMatchObject({ action: 'update', changes: { Name: { from: 'Order 2', to: 'Renamed' } }, via: { importId: upload.id } });
  });

  it('lists a key repeated in the file instead of writing it twice', async () => {
    const upload = await uploadImport(owner, ws, 'twice.csv', 'Email,Amount\nnew@example.com,8\nNEW@example.com,9\n');
    const done = await runImport(owner, ws, upload.id, { sheet: 'Orders', mapping: { Email: 'Email', Amount: 'Amount' }, mode: 'upsert', key: 'Email', onError: 'skip' });
    expect(done).toMatchObject({ status: 'done', updated: 1, skipped: 1, problems: [{ row: 3, column: 'Email', value: 'NEW@example.com', reason: 'repeats the key "NEW@example.com" of row 2' }] });
  });
});

describe('mapping suggestions', () => {
  it("matches columns to fields by name in either language of the templates, ignoring case, width and '_'", async () => {
    expect((await owner.post(`/api/w/${ws}/templates/leads/install`, { language: 'en' })).status).toBe(201);
    const upload = await uploadImport(owner, ws, '名單.csv', '姓名,電子郵件,ＰＨＯＮＥ,job_title,Notes here\n王小明,ming@example.com,0912-345-678,經理,hello\n');
    const suggested = await owner.get(`/api/w/${ws}/imports/${upload.id}/mapping?sheet=Leads`);
    expect(suggested.status).toBe(200);
    expect(suggested.body.mapping).toMatchObject({ 姓名: 'Name', 電子郵件: 'Email', ＰＨＯＮＥ: 'Phone', job_title: 'Job title', 'Notes here': { new: { name: 'Notes here', type: 'text' } } });
    const done = await runImport(owner, ws, upload.id, { sheet: 'Leads', mapping: { ...suggested.body.mapping, 'Notes here': null }, mode: 'insert', onError: 'abort' });
    expect(done).toMatchObject({ status: 'done', inserted: 1 });
    expect((await allRecords(owner, ws, 'Leads')).find((r) => r.fields.Name === '王小明')!.fields).toMatchObject({ Email: 'ming@example.com', Phone: '0912-345-678', 'Job title': '經理' });
  });
});

describe('links', () => {
  it('creates the linked records nothing matches when asked, several values split by commas', async () => {
    expect((await owner.post(`/api/w/${ws}/sheets`, { name: 'Products', fields: [{ name: 'Name', type: 'text' }] })).status).toBe(201);
    expect((await owner.post(`/api/w/${ws}/sheets/Products/records`, { fields: { Name: 'Alpha' } })).status).toBe(201);
    const csv = 'Line,Products\nL1,alpha\nL2,"Beta, Gamma"\nL3,Beta\n';
    const upload = await uploadImport(owner, ws, 'lines.csv', csv);
    const link = { new: { name: 'Products', type: 'link', options: { sheet: 'Products', relationship: 'many_to_many', inverseName: 'Lines' } } };
    const missing = await runImport(owner, ws, upload.id, { newSheet: 'Lines', mapping: { Line: { new: { name: 'Line', type: 'text' } }, Products: link }, mode: 'insert', onError: 'abort' });
    expect(missing).toMatchObject({ status: 'failed', problemCount: 3 });
    expect(missing.problems.map((p: { value: string }) => p.value)).toEqual(['Beta', 'Gamma', 'Beta']);
    expect((await owner.get(`/api/w/${ws}/sheets/Lines`)).status).toBe(404);

    const again = await uploadImport(owner, ws, 'lines.csv', csv);
    const made = await runImport(owner, ws, again.id, { newSheet: 'Lines', mapping: { Line: { new: { name: 'Line', type: 'text' } }, Products: link }, mode: 'insert', onError: 'abort', createMissingLinks: true });
    expect(made).toMatchObject({ status: 'done', inserted: 3, problemCount: 0 });
    expect((await allRecords(owner, ws, 'Products')).map((r) => r.fields.Name).sort()).toEqual(['Alpha', 'Beta', 'Gamma']);
    const lines = await allRecords(owner, ws, 'Lines');
    expect(lines.map((l) => [l.fields.Line, (l.fields.Products as { title: string }[]).map((p) => p.title)])).toEqual([
      ['L1', ['Alpha']],
      ['L2', ['Beta', 'Gamma']],
      ['L3', ['Beta']],
    ]);
  });
});

describe('link matching', () => {
  it('matches by name as names compare (case, width, ß), else by a unique field, and names a value two records share', async () => {
    const made = await owner.post(`/api/w/${ws}/sheets`, { name: 'Vendors', fields: [{ name: 'Name', type: 'text' }, { name: 'Code', type: 'text', unique: true }] });
    expect(made.status).toBe(201);
    const vendors = [
      { Name: 'Acme Corp', Code: 'V-001' },
      { Name: 'Straße Werke', Code: 'V-002' },
      { Name: '台北商行', Code: 'V-003' },
      { Name: 'Twin', Code: 'V-004' },
      { Name: 'twin', Code: 'V-005' },
    ];
    const created = await owner.post(`/api/w/${ws}/sheets/Vendors/records`, { records: vendors.map((fields) => ({ fields })) });
    expect(created.status).toBe(201);
    const id = new Map<string, string>(created.body.records.map((r: { id: string }, i: number) => [vendors[i]!.Name, r.id]));
    // Rows 2-7 match; row 8 names two vendors; row 9 none. "Self" links each row to an earlier row of the same file.
    const csv = [
      'Bill,Vendor,Self',
      'B1,  acme CORP ,',
      'B2,ＡＣＭＥ Corp,B1',
      'B3,STRASSE WERKE,B2',
      'B4,台北商行,',
      'B5,v-002,B1',
      'B6,​Acme Corp,',
      'B7,TWIN,',
      'B8,Nobody,',
    ].join('\n');
    const upload = await uploadImport(owner, ws, 'bills.csv', csv);
    const self = { new: { name: 'Self', type: 'link', options: { sheet: 'Bills', relationship: 'many_to_one', inverseName: 'Later' } } };
    const mapping = { Bill: { new: { name: 'Bill', type: 'text' } }, Vendor: { new: { name: 'Vendor', type: 'link', options: { sheet: 'Vendors', relationship: 'many_to_one', inverseName: 'Bills' } } } };
    // A self link needs the sheet first: the bills are imported into it, then linked by a second import (upsert).
    const first = await runImport(owner, ws, upload.id, { newSheet: 'Bills', mapping, mode: 'insert', onError: 'skip' });
    expect(first).toMatchObject({ status: 'done', inserted: 6, skipped: 2 });
    expect(first.problems.map((p: { row: number; value: string }) => [p.row, p.value])).toEqual([
      [8, 'TWIN'],
      [9, 'Nobody'],
    ]);
    const bills = await allRecords(owner, ws, 'Bills');
    expect(bills.map((b) => [b.fields.Bill, (b.fields.Vendor as { id: string }[]).map((v) => v.id)])).toEqual([
      ['B1', [id.get('Acme Corp')]],
      ['B2', [id.get('Acme Corp')]],
      ['B3', [id.get('Straße Werke')]],
      ['B4', [id.get('台北商行')]],
      ['B5', [id.get('Straße Werke')]],
      ['B6', [id.get('Acme Corp')]],
    ]);
    const linked = await uploadImport(owner, ws, 'bills.csv', csv);
    const second = await runImport(owner, ws, linked.id, { sheet: 'Bills', mapping: { Bill: 'Bill', Self: self }, mode: 'upsert', key: 'Bill', onError: 'skip' });
    expect(second).toMatchObject({ status: 'done', updated: 6, inserted: 2, problemCount: 0 });
    const after = new Map((await allRecords(owner, ws, 'Bills')).map((b) => [b.fields.Bill, b]));
    expect((after.get('B2')!.fields.Self as { id: string }[]).map((s) => s.id)).toEqual([after.get('B1')!.id]);
    expect((after.get('B5')!.fields.Self as { id: string }[]).map((s) => s.id)).toEqual([after.get('B1')!.id]);
  });
});

describe('cancel', () => {
  it('cancelled before its job runs, an import writes nothing', async () => {
    // A second server without a job runner: the job waits, and is run here by hand after the cancel.
    const quiet = await startTestServer();
    try {
      const { client, workspaceId } = await quiet.setup();
      const upload = await uploadImport(client, workspaceId, 'orders.csv', ORDERS.replace('abc', '5'));
      const started = await client.post(`/api/w/${workspaceId}/imports/${upload.id}/start`, { newSheet: 'Orders', mapping: { Name: { new: { name: 'Name', type: 'text' } } }, mode: 'insert', onError: 'abort' });
      expect(started.status).toBe(202);
      const cancelled = await client.post(`/api/w/${workspaceId}/imports/${upload.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('running');
      await runImportJob(quiet.engine, upload.id, `${quiet.dataDir}/files/${workspaceId}/${upload.id}`);
      expect((await client.get(`/api/w/${workspaceId}/imports/${upload.id}`)).body).toMatchObject({ status: 'cancelled', inserted: 0, error: 'Cancelled; nothing was written' });
      expect((await client.get(`/api/w/${workspaceId}/sheets/Orders`)).status).toBe(404);
    } finally {
      await quiet.close();
    }
  });

  it('cancelled while it runs, an import leaves nothing: no records, not even its new sheet', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `Item ${i},${i},${i % 7 === 0 ? 'yes' : 'no'}`);
    const upload = await uploadImport(owner, ws, 'bulk.csv', ['Name,Count,Flag', ...rows].join('\n'));
    expect(upload.rowCount).toBe(30_000);
    const mapping = (await owner.get(`/api/w/${ws}/imports/${upload.id}/mapping`)).body.mapping;
    const started = await owner.post(`/api/w/${ws}/imports/${upload.id}/start`, { newSheet: 'Bulk', mapping, mode: 'insert', onError: 'skip' });
    expect(started.status).toBe(202);
    // Once the first batch is through (written in the import's transaction, not yet committed), cancel.
    await until('the first batch', async () => (await owner.get(`/api/w/${ws}/imports/${upload.id}`)).body.processed >= 1000);
    const cancel = await owner.post(`/api/w/${ws}/imports/${upload.id}/cancel`);
    expect(cancel.status).toBe(200);
    const ended = await waitForImport(owner, ws, upload.id);
    expect(ended).toMatchObject({ status: 'cancelled', inserted: 0, updated: 0 });
    expect((await owner.get(`/api/w/${ws}/sheets/Bulk`)).status).toBe(404);
    const again = await owner.post(`/api/w/${ws}/imports/${upload.id}/cancel`);
    expect(again.status).toBe(409);
  });
});

describe('bad requests', () => {
  const start = (id: string, body: unknown) => owner.post(`/api/w/${ws}/imports/${id}/start`, body);

  it('refuses files it cannot read, naming the file', async () => {
    const png = await uploadTo(owner, `/api/w/${ws}/imports`, 'logo.csv', 'text/csv', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    expect(png.status).toBe(400);
    expect(png.body.error.details.fields.file).toContain('not a CSV');
    const empty = await uploadTo(owner, `/api/w/${ws}/imports`, 'empty.csv', 'text/csv', '');
    expect(empty.status).toBe(400);
    const encoding = await uploadTo(owner, `/api/w/${ws}/imports`, 'a.csv', 'text/csv', 'a\n1\n', { encoding: 'ebcdic' });
    expect(encoding.status).toBe(400);
    expect(encoding.body.error.details.fields).toHaveProperty('encoding');
    const none = await owner.post(`/api/w/${ws}/imports`, { file: 'a,b' });
    expect(none.status).toBe(400);
  });

  it('refuses a file over 100 MB with 413, keeping nothing', async () => {
    const files = async () => (await readdir(path.join(server.dataDir, 'files', ws))).sort();
    const before = await files();
    const big = Buffer.alloc(100 * 1024 * 1024 + 1024, 0x61);
    const res = await uploadTo(owner, `/api/w/${ws}/imports`, 'big.csv', 'text/csv', big);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('100 MB');
    expect(await files()).toEqual(before);
  });

  it('refuses a bad start naming what is wrong, and a second start with 409', async () => {
    const upload = await uploadImport(owner, ws, 'orders.csv', ORDERS);
    const base = { sheet: 'Orders', mapping: ORDER_MAPPING, mode: 'insert', onError: 'skip' };
    const cases: [unknown, number, string][] = [
      [{ ...base, mapping: { Nope: 'Name' } }, 400, 'mapping.Nope'],
      [{ ...base, mapping: { Name: 'Nothing' } }, 400, 'mapping.Name'],
      [{ ...base, mapping: { Name: 'Total' } }, 400, 'mapping.Name'],
      [{ ...base, mapping: { Name: 42 } }, 400, 'mapping.Name'],
      [{ ...base, mapping: { Name: null } }, 400, 'mapping'],
      [{ ...base, mapping: { Name: 'Name', Email: 'Name' } }, 400, 'mapping.Email'],
      [{ ...base, mapping: { Name: { new: { name: 'Extra', type: 'colour' } } } }, 400, 'mapping.Name.new'],
      [{ ...base, mapping: { Name: { new: { name: 'amount', type: 'text' } } } }, 400, 'mapping.Name.new.name'],
      [{ ...base, newSheet: 'Orders 2' }, 400, 'sheet'],
      [{ ...base, sheet: undefined }, 400, 'sheet'],
      [{ ...base, sheet: 'Nowhere' }, 404, ''],
      [{ ...base, mode: 'upsert' }, 400, 'key'],
      [{ ...base, mode: 'upsert', key: 'Total' }, 400, 'key'],
      [{ ...base, mode: 'merge' }, 400, 'mode'],
      [{ ...base, onError: 'ignore' }, 400, 'onError'],
      [{ ...base, dateOrder: 'ydm' }, 400, 'dateOrder'],
      [{ ...base, extra: 1 }, 400, ''],
    ];
    for (const [body, status, field] of cases) {
      const res = await start(upload.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (field) expect(Object.keys(res.body.error.details.fields), JSON.stringify(body)).toContain(field);
    }
    expect((await owner.get(`/api/w/${ws}/imports/${upload.id}`)).body.status).toBe('previewed');
    expect((await start(upload.id, base)).status).toBe(202);
    const twice = await start(upload.id, base);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('already started');
    await waitForImport(owner, ws, upload.id);
    expect((await owner.post(`/api/w/${ws}/imports/${upload.id}/preview`, { encoding: 'big5' })).status).toBe(409);
  });

  it('shows an import to the one who uploaded it only, and lets no viewer import', async () => {
    const upload = await uploadImport(owner, ws, 'orders.csv', ORDERS);
    const editor = await inviteMember(server, owner, ws, 'editor@example.com', 'editor');
    const viewer = await inviteMember(server, owner, ws, 'viewer@example.com', 'viewer');
    for (const path of ['', '/problems.csv', '/mapping']) expect((await editor.client.get(`/api/w/${ws}/imports/${upload.id}${path}`)).status).toBe(404);
    expect((await editor.client.post(`/api/w/${ws}/imports/${upload.id}/start`, { sheet: 'Orders', mapping: ORDER_MAPPING, mode: 'insert', onError: 'skip' })).status).toBe(404);
    expect((await editor.client.post(`/api/w/${ws}/imports/${upload.id}/cancel`)).status).toBe(404);
    expect((await owner.get(`/api/w/${ws}/imports/impnothing0000`)).status).toBe(404);
    const refused = await uploadTo(viewer.client, `/api/w/${ws}/imports`, 'orders.csv', 'text/csv', ORDERS);
    expect(refused.status).toBe(403);
    // An editor imports into a sheet, but makes no new sheet or field (design).
    const mine = await uploadImport(editor.client, ws, 'orders.csv', ORDERS);
    const design = await editor.client.post(`/api/w/${ws}/imports/${mine.id}/start`, { newSheet: 'Mine', mapping: { Name: { new: { name: 'Name', type: 'text' } } }, mode: 'insert', onError: 'skip' });
    expect(design.status).toBe(403);
    const mapping = (await editor.client.get(`/api/w/${ws}/imports/${mine.id}/mapping?sheet=Orders`)).body;
    expect(mapping).toEqual({ sheet: expect.any(String), mapping: { Name: 'Name', Amount: 'Amount', Email: 'Email' } });
  });
});

describe('planner statistics', () => {
  it('samples a table the import writes again once it outgrew its statistics, inside the one transaction', async () => {
    const reltuples = async (trx: Transaction<Database>) =>
      Number((await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE oid = 'public.import_statistics_probe'::regclass`.execute(trx)).rows[0]!.n);
    const insert = (trx: Transaction<Database>, from: number, count: number) =>
      sql`INSERT INTO public.import_statistics_probe (id) SELECT g FROM generate_series(${from}::bigint, ${from + count - 1}::bigint) AS g`.execute(trx);
    const rolledBack = new Error('rolled back');
    await expect(
      server.db.transaction().execute(async (trx) => {
        await sql`CREATE TABLE public.import_statistics_probe (id bigint PRIMARY KEY, deleted_at timestamptz)`.execute(trx);
        await insert(trx, 1, 10);
        const statistics = new Statistics(trx, [{ schema: 'public', table: 'import_statistics_probe', columns: ['id', 'deleted_at'] }]);
        // Never sampled: sampled at once, counting the transaction's own rows.
        expect(await reltuples(trx)).toBe(-1);
        await statistics.refresh();
        expect(await reltuples(trx)).toBe(10);
        // 20,000 rows later, autovacuum cannot see them: the statistics still say 10 until the import looks again.
        await insert(trx, 11, 20_000);
        expect(await reltuples(trx)).toBe(10);
        await statistics.written(20_000);
        expect(await reltuples(trx)).toBe(20_010);
        // A little more is not worth a sampling: the next look is at twice the rows.
        await insert(trx, 20_011, 500);
        await statistics.written(500);
        expect(await reltuples(trx)).toBe(20_010);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  });
});
