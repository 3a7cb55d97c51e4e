import { joinWorkspace } from './helpers/members.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/auth/passwords.js';
import { newId } from '../schema-engine/index.js';
import { upload } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

// Field flags and references: required, unique, default values, choice renames, users and files.

let server: TestServer;
let client: Client;
let ws: string;
let userId: string;

const OWNER = 'owner@example.com';
const sheetUrl = (name: string, path = '') => `/api/w/${ws}/sheets/${encodeURIComponent(name)}${path}`;

async function makeSheet(name: string, fields: Record<string, unknown>[]): Promise<{ id: string; fields: { id: string; name: string; options: any }[] }> {
  const res = await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }, ...fields] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const table = (sheetId: string) => sql.id(`ws_${ws}`, `s_${sheetId}`);

async function rowCount(sheetId: string): Promise<number> {
  return Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${table(sheetId)}`.execute(server.db)).rows[0]!.n);
}

async function uniqueIndexes(sheetId: string): Promise<string[]> {
  const result = await sql<{ indexname: string }>`
    SELECT indexname FROM pg_indexes WHERE schemaname = ${`ws_${ws}`} AND tablename = ${`s_${sheetId}`} AND indexname LIKE 'u\\_%' AND indexdef LIKE 'CREATE UNIQUE INDEX%'`.execute(server.db);
  return result.rows.map((r) => r.indexname).sort();
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws, userId } = await server.setup(OWNER));
});
afterAll(() => server.close());

describe('required', () => {
  it('refuses a missing or empty required value, and a default satisfies it', async () => {
    const sheet = await makeSheet('Leads', [
      { name: 'Email', type: 'email', required: true },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }] }, required: true, defaultValue: 'New' },
      { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'VIP' }] }, required: true },
    ]);
    const url = sheetUrl('Leads', '/records');
    for (const fields of [{ Name: 'a' }, { Name: 'a', Email: '', Tags: [] }, { Name: 'a', Email: null, Tags: null }]) {
      const res = await client.post(url, { fields });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toEqual({ Email: 'is required', Tags: 'is required' });
    }
    // One bad record of a batch refuses the whole batch.
    const batch = await client.post(url, { records: [{ fields: { Name: 'ok', Email: 'a@b.co', Tags: ['VIP'] } }, { fields: { Name: 'bad', Tags: ['VIP'] } }] });
    expect(batch.status).toBe(400);
    expect(batch.body.error.details.records).toEqual([{ index: 1, fields: { Email: 'is required' } }]);
    expect(await rowCount(sheet.id)).toBe(0);
    // An explicit empty value is not replaced by the default, so it is missing.
    expect((await client.post(url, { fields: { Name: 'a', Email: 'a@b.co', Tags: ['VIP'], Stage: null } })).body.error.details.fields).toEqual({ Stage: 'is required' });
    const created = await client.post(url, { fields: { Name: 'a', Email: 'a@b.co', Tags: ['VIP'] } });
    expect(created.status).toBe(201);
    expect(created.body.fields.Stage).toBe('New');
    // An update may leave a required field out, but not clear it.
    expect((await client.patch(sheetUrl('Leads', `/records/${created.body.id}`), { fields: { Name: 'renamed' } })).status).toBe(200);
    const cleared = await client.patch(sheetUrl('Leads', `/records/${created.body.id}`), { fields: { Email: '' } });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.details.fields).toEqual({ Email: 'is required' });
    expect((await client.get(sheetUrl('Leads', `/records/${created.body.id}`))).body.fields.Email).toBe('a@b.co');
  });

  it('refuses required on a field filled automatically', async () => {
    await makeSheet('Auto', []);
    for (const type of ['autonumber', 'created_time', 'updated_by']) {
      const res = await client.post(sheetUrl('Auto', '/fields'), { name: `R ${type}`, type, required: true });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[`R ${type}`]).toMatch(/filled automatically.*cannot be required/);
    }
  });
});

describe('unique', () => {
  it('backs unique with a real unique index and answers 400 naming the field for a duplicate', async () => {
    const sheet = await makeSheet('Contacts', [
      { name: 'Email', type: 'email', unique: true },
      { name: 'Code', type: 'number', unique: true },
      { name: 'Day', type: 'date', unique: true },
      { name: 'Note', type: 'text' },
    ]);
    const byName = (n: string) => sheet.fields.find((f) => f.name === n)!.id;
    expect(await uniqueIndexes(sheet.id)).toEqual(['Email', 'Code', 'Day'].map((n) => `u_${byName(n)}`).sort());
    const url = sheetUrl('Contacts', '/records');
    const first = (await client.post(url, { fields: { Name: 'first', Email: 'a@acme.example', Code: 1.5, Day: '2026-01-01' } })).body;
    for (const [field, value] of [['Email', 'a@acme.example'], ['Code', 1.5], ['Day', '2026-01-01']] as const) {
      const before = await rowCount(sheet.id);
      const res = await client.post(url, { fields: { Name: 'copy', [field]: value } });
      expect(res.status, field).toBe(400);
      expect(Object.keys(res.body.error.details.fields)).toEqual([field]);
      expect(res.body.error.details.fields[field]).toMatch(/must be unique/);
      expect(await rowCount(sheet.id)).toBe(before);
    }
    // A batch with two equal values, or an update onto a taken value, is refused as a whole.
    const batch = await client.post(url, { records: [{ fields: { Name: 'x', Code: 7 } }, { fields: { Name: 'y', Code: 7 } }] });
    expect(batch.status).toBe(400);
    expect(batch.body.error.details.fields).toHaveProperty('Code');
    const second = (await client.post(url, { fields: { Name: 'second', Code: 2 } })).body;
    const clash = await client.patch(sheetUrl('Contacts', `/records/${second.id}`), { fields: { Code: 1.5, Note: 'changed' } });
    expect(clash.status).toBe(400);
    expect(clash.body.error.details.fields.Code).toMatch(/must be unique/);
    expect((await client.get(sheetUrl('Contacts', `/records/${second.id}`))).body.fields).toEqual({ Name: 'second', Code: 2 });
    // A deleted record frees its value; restoring it while the value is taken again is refused.
    expect((await client.delete(sheetUrl('Contacts', `/records/${first.id}`))).status).toBe(200);
    expect((await client.post(url, { fields: { Name: 'reuse', Code: 1.5 } })).status).toBe(201);
    const restore = await client.post(sheetUrl('Contacts', `/records/${first.id}/restore`));
    expect(restore.status).toBe(400);
    expect(restore.body.error.details.fields.Code).toMatch(/must be unique/);
    // Empty values never clash.
    expect((await client.post(url, { records: [{ fields: { Name: 'e1' } }, { fields: { Name: 'e2' } }] })).status).toBe(201);
  });

  it('refuses to turn unique on over duplicates and changes nothing; turning it on and off builds and drops the index', async () => {
    const sheet = (await client.get(sheetUrl('Contacts'))).body;
    const note = sheet.fields.find((f: any) => f.name === 'Note');
    await client.post(sheetUrl('Contacts', '/records'), { records: [{ fields: { Name: 'n1', Note: 'Twin' } }, { fields: { Name: 'n2', Note: 'Twin' } }] });
    const indexes = await uniqueIndexes(sheet.id);
    const refused = await client.patch(sheetUrl('Contacts', '/fields/Note'), { unique: true, description: 'should not stick' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.Note).toMatch(/duplicate.*"Twin"/);
    expect((await client.get(sheetUrl('Contacts'))).body).toEqual(sheet);
    expect(await uniqueIndexes(sheet.id)).toEqual(indexes);
    // Without the duplicate it works, and really enforces it.
    const twins = (await client.get(`${sheetUrl('Contacts', '/records')}?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Note' }, 'Twin'] }))}`)).body.records;
    await client.patch(sheetUrl('Contacts', `/records/${twins[1].id}`), { fields: { Note: 'Other' } });
    const on = await client.patch(sheetUrl('Contacts', '/fields/Note'), { unique: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.unique).toBe(true);
    expect(await uniqueIndexes(sheet.id)).toContain(`u_${note.id}`);
    expect((await client.post(sheetUrl('Contacts', '/records'), { fields: { Note: 'Twin' } })).status).toBe(400);
    expect((await client.patch(sheetUrl('Contacts', '/fields/Note'), { unique: false })).status).toBe(200);
    expect(await uniqueIndexes(sheet.id)).not.toContain(`u_${note.id}`);
    expect((await client.post(sheetUrl('Contacts', '/records'), { fields: { Note: 'Twin' } })).status).toBe(201);
  });

  it('refuses unique on types that cannot be unique', async () => {
    for (const type of ['checkbox', 'single_select', 'multi_select', 'attachment', 'user', 'created_time']) {
      const res = await client.post(sheetUrl('Contacts', '/fields'), { name: `U ${type}`, type, unique: true });
      expect(res.status, type).toBe(400);
      expect(res.body.error.details.fields[`U ${type}`]).toMatch(/cannot be unique/);
    }
  });
});

