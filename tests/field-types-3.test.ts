import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './helpers/export.js';
import { uploadTo } from './helpers/files.js';
import { allRecords, runImport, uploadImport } from './helpers/imports.js';
import { addMember } from './helpers/members.js';
import { clientOf, sessionCookie, startTestServer, type Client, type TestServer } from './helpers/server.js';
import { newId } from '../schema-engine/index.js';

// duration (seconds, shown h:mm) and multi_user (several members): values, queries, computed fields, files, type changes.

let server: TestServer;
let client: Client;
let cookie: string;
let ws: string;
let owner: string;
let ann: string;
let bob: string;

const OWNER = 'owner@example.com';
const url = (sheet: string, path = '') => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}${path}`;
const q = (params: Record<string, unknown>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString();

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function names(sheet: string, params: Record<string, unknown>): Promise<string[]> {
  const body = await ok(client.get(`${url(sheet, '/records')}?${q({ limit: 1000, ...params })}`), 200);
  return body.records.map((r: any) => r.fields.Name);
}

async function download(path: string) {
  const res = await server.app.inject({ method: 'GET', url: path, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.rawPayload;
}

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  const res = await server.anonymous.post('/api/setup', { email: OWNER, password: 'correct horse', name: 'Owner' });
  cookie = sessionCookie(res.headers);
  client = clientOf(server.app, cookie);
  ws = res.body.workspace.id;
  owner = res.body.user.id;
  ann = (await addMember(server, ws, 'ann@example.com', 'editor')).userId;
  bob = (await addMember(server, ws, 'bob@example.com', 'editor')).userId;
  await server.db.insertInto('users').values({ id: newId('usr'), email: 'stranger@example.com', name: 'Stranger', password_hash: 'x' }).execute();
  await ok(
    client.post(`/api/w/${ws}/sheets`, {
      name: 'Calls',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Length', type: 'duration' },
        { name: 'Precise', type: 'duration', options: { format: 'h:mm:ss' } },
        { name: 'People', type: 'multi_user' },
      ],
    }),
  );
  await ok(
    client.post(url('Calls', '/records'), {
      records: [
        { fields: { Name: 'a', Length: 5400, Precise: 5415, People: ['ann@example.com', bob] } },
        { fields: { Name: 'b', Length: 600, People: [{ id: owner }] } },
        { fields: { Name: 'c', Length: 90000, People: ['BOB@example.com', 'bob@example.com'] } },
        { fields: { Name: 'd' } },
      ],
    }),
  );
});
afterAll(() => server.close());

describe('values', () => {
  it('reads durations as seconds and people as {id, name, email} in the order written, once each', async () => {
    const { records } = await ok(client.get(`${url('Calls', '/records')}?sort=Name`), 200);
    const byName = Object.fromEntries(records.map((r: any) => [r.fields.Name, r.fields]));
    expect(byName.a.Length).toBe(5400);
    expect(byName.a.Precise).toBe(5415);
    expect(byName.a.People).toEqual([
      { id: ann, name: 'ann', email: 'ann@example.com' },
      { id: bob, name: 'bob', email: 'bob@example.com' },
    ]);
    expect(byName.b.People).toEqual([{ id: owner, name: 'Owner', email: OWNER }]);
    expect(byName.c.People).toEqual([{ id: bob, name: 'bob', email: 'bob@example.com' }]);
    expect(byName.d.People).toBeUndefined();
    expect(byName.d.Length).toBeUndefined();
    // Whole seconds; an empty list clears.
    const updated = await ok(client.patch(url('Calls', `/records/${records[3].id}`), { fields: { Length: 61.6, People: [] } }), 200);
    expect(updated.fields.Length).toBe(62);
    expect(updated.fields.People).toBeUndefined();
    await ok(client.patch(url('Calls', `/records/${records[3].id}`), { fields: { Length: null } }), 200);
  });

  it('refuses bad values with 400 naming the field, in English and Traditional Chinese', async () => {
    const cases: [Record<string, unknown>, RegExp, RegExp][] = [
      [{ Length: '1:30' }, /^must be a number of seconds$/, /^必須是秒數$/],
      [{ People: 'ann@example.com' }, /^must be a list of user ids or email addresses$/, /^必須是使用者 ID 或電子郵件地址的清單$/],
      [{ People: ['ann@example.com', 'stranger@example.com'] }, /no member of this workspace has the id or email "stranger@example.com"/, /此工作區沒有 ID 或電子郵件為「stranger@example.com」的成員/],
    ];
    for (const [fields, en, zh] of cases) {
      const field = Object.keys(fields)[0]!;
      const english = await client.request('POST', url('Calls', '/records'), { fields: { Name: 'bad', ...fields } }, { 'accept-language': 'en' });
      expect(english.status).toBe(400);
      expect(english.body.error.details.fields[field]).toMatch(en);
      const chinese = await client.request('POST', url('Calls', '/records'), { fields: { Name: 'bad', ...fields } }, { 'accept-language': 'zh-TW' });
      expect(chinese.status).toBe(400);
      // details.fields stays machine-readable (English); details.messages says it in the asker's language.
      expect(chinese.body.error.details.fields[field]).toMatch(en);
      expect(chinese.body.error.details.messages[field]).toMatch(zh);
    }
    expect(await names('Calls', { filter: { '==': [{ var: 'Name' }, 'bad'] } })).toEqual([]);
  });
});

describe('queries', () => {
  it('filters and sorts durations as numbers', async () => {
    expect(await names('Calls', { filter: { '>=': [{ var: 'Length' }, 3600] }, sort: 'Length' })).toEqual(['a', 'c']);
    expect(await names('Calls', { sort: '-Length' })).toEqual(['c', 'a', 'b', 'd']);
    expect(await names('Calls', { filter: { is_empty: [{ var: 'Length' }] } })).toEqual(['d']);
  });

  it('filters people by contains, in and emptiness, sorts by the first name, and searches names and emails', async () => {
    const sorted = (list: string[]) => [...list].sort();
    expect(sorted(await names('Calls', { filter: { contains: [{ var: 'People' }, 'bob@example.com'] } }))).toEqual(['a', 'c']);
    expect(sorted(await names('Calls', { filter: { contains: [{ var: 'People' }, ['bob@example.com', ann]] } }))).toEqual(['a']);
    expect(sorted(await names('Calls', { filter: { in: [{ var: 'People' }, [ann, OWNER]] } }))).toEqual(['a', 'b']);
    expect(await names('Calls', { filter: { is_empty: [{ var: 'People' }] } })).toEqual(['d']);
    expect(sorted(await names('Calls', { filter: { is_not_empty: [{ var: 'People' }] } }))).toEqual(['a', 'b', 'c']);
    expect(await names('Calls', { filter: { contains: [{ var: 'People' }, 'stranger@example.com'] } })).toEqual([]);
    // By the first person's name, as a user field sorts (database collation: "Owner" before "ann").
    expect(await names('Calls', { sort: 'People,Name' })).toEqual(['b', 'a', 'c', 'd']);
    expect(sorted(await names('Calls', { search: 'BOB' }))).toEqual(['a', 'c']);
    expect(await names('Calls', { search: 'owner@' })).toEqual(['b']);
  });

  it('sums durations in a rollup and reads them as seconds in a formula', async () => {
    await ok(client.post(`/api/w/${ws}/sheets`, { name: 'Projects', fields: [{ name: 'Name', type: 'text' }] }));
    const project = await ok(client.post(url('Projects', '/records'), { fields: { Name: 'P' } }));
    await ok(client.post(url('Calls', '/fields'), { name: 'Project', type: 'link', options: { sheet: 'Projects', relationship: 'many_to_one', inverseName: 'Calls' } }));
    const calls = (await ok(client.get(`${url('Calls', '/records')}?sort=Name`), 200)).records;
    for (const r of calls.slice(0, 3)) await ok(client.patch(url('Calls', `/records/${r.id}`), { fields: { Project: [project.id] } }), 200);
    await ok(client.post(url('Projects', '/fields'), { name: 'Total', type: 'rollup', options: { link: 'Calls', field: 'Length', fn: 'sum' } }));
    expect((await ok(client.get(url('Projects', `/records/${project.id}`)), 200)).fields.Total).toBe(5400 + 600 + 90000);
    await ok(client.post(url('Calls', '/fields'), { name: 'Minutes', type: 'formula', options: { expression: '{Length} / 60' } }));
    const a = (await ok(client.get(`${url('Calls', '/records')}?${q({ filter: { '==': [{ var: 'Name' }, 'a'] } })}`), 200)).records[0];
    expect(a.fields.Minutes).toBe(90);
  });
});

describe('files', () => {
  it('exports durations as h:mm text in CSV and as [h]:mm day fractions in XLSX, people by email', async () => {
    const fields = 'fields=Name,Length,Precise,People&sort=Name';
    const rows = parseCsv((await download(`${url('Calls', '/export')}?format=csv&${fields}`)).subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(['Name', 'Length', 'Precise', 'People']);
    expect(rows[1]).toEqual(['a', '1:30', '1:30:15', 'ann@example.com, bob@example.com']);
    expect(rows[3]).toEqual(['c', '25:00', '', 'bob@example.com']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`${url('Calls', '/export')}?format=xlsx&${fields}`)) as unknown as ExcelJS.Buffer);
    const cell = book.worksheets[0]!.getCell('B2');
    // A [h]:mm cell is a time (days since 1899-12-30), which exceljs reads back as a Date.
    expect((cell.value as Date).getTime() - Date.UTC(1899, 11, 30)).toBe(5400 * 1000);
    expect(cell.numFmt).toBe('[h]:mm');
    expect(book.worksheets[0]!.getCell('C2').numFmt).toBe('[h]:mm:ss');
  });

  it('imports h:mm text and comma-separated emails, naming what does not read', async () => {
    await ok(client.post(`/api/w/${ws}/sheets`, { name: 'Log', fields: [{ name: 'Name', type: 'text' }, { name: 'Took', type: 'duration' }, { name: 'Who', type: 'multi_user' }] }));
    const csv = 'Name,Took,Who\nx,1:30,"ann@example.com, bob@example.com"\ny,45,\nz,soon,ann@example.com\n';
    const preview = await uploadImport(client, ws, 'log.csv', csv);
    const done = await runImport(client, ws, preview.id, { sheet: 'Log', mapping: { Name: 'Name', Took: 'Took', Who: 'Who' }, mode: 'insert', onError: 'skip' });
    expect(done.status).toBe('done');
    expect(done.inserted).toBe(2);
    expect(done.problems).toEqual([{ row: 4, column: 'Took', value: 'soon', reason: 'is not a duration (h:mm or h:mm:ss)' }]);
    const records = (await allRecords(client, ws, 'Log')).map((r) => r.fields);
    expect(records.map((f) => [f.Name, f.Took, f.Who?.map((u: any) => u.email)])).toEqual([
      ['x', 5400, ['ann@example.com', 'bob@example.com']],
      ['y', 2700, undefined],
    ]);
  });

  it('restores people of a multi_user field by email from a backup', async () => {
    const backup = await download(`/api/w/${ws}/backup`);
    const restored = await uploadTo(client, '/api/workspaces/restore', 'workspace.zip', 'application/zip', backup);
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    const copy = restored.body.workspace.id;
    const { records } = await ok(client.get(`/api/w/${copy}/sheets/Calls/records?sort=Name`), 200);
    expect(records.map((r: any) => [r.fields.Name, r.fields.Length, r.fields.People?.map((u: any) => u.email)])).toEqual([
      ['a', 5400, ['ann@example.com', 'bob@example.com']],
      ['b', 600, [OWNER]],
      ['c', 90000, ['bob@example.com']],
      ['d', undefined, undefined],
    ]);
  });
});

describe('type changes', () => {
  async function sheetWith(name: string, type: string, values: unknown[], options?: unknown) {
    await ok(client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }, { name: 'V', type, ...(options ? { options } : {}) }] }));
    const created = await ok(client.post(url(name, '/records'), { records: values.map((V, i) => ({ fields: { Name: String(i), ...(V === undefined ? {} : { V }) } })) }));
    return created.records.map((r: any) => r.id as string);
  }
  const values = async (name: string) => (await ok(client.get(`${url(name, '/records')}?sort=Name`), 200)).records.map((r: any) => r.fields.V);

  it('number ↔ duration keeps the seconds; text "1:30" converts, and what does not read is previewed', async () => {
    await sheetWith('N', 'number', [90, 5400.4]);
    await ok(client.patch(url('N', '/fields/V'), { type: 'duration' }), 200);
    expect(await values('N')).toEqual([90, 5400]);
    await ok(client.patch(url('N', '/fields/V'), { type: 'number' }), 200);
    expect(await values('N')).toEqual([90, 5400]);
    const ids = await sheetWith('T', 'text', ['1:30', '2:00:05', '600', 'soon', '-0:30']);
    const preview = await ok(client.patch(`${url('T', '/fields/V')}?dryRun=true`, { type: 'duration' }), 200);
    expect(preview).toEqual({ convertible: 4, unconvertible: [{ recordId: ids[3], value: 'soon' }], unconvertibleCount: 1 });
    await ok(client.patch(`${url('T', '/fields/V')}?force=true`, { type: 'duration' }), 200);
    expect(await values('T')).toEqual([5400, 7205, 600, undefined, -1800]);
  });

  it('user → multi_user keeps the person; text → multi_user reads emails and names, all or nothing', async () => {
    await sheetWith('U', 'user', [ann, undefined]);
    await ok(client.patch(url('U', '/fields/V'), { type: 'multi_user' }), 200);
    expect((await values('U')).map((v: any) => v?.map((u: any) => u.id))).toEqual([[ann], undefined]);
    const ids = await sheetWith('P', 'text', ['ann@example.com, bob', 'Owner', 'ann, stranger@example.com']);
    const preview = await ok(client.patch(`${url('P', '/fields/V')}?dryRun=true`, { type: 'multi_user' }), 200);
    expect(preview.unconvertible).toEqual([{ recordId: ids[2], value: 'ann, stranger@example.com' }]);
    await ok(client.patch(`${url('P', '/fields/V')}?force=true`, { type: 'multi_user' }), 200);
    expect((await values('P')).map((v: any) => v?.map((u: any) => u.id))).toEqual([[ann, bob], [owner], undefined]);
    // And back to text: emails, comma-separated.
    await ok(client.patch(url('P', '/fields/V'), { type: 'text' }), 200);
    expect(await values('P')).toEqual(['ann@example.com, bob@example.com', OWNER, undefined]);
  });
});
