import { joinWorkspace } from './helpers/members.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/auth/passwords.js';
import { STORED_TYPE_IDS, newId } from '../schema-engine/index.js';
import { upload } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

// Every type of the registry: a valid value round-trips, a bad one is refused naming the field, and values format
// per locale. Field names are the type ids, so a failure names the type.

type TypeId = (typeof STORED_TYPE_IDS)[number];
interface Spec {
  options?: Record<string, unknown>;
  /** A valid written value and what reads back (the same when omitted). */
  valid?: unknown;
  read?: unknown;
  /** Bad values and the message naming the problem. */
  invalid?: [unknown, RegExp][];
  en?: string | RegExp;
  zh?: string | RegExp;
}

let server: TestServer;
let client: Client;
let ws: string;
let userId: string;
let sheet: { id: string; fields: { id: string; name: string; type: string }[] };
let file: { id: string; name: string; size: number; mimeType: string; url: string };
let SPECS: Record<TypeId, Spec>;

const OWNER = 'owner@example.com';
const EN_DATETIME = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M$/;
const ZH_DATETIME = /^\d{4}年\d{1,2}月\d{1,2}日 \S{2}\d{1,2}:\d{2}$/;
const READ_ONLY: TypeId[] = ['autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by'];
const WRITABLE = STORED_TYPE_IDS.filter((t) => !READ_ONLY.includes(t));

const sheetUrl = (path = '') => `/api/w/${ws}/sheets/Types${path}`;
const recordsUrl = (path = '') => sheetUrl(`/records${path}`);
const whereName = (name: string) => `filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Name' }, name] }))}`;