describe('default values', () => {
  const DEFAULTS: [string, Record<string, unknown>, unknown, unknown?][] = [
    ['text', {}, 'Untitled'],
    ['long_text', {}, 'Line 1\nLine 2'],
    ['email', {}, 'sales@acme.example'],
    ['url', {}, 'https://acme.example'],
    ['phone', {}, '+1 555 0100'],
    ['number', { precision: 2 }, 5],
    ['currency', { currency: 'USD' }, 9.99],
    ['percent', {}, 0.2],
    ['date', {}, '2026-01-01'],
    ['datetime', {}, '2026-01-01T10:00:00+02:00', '2026-01-01T08:00:00.000Z'],
    ['checkbox', {}, true],
    ['single_select', { choices: [{ name: 'New' }, { name: 'Won' }] }, 'Won'],
    ['multi_select', { choices: [{ name: 'A' }, { name: 'B' }] }, ['B', 'A']],
    ['rating', { max: 3 }, 2],
  ];

  it('applies the default of each type on create only, shows it as a record value, and an explicit value wins', async () => {
    const sheet = await makeSheet('Defaults', DEFAULTS.map(([type, options, defaultValue]) => ({ name: type, type, options, defaultValue })));
    for (const [type, , written, read = written] of DEFAULTS) expect(sheet.fields.find((f: any) => f.name === type), type).toMatchObject({ defaultValue: read });
    const url = sheetUrl('Defaults', '/records');
    const created = await client.post(url, { fields: { Name: 'defaulted' } });
    expect(created.body.fields).toEqual({ Name: 'defaulted', ...Object.fromEntries(DEFAULTS.map(([type, , written, read = written]) => [type, read])) });
    const explicit = await client.post(url, { fields: { Name: 'explicit', text: 'Mine', rating: 3, single_select: 'New', multi_select: null } });
    expect(explicit.body.fields).toMatchObject({ text: 'Mine', rating: 3, single_select: 'New' });
    expect(explicit.body.fields).not.toHaveProperty('multi_select');
    // A field added later does not fill existing records; an update does not apply defaults either.
    await client.post(sheetUrl('Defaults', '/fields'), { name: 'Later', type: 'text', defaultValue: 'later' });
    const updated = await client.patch(sheetUrl('Defaults', `/records/${created.body.id}`), { fields: { Name: 'updated' } });
    expect(updated.body.fields).not.toHaveProperty('Later');
    // Changing other properties keeps the default; null removes it.
    expect((await client.patch(sheetUrl('Defaults', '/fields/number'), { description: 'How many' })).body).toMatchObject({ defaultValue: 5, description: 'How many' });
    expect((await client.patch(sheetUrl('Defaults', '/fields/number'), { defaultValue: null })).body.defaultValue).toBe(null);
    expect((await client.post(url, { fields: { Name: 'no default' } })).body.fields).not.toHaveProperty('number');
  });

  it('refuses a default that is not a valid value, or on a type that cannot have one', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'number', defaultValue: 'x' }, /default value must be a number/],
      [{ type: 'single_select', options: { choices: [{ name: 'A' }] }, defaultValue: 'Nope' }, /default value: "Nope" is not one of the choices/],
      [{ type: 'rating', options: { max: 3 }, defaultValue: 4 }, /default value must be at most 3/],
      [{ type: 'date', defaultValue: 'tomorrow' }, /default value must be a date/],
      [{ type: 'email', defaultValue: 'nobody' }, /default value must be an email/],
      [{ type: 'autonumber', defaultValue: 'Q-1' }, /filled automatically/],
      [{ type: 'created_time', defaultValue: '2026-01-01T00:00:00Z' }, /filled automatically/],
      [{ type: 'user', defaultValue: OWNER }, /cannot have a default/],
      [{ type: 'attachment', defaultValue: ['attx'] }, /cannot have a default/],
    ];
    const before = (await client.get(sheetUrl('Defaults'))).body;
    for (const [input, pattern] of cases) {
      const name = `Bad default ${String(input.type)}`;
      const res = await client.post(sheetUrl('Defaults', '/fields'), { name, ...input });
      expect(res.status, name).toBe(400);
      expect(res.body.error.details.fields[name], name).toMatch(pattern);
    }
    expect((await client.get(sheetUrl('Defaults'))).body).toEqual(before);
  });
});

describe('choices', () => {
  it('renames a choice without rewriting a row; values, filters and the default follow the new name', async () => {
    const sheet = await makeSheet('Deals', [
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }] }, defaultValue: 'Won' },
      { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'VIP' }, { name: 'Hot' }] } },
    ]);
    const url = sheetUrl('Deals', '/records');
    await client.post(url, { records: Array.from({ length: 20 }, (_, i) => ({ fields: { Name: `d${i}`, Stage: i % 2 ? 'Won' : 'New', Tags: i % 3 ? ['VIP', 'Hot'] : ['Hot'] } })) });
    const xmins = async () => (await sql<{ id: string; xmin: string }>`SELECT id::text, xmin::text FROM ${table(sheet.id)} ORDER BY id`.execute(server.db)).rows;
    const before = await xmins();
    expect(before).toHaveLength(20);
    const stage = sheet.fields.find((f) => f.name === 'Stage')!;
    const tags = sheet.fields.find((f) => f.name === 'Tags')!;
    const renamed = stage.options.choices.map((c: any) => (c.name === 'Won' ? { id: c.id, name: 'Closed won 🎉' } : c));
    const res = await client.patch(sheetUrl('Deals', '/fields/Stage'), { options: { choices: renamed } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.options.choices.map((c: any) => c.id)).toEqual(stage.options.choices.map((c: any) => c.id));
    expect(res.body.options.choices[1]).toMatchObject({ name: 'Closed won 🎉', color: stage.options.choices[1].color });
    expect(res.body.defaultValue).toBe('Closed won 🎉');
    const tagsRenamed = tags.options.choices.map((c: any) => ({ ...c, name: c.name === 'Hot' ? '熱門' : c.name }));
    expect((await client.patch(sheetUrl('Deals', '/fields/Tags'), { options: { choices: tagsRenamed } })).status).toBe(200);
    expect(await xmins()).toEqual(before);

    const won = await client.get(`${url}?limit=100&filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Stage' }, 'Closed won 🎉'] }))}`);
    expect(won.body.records).toHaveLength(10);
    const first = (await client.get(`${url}?limit=1&sort=Name`)).body.records[0];
    expect(first.fields).toMatchObject({ Name: 'd0', Stage: 'New', Tags: ['熱門'] });
    expect((await client.post(url, { fields: { Name: 'new' } })).body.fields.Stage).toBe('Closed won 🎉');
    // The old name is no longer a choice.
    expect((await client.post(url, { fields: { Stage: 'Won' } })).body.error.details.fields.Stage).toMatch(/not one of the choices/);
  });

  it('hides the values of a removed choice and shows them again when it comes back with its id', async () => {
    const stage = (await client.get(sheetUrl('Deals'))).body.fields.find((f: any) => f.name === 'Stage');
    const [fresh, won] = stage.options.choices;
    expect((await client.patch(sheetUrl('Deals', '/fields/Stage'), { options: { choices: [fresh] } })).status).toBe(200);
    const url = `${sheetUrl('Deals', '/records')}?limit=100&sort=Name`;
    expect((await client.get(url)).body.records.filter((r: any) => r.fields.Stage === undefined)).toHaveLength(11);
    expect((await client.patch(sheetUrl('Deals', '/fields/Stage'), { options: { choices: [fresh, won] } })).status).toBe(200);
    expect((await client.get(url)).body.records.filter((r: any) => r.fields.Stage === won.name)).toHaveLength(11);
  });
});