/** Rows in the real table, deleted ones included: a refused write must not add one. */
async function rowCount(sheetId: string): Promise<number> {
  const result = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)}`.execute(server.db);
  return Number(result.rows[0]!.n);
}

/** Uploads a file as multipart/form-data, built by hand. */
beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws, userId } = await server.setup(OWNER));
  // A user of the installation who is not a member of the workspace.
  await server.db.insertInto('users').values({ id: newId('usr'), email: 'stranger@example.com', name: 'Stranger', password_hash: 'x' }).execute();
  const uploaded = await upload(client, ws, 'quote.pdf', 'application/pdf', '%PDF-1.4 quote');
  expect(uploaded.status).toBe(201);
  file = uploaded.body;
  SPECS = {
    text: { valid: `Acme 股份 "Ltd"; DROP TABLE users; --`, invalid: [[42, /^must be text$/], [{ a: 1 }, /^must be text$/], ['x'.repeat(10_001), /at most 10000 characters/]] },
    long_text: { options: { rich: false }, valid: 'Line one\n\nline two', invalid: [[['a'], /^must be text$/]] },
    email: { valid: 'Buyer@Acme.example', invalid: [['not-an-email', /email address/], ['a@', /email address/]] },
    phone: { valid: '+886 2 2345-6789 ext. 12', invalid: [['call me', /phone number/], [886, /phone number/]] },
    url: { valid: 'acme.example/shop?q=1', invalid: [['not a url', /web address/], ['javascript alert(1)', /web address/]] },
    number: { options: { precision: 2 }, valid: -1234.5, en: '-1,234.50', zh: '-1,234.50', invalid: [['3', /^must be a number$/], [true, /^must be a number$/]] },
    currency: { options: { currency: 'EUR', precision: 2 }, valid: 1234.5, en: '€1,234.50', zh: '€1,234.50', invalid: [['free', /^must be a number$/]] },
    percent: { options: { precision: 1 }, valid: 0.125, en: '12.5%', zh: '12.5%', invalid: [['12%', /^must be a number$/]] },
    date: { valid: '2026-12-31', en: 'Dec 31, 2026', zh: '2026年12月31日', invalid: [['31/12/2026', /YYYY-MM-DD/], ['2026-02-30', /YYYY-MM-DD/], ['2026-12-31T00:00:00Z', /YYYY-MM-DD/]] },
    datetime: {
      valid: '2026-11-22T17:30:00+08:00',
      read: '2026-11-22T09:30:00.000Z',
      en: 'Nov 22, 2026, 9:30 AM',
      zh: '2026年11月22日 上午9:30',
      invalid: [['2026-11-22 09:30', /ISO 8601/], ['2026-11-22', /ISO 8601/], ['tomorrow', /ISO 8601/]],
    },
    checkbox: { valid: true, en: '✓', zh: '✓', invalid: [['yes', /true or false/], [1, /true or false/]] },
    single_select: { options: { choices: [{ name: 'New' }, { name: 'Won' }] }, valid: 'Won', invalid: [['Lost', /"Lost" is not one of the choices \("New", "Won"\)/], [['Won'], /name of one of the choices/]] },
    multi_select: {
      options: { choices: [{ name: 'VIP' }, { name: '大客戶' }] },
      valid: ['大客戶', 'VIP', '大客戶'],
      read: ['大客戶', 'VIP'],
      en: '大客戶, VIP',
      invalid: [[['VIP', 'Unknown'], /"Unknown" is not one of the choices/], ['VIP', /list of choice names/]],
    },
    rating: { options: { max: 10 }, valid: 7, en: '★★★★★★★☆☆☆', zh: '★★★★★★★☆☆☆', invalid: [[11, /^must be at most 10$/], [0, /^must be at least 1$/], [2.5, /^must be a whole number$/]] },
    user: {
      valid: 'OWNER@example.com',
      read: { id: userId, name: 'Owner', email: OWNER },
      en: 'Owner',
      invalid: [['stranger@example.com', /no member of this workspace.*stranger@example.com/], ['usrnotamember00', /no member/], [42, /user id or email/]],
    },
    multi_user: {
      valid: ['OWNER@example.com', userId],
      read: [{ id: userId, name: 'Owner', email: OWNER }],
      en: 'Owner',
      invalid: [[['stranger@example.com'], /no member of this workspace.*stranger@example.com/], ['owner@example.com', /list of user ids or email/]],
    },
    duration: { options: { format: 'h:mm:ss' }, valid: 5415, en: '1:30:15', zh: '1:30:15', invalid: [['1:30', /number of seconds/]] },
    attachment: { valid: [file.id], read: [file], en: 'quote.pdf', invalid: [[['attnotuploaded1'], /no uploaded file has the id "attnotuploaded1"/], [file.id, /list of uploaded attachment ids/]] },
    autonumber: { options: { prefix: 'Q-', digits: 6 }, en: /^Q-\d{6}$/, zh: /^Q-\d{6}$/ },
    created_time: { en: EN_DATETIME, zh: ZH_DATETIME },
    updated_time: { en: EN_DATETIME, zh: ZH_DATETIME },
    created_by: { en: 'Owner', zh: 'Owner' },
    updated_by: { en: 'Owner', zh: 'Owner' },
  };
  const fields = [{ name: 'Name', type: 'text' }, ...STORED_TYPE_IDS.map((type) => ({ name: type, type, options: SPECS[type].options }))];
  const res = await client.post(`/api/w/${ws}/sheets`, { name: 'Types', fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  sheet = res.body;
});
afterAll(() => server.close());

describe('the registry', () => {
  it('has a spec here for every field type, and a sheet can hold one field of each', () => {
    expect(Object.keys(SPECS).sort()).toEqual([...STORED_TYPE_IDS].sort());
    expect(sheet.fields.map((f) => f.type)).toEqual(['text', ...STORED_TYPE_IDS]);
  });
});

describe('a new record', () => {
  it('answers exactly what reading it back answers, for every type and for numbers in any notation', async () => {
    // A create returns most values from what it wrote, not from the database (FieldType.readsAsWritten).
    const all = Object.fromEntries(WRITABLE.map((type) => [type, SPECS[type].valid]));
    const numbers = [1e21, 0.1, -0, 123456789.125, 1e-7, 5e-324, -1234.5678, 2 ** 53 + 2];
    const records = [
      { fields: { Name: 'every type', ...all } },
      ...numbers.map((n) => ({ fields: { Name: `number ${n}`, number: n, currency: n, percent: n } })),
      { fields: { Name: '  spaced  ', email: '  a@b.example ', text: '\u00e9\u0301 \u{1F600} \\ "' } },
      { fields: { Name: 'nothing else' } },
    ];
    const created = await client.post(recordsUrl(), { records });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const record of created.body.records) expect((await client.get(recordsUrl(`/${record.id}`))).body).toEqual(record);
    const single = await client.post(recordsUrl(), records[0]);
    expect((await client.get(recordsUrl(`/${single.body.id}`))).body).toEqual(single.body);
  });
});

describe.each(WRITABLE)('a %s field', (type) => {
  it('round-trips a valid value through POST and GET, and clears it with null', async () => {
    const spec = SPECS[type];
    const expected = spec.read ?? spec.valid;
    const created = await client.post(recordsUrl(), { fields: { Name: `valid ${type}`, [type]: spec.valid } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.fields[type]).toEqual(expected);
    const read = await client.get(recordsUrl(`/${created.body.id}`));
    expect(read.body.fields[type]).toEqual(expected);
    const listed = await client.get(recordsUrl(`?${whereName(`valid ${type}`)}`));
    expect(listed.body.records.map((r: any) => r.fields[type])).toEqual([expected]);
    // Writing back what was read is accepted and changes nothing.
    const same = await client.patch(recordsUrl(`/${created.body.id}`), { fields: { [type]: read.body.fields[type] } });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.fields[type]).toEqual(expected);
    const cleared = await client.patch(recordsUrl(`/${created.body.id}`), { fields: { [type]: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.fields).not.toHaveProperty(type);
  });

  it('refuses each invalid value with 400 naming the field, and stores nothing', async () => {
    const existing = (await client.post(recordsUrl(), { fields: { Name: `target ${type}`, [type]: SPECS[type].valid } })).body;
    for (const [value, message] of SPECS[type].invalid ?? []) {
      const before = await rowCount(sheet.id);
      const res = await client.post(recordsUrl(), { fields: { Name: 'must not be stored', [type]: value } });
      expect(res.status, `${type} ${JSON.stringify(value)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.fields).toEqual({ [type]: expect.stringMatching(message) });
      expect(await rowCount(sheet.id)).toBe(before);
      // An update is refused the same way and leaves the record as it was.
      const patched = await client.patch(recordsUrl(`/${existing.id}`), { fields: { Name: 'renamed', [type]: value } });
      expect(patched.status).toBe(400);
      expect(patched.body.error.details.fields).toEqual({ [type]: expect.stringMatching(message) });
      expect((await client.get(recordsUrl(`/${existing.id}`))).body).toEqual(existing);
    }
  });
});