describe('users', () => {
  it('accepts the id or email of a workspace member and refuses anyone else', async () => {
    const memberId = newId('usr');
    await server.db.insertInto('users').values({ id: memberId, email: 'member@example.com', name: 'Mia', password_hash: await hashPassword('member pass') }).execute();
    await joinWorkspace(server.db, ws, memberId, 'viewer');
    const strangerId = newId('usr');
    await server.db.insertInto('users').values({ id: strangerId, email: 'stranger@example.com', name: 'Stranger', password_hash: 'x' }).execute();
    const sheet = await makeSheet('Owners', [{ name: 'Owner', type: 'user' }]);
    const url = sheetUrl('Owners', '/records');
    const owner = { id: userId, name: 'Owner', email: OWNER };
    const mia = { id: memberId, name: 'Mia', email: 'member@example.com' };
    for (const [written, read] of [[userId, owner], [' Owner@Example.COM'.trim(), owner], [memberId, mia], ['MEMBER@example.com', mia], [{ id: memberId }, mia]] as const) {
      const res = await client.post(url, { fields: { Name: 'ok', Owner: written } });
      expect(res.status, JSON.stringify(written)).toBe(201);
      expect(res.body.fields.Owner).toEqual(read);
    }
    const before = await rowCount(sheet.id);
    for (const written of [strangerId, 'stranger@example.com', 'nobody@example.com', { id: strangerId }]) {
      const res = await client.post(url, { fields: { Name: 'bad', Owner: written } });
      expect(res.status, JSON.stringify(written)).toBe(400);
      expect(res.body.error.details.fields.Owner).toMatch(/no member of this workspace has the id or email/);
    }
    expect(await rowCount(sheet.id)).toBe(before);
    const shown = await client.get(`${url}?cellFormat=string&sort=Name`);
    expect(shown.body.records.map((r: any) => r.fields.Owner)).toEqual(['Owner', 'Owner', 'Mia', 'Mia', 'Mia']);
  });
});