describe('read-only types', () => {
  it.each(READ_ONLY)('%s refuses writes on create and update, even an empty value', async (type) => {
    const record = (await client.post(recordsUrl(), { fields: { Name: `read-only ${type}` } })).body;
    for (const value of ['Q-000001', '2026-01-01T00:00:00.000Z', { id: userId }, null]) {
      const before = await rowCount(sheet.id);
      const created = await client.post(recordsUrl(), { fields: { Name: 'nope', [type]: value } });
      expect(created.status).toBe(400);
      expect(created.body.error.details.fields[type]).toMatch(/filled automatically.*cannot be written/);
      expect(await rowCount(sheet.id)).toBe(before);
      const updated = await client.patch(recordsUrl(`/${record.id}`), { fields: { [type]: value } });
      expect(updated.status).toBe(400);
      expect((await client.get(recordsUrl(`/${record.id}`))).body.version).toBe(record.version);
    }
  });

  it('fills them: numbers, times and users, with updated_* following the last writer', async () => {
    const editorId = newId('usr');
    await server.db.insertInto('users').values({ id: editorId, email: 'editor@example.com', name: 'Eddie', password_hash: await hashPassword('editor pass') }).execute();
    await joinWorkspace(server.db, ws, editorId, 'editor');
    const editor = await server.signIn('editor@example.com', 'editor pass');
    const [a, b] = (await client.post(recordsUrl(), { records: [{ fields: { Name: 'auto a' } }, { fields: { Name: 'auto b' } }] })).body.records;
    expect(Number(b.fields.autonumber.slice(2))).toBe(Number(a.fields.autonumber.slice(2)) + 1);
    const owner = { id: userId, name: 'Owner', email: OWNER };
    expect(a.fields).toMatchObject({ created_time: a.createdAt, updated_time: a.updatedAt, created_by: owner, updated_by: owner });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const edited = await editor.patch(recordsUrl(`/${a.id}`), { fields: { text: 'edited' } });
    expect(edited.status).toBe(200);
    expect(edited.body.fields).toMatchObject({ created_time: a.createdAt, created_by: owner, updated_by: { id: editorId, name: 'Eddie', email: 'editor@example.com' } });
    expect(edited.body.fields.updated_time).toBe(edited.body.updatedAt);
    expect(Date.parse(edited.body.updatedAt)).toBeGreaterThan(Date.parse(a.updatedAt));
    expect(edited.body.fields.autonumber).toBe(a.fields.autonumber);
  });
});