describe('attachments', () => {
  it('links uploaded files to a record and serves each with its type and a safe disposition', async () => {
    const pdf = await upload(client, ws, '報價單 v2.pdf', 'application/pdf', '%PDF-1.4 test');
    expect(pdf.status, JSON.stringify(pdf.body)).toBe(201);
    expect(pdf.body).toEqual({ id: expect.stringMatching(/^att/), name: '報價單 v2.pdf', size: 13, mimeType: 'application/pdf', url: `/api/w/${ws}/attachments/${pdf.body.id}` });
    const html = await upload(client, ws, 'page.html', 'text/html', '<script>alert(1)</script>');
    expect(html.status).toBe(201);
    await makeSheet('Files', [{ name: 'Files', type: 'attachment' }]);
    const created = await client.post(sheetUrl('Files', '/records'), { fields: { Name: 'with files', Files: [pdf.body.id, { id: html.body.id }] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.fields.Files).toEqual([pdf.body, html.body]);
    const shown = await client.get(sheetUrl('Files', `/records/${created.body.id}?cellFormat=string`));
    expect(shown.body.fields.Files).toBe('報價單 v2.pdf, page.html');

    const file = await client.get(pdf.body.url);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(`inline; filename="___ v2.pdf"; filename*=UTF-8''${encodeURIComponent('報價單 v2.pdf')}`);
    expect(file.body).toBe('%PDF-1.4 test');
    const page = await client.get(html.body.url);
    expect(html.body.mimeType).toBe('application/octet-stream');
    expect(page.headers['content-type']).toBe('application/octet-stream');
    expect(page.headers['content-disposition']).toBe('attachment; filename=page.html');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses ids that were never uploaded or belong to another workspace', async () => {
    const other = await client.post('/api/workspaces', { name: 'Other' });
    expect(other.status).toBe(201);
    const foreign = await upload(client, other.body.id, 'secret.txt', 'text/plain', 'secret');
    expect(foreign.status).toBe(201);
    expect((await client.get(`/api/w/${ws}/attachments/${foreign.body.id}`)).status).toBe(404);
    for (const id of [foreign.body.id, 'attnotuploaded1']) {
      const res = await client.post(sheetUrl('Files', '/records'), { fields: { Name: 'bad', Files: [id] } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.Files).toBe(`no uploaded file has the id "${id}"`);
    }
    const notMultipart = await client.post(`/api/w/${ws}/attachments`, { file: 'x' });
    expect(notMultipart.status).toBe(400);
  });
});