describe('formatting', () => {
  it('formats every type as display text in en and zh-TW', async () => {
    const values = Object.fromEntries(WRITABLE.map((t) => [t, SPECS[t].valid]));
    expect((await client.post(recordsUrl(), { fields: { Name: 'formatted', ...values } })).status).toBe(201);
    for (const [locale, key] of [['en', 'en'], ['zh-TW', 'zh']] as const) {
      const res = await client.get(recordsUrl(`?cellFormat=string&locale=${locale}&${whereName('formatted')}`));
      expect(res.status).toBe(200);
      const fields = res.body.records[0].fields;
      expect(Object.keys(fields).sort()).toEqual(['Name', ...STORED_TYPE_IDS].sort());
      for (const type of STORED_TYPE_IDS) {
        const spec = SPECS[type];
        const expected = spec[key] ?? spec.en ?? (typeof (spec.read ?? spec.valid) === 'string' ? (spec.read ?? spec.valid) : undefined);
        expect(typeof fields[type], type).toBe('string');
        if (expected instanceof RegExp) expect(fields[type], `${type} in ${locale}`).toMatch(expected);
        else if (expected !== undefined) expect(fields[type], `${type} in ${locale}`).toBe(expected);
      }
    }
    // A locale that does not exist falls back to English rather than failing.
    const odd = await client.get(recordsUrl(`?cellFormat=string&locale=zz-Nope-x&${whereName('formatted')}`));
    expect(odd.status).toBe(200);
    expect(odd.body.records[0].fields.date).toBe('Dec 31, 2026');
  });

  it('shows each currency with its symbol and the field precision', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ currency: 'USD', precision: 2 }, 1234.5, '$1,234.50', 'US$1,234.50'],
      [{ currency: 'TWD', precision: 0 }, 1234.5, 'NT$1,235', '$1,235'],
      [{ currency: 'JPY', precision: 0 }, 99.5, '¥100', '¥100'],
      [{ currency: 'GBP', precision: 3 }, 0.1, '£0.100', '£0.100'],
      [{ currency: 'EUR', precision: 2 }, -5, '-€5.00', '-€5.00'],
    ];
    const fields = cases.map(([options], i) => ({ name: `Money ${i}`, type: 'currency', options }));
    await client.post(`/api/w/${ws}/sheets`, { name: 'Money', fields: [{ name: 'Name', type: 'text' }, ...fields] });
    const values = Object.fromEntries(cases.map(([, v], i) => [`Money ${i}`, v]));
    const record = (await client.post(`/api/w/${ws}/sheets/Money/records`, { fields: { Name: 'm', ...values } })).body;
    for (const [locale, column] of [['en', 2], ['zh-TW', 3]] as const) {
      const res = await client.get(`/api/w/${ws}/sheets/Money/records/${record.id}?cellFormat=string&locale=${locale}`);
      expect(cases.map((_, i) => res.body.fields[`Money ${i}`])).toEqual(cases.map((c) => c[column]));
    }
  });

  it('numbers rows as Q-000042 and re-pads them on an options change without rewriting rows', async () => {
    await client.post(`/api/w/${ws}/sheets`, { name: 'Quotes', fields: [{ name: 'Name', type: 'text' }] });
    const quotes = `/api/w/${ws}/sheets/Quotes`;
    await client.post(`${quotes}/records`, { records: Array.from({ length: 41 }, (_, i) => ({ fields: { Name: `q${i + 1}` } })) });
    // Existing rows are numbered in creation order when the field is added; new rows continue.
    const added = await client.post(`${quotes}/fields`, { name: 'No', type: 'autonumber', options: { prefix: 'Q-', digits: 6 } });
    expect(added.status).toBe(201);
    const last = await client.post(`${quotes}/records`, { fields: { Name: 'q42' } });
    expect(last.body.fields.No).toBe('Q-000042');
    const all = (await client.get(`${quotes}/records?limit=100&sort=No`)).body.records;
    expect(all.map((r: any) => r.fields.No)).toEqual(Array.from({ length: 42 }, (_, i) => `Q-${String(i + 1).padStart(6, '0')}`));
    expect(all.map((r: any) => r.fields.Name)).toEqual(Array.from({ length: 42 }, (_, i) => `q${i + 1}`));
    const table = sql.id(`ws_${ws}`, `s_${(await client.get(quotes)).body.id}`);
    const before = await sql<{ xmin: string }>`SELECT xmin::text FROM ${table} ORDER BY id`.execute(server.db);
    expect((await client.patch(`${quotes}/fields/No`, { options: { prefix: 'INV-', digits: 2 } })).status).toBe(200);
    expect((await client.get(`${quotes}/records/${last.body.id}?cellFormat=string`)).body.fields.No).toBe('INV-42');
    expect((await client.get(`${quotes}/records/${all[0].id}`)).body.fields.No).toBe('INV-01');
    expect((await sql<{ xmin: string }>`SELECT xmin::text FROM ${table} ORDER BY id`.execute(server.db)).rows).toEqual(before.rows);
  });
});

describe('options', () => {
  it('refuses bad options with 400 naming the field, and creates nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'currency', options: { currency: 'XYZ' } }, /options\.currency: .*ISO 4217/],
      [{ type: 'currency', options: { currency: 'usd' } }, /ISO 4217/],
      [{ type: 'currency', options: { currency: 'USD', precision: 9 } }, /options\.precision/],
      [{ type: 'rating', options: { max: 11 } }, /options\.max/],
      [{ type: 'rating', options: { max: 0 } }, /options\.max/],
      [{ type: 'rating', options: { max: 2.5 } }, /options\.max/],
      [{ type: 'number', options: { precision: 9 } }, /options\.precision/],
      [{ type: 'number', options: { precision: -1 } }, /options\.precision/],
      [{ type: 'percent', options: { precision: '2' } }, /options\.precision/],
      [{ type: 'autonumber', options: { digits: 13 } }, /options\.digits/],
      [{ type: 'autonumber', options: { prefix: 'x'.repeat(21) } }, /options\.prefix/],
      [{ type: 'single_select', options: { choices: [{ name: 'Red' }, { name: 'Red' }] } }, /"Red" is listed twice/],
      [{ type: 'multi_select', options: { choices: [{ name: '  ' }] } }, /a choice needs a name/],
      [{ type: 'single_select', options: { choices: [{ id: 'not-a-choice-id', name: 'X' }] } }, /unknown choice id/],
      [{ type: 'long_text', options: { rich: 'yes' } }, /options\.rich/],
      ...STORED_TYPE_IDS.map((type): [Record<string, unknown>, RegExp] => [{ type, options: { ...SPECS[type].options, bogus: 1 } }, /options/]),
      [{ type: 'formula', options: { expression: '1 +' } }, /options.expression: the formula ends too early/],
      [{ type: 'txt' }, /not a field type/],
    ];
    const before = (await client.get(sheetUrl())).body;
    for (const [input, pattern] of cases) {
      const name = `Bad ${JSON.stringify(input)}`.slice(0, 200);
      const res = await client.post(sheetUrl('/fields'), { name, ...input });
      expect(res.status, name).toBe(400);
      expect(res.body.error.details.fields[name], name).toMatch(pattern);
    }
    expect((await client.get(sheetUrl())).body).toEqual(before);
  });

  it('refuses bad options on an existing field and keeps the old ones', async () => {
    const before = (await client.get(sheetUrl())).body;
    for (const [field, options] of [['currency', { currency: 'XYZ' }], ['rating', { max: 11 }], ['number', { precision: 9 }], ['single_select', { choices: [{ name: 'A' }, { name: 'A' }] }]] as const) {
      const res = await client.patch(sheetUrl(`/fields/${field}`), { options });
      expect(res.status, field).toBe(400);
      expect(res.body.error.details.fields).toHaveProperty(field);
    }
    expect((await client.get(sheetUrl())).body).toEqual(before);
  });
});

describe('exact decimals', () => {
  it('sums currency 0.1 + 0.2 to exactly 0.30 in SQL and rounds half up at the field precision', async () => {
    const ledger = (
      await client.post(`/api/w/${ws}/sheets`, {
        name: 'Ledger',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
          { name: 'Qty', type: 'number', options: { precision: 0 } },
          { name: 'Share', type: 'percent', options: { precision: 1 } },
          { name: 'Raw', type: 'number' },
        ],
      })
    ).body;
    const url = `/api/w/${ws}/sheets/Ledger/records`;
    const table = sql.id(`ws_${ws}`, `s_${ledger.id}`);
    const col = (name: string) => sql.id(`f_${ledger.fields.find((f: any) => f.name === name).id}`);
    await client.post(url, { records: [{ fields: { Name: 'dime', Amount: 0.1 } }, { fields: { Name: 'two dimes', Amount: 0.2 } }] });
    const sum = await sql<{ s: string; exact: boolean }>`SELECT sum(${col('Amount')})::text AS s, sum(${col('Amount')}) = 0.3 AS exact FROM ${table}`.execute(server.db);
    expect(sum.rows[0]).toEqual({ s: '0.30', exact: true });

    const cases: [string, number, number, string][] = [
      ['Amount', 19.995, 20, '20.00'],
      ['Amount', 19.994, 19.99, '19.99'],
      ['Amount', 1.005, 1.01, '1.01'],
      ['Amount', -0.005, -0.01, '-0.01'],
      ['Amount', 12345678901234.56, 12345678901234.56, '12345678901234.56'],
      ['Qty', 2.5, 3, '3'],
      ['Qty', -2.5, -3, '-3'],
      ['Share', 0.12345, 0.123, '0.123'],
      ['Raw', 0.1 + 0.2, 0.30000000000000004, '0.30000000000000004'],
      ['Raw', 1e-7, 1e-7, '0.0000001'],
      ['Raw', 1e21, 1e21, '1000000000000000000000'],
    ];
    for (const [field, written, read, stored] of cases) {
      const res = await client.post(url, { fields: { Name: `${field} ${written}`, [field]: written } });
      expect(res.body.fields[field], `${field} ${written}`).toBe(read);
      const raw = await sql<{ v: string }>`SELECT ${col(field)}::text AS v FROM ${table} WHERE id = ${res.body.id}`.execute(server.db);
      expect(raw.rows[0]!.v, `${field} ${written}`).toBe(stored);
    }
  });
});

describe('values no column can hold', () => {
  it('refuses non-finite numbers with 400 naming the field', async () => {
    for (const type of ['number', 'currency', 'percent']) {
      const before = await rowCount(sheet.id);
      const res = await client.request('POST', recordsUrl(), `{"fields":{"Name":"huge","${type}":1e400}}`, { 'content-type': 'application/json' });
      expect(res.status, type).toBe(400);
      // Refused as the body is read: JSON.parse would make it Infinity.
      expect(res.body.error.details.fields).toEqual({ [type]: expect.stringMatching(/^is beyond the numbers that can be kept/) });
      expect(await rowCount(sheet.id)).toBe(before);
    }
  });

  it('refuses dates and times PostgreSQL cannot store (a leap second, the year 0) with 400', async () => {
    for (const [type, value] of [['datetime', '2016-12-31T23:59:60Z'], ['datetime', '0000-06-01T00:00:00Z'], ['datetime', '0001-01-01T00:30:00+01:00'], ['datetime', '9999-12-31T23:00:00-05:00'], ['date', '0000-01-01']]) {
      const before = await rowCount(sheet.id);
      const res = await client.post(recordsUrl(), { fields: { Name: 'odd time', [type!]: value } });
      expect(res.status, `${type} ${value}`).toBe(400);
      expect(res.body.error.details.fields).toEqual({ [type!]: expect.any(String) });
      expect(await rowCount(sheet.id)).toBe(before);
    }
    // The first day of the year 1 and the last of 9999 are fine.
    const edge = await client.post(recordsUrl(), { fields: { Name: 'edges', date: '0001-01-01', datetime: '9999-12-31T23:59:59.999Z' } });
    expect(edge.body.fields).toMatchObject({ date: '0001-01-01', datetime: '9999-12-31T23:59:59.999Z' });
  });

  it('refuses the NUL character, which PostgreSQL text cannot hold, naming the field', async () => {
    const values: [string, unknown][] = [
      ['text', 'a\u0000b'],
      ['long_text', '\u0000'],
      ['single_select', 'Won\u0000'],
      ['multi_select', ['VIP', '\u0000']],
      ['user', `${OWNER}\u0000`],
      ['attachment', [`${file.id}\u0000`]],
    ];
    for (const [type, value] of values) {
      const before = await rowCount(sheet.id);
      const res = await client.post(recordsUrl(), { fields: { Name: 'nul', [type]: value } });
      expect(res.status, type).toBe(400);
      expect(res.body.error.details.fields).toEqual({ [type]: 'must not contain the NUL character (U+0000)' });
      expect(await rowCount(sheet.id)).toBe(before);
    }
    const before = (await client.get(sheetUrl())).body;
    // Refused as the body is read, named by where the NUL is in the body.
    for (const [input, place] of [
      [{ name: 'Nul choice', type: 'single_select', options: { choices: [{ name: 'a\u0000' }] } }, 'options.choices.0.name'],
      [{ name: 'Nul color', type: 'multi_select', options: { choices: [{ name: 'a', color: '\u0000' }] } }, 'options.choices.0.color'],
      [{ name: 'Nul prefix', type: 'autonumber', options: { prefix: '\u0000' } }, 'options.prefix'],
      [{ name: 'Nul description', type: 'text', description: 'x\u0000' }, 'description'],
      [{ name: 'Nul default', type: 'text', defaultValue: 'x\u0000' }, 'defaultValue'],
    ] as const) {
      const res = await client.post(sheetUrl('/fields'), input);
      expect(res.status, input.name).toBe(400);
      expect(res.body.error.details.fields).toEqual({ [place]: 'must not contain the NUL character (U+0000)' });
    }
    expect((await client.get(sheetUrl())).body).toEqual(before);
  });
});
