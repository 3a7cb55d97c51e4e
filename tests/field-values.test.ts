import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let sheet: { id: string; fields: { id: string; name: string; options: any }[] };
const sheetPath = (path = '') => `/api/w/${ws}/sheets/Everything${path}`;
const url = (path = '') => sheetPath(`/records${path}`);
const table = () => sql.id(`ws_${ws}`, `s_${sheet.id}`);
const column = (name: string) => sql.id(`f_${sheet.fields.find((f) => f.name === name)!.id}`);

const FIELDS = [
  { name: 'Name', type: 'text' },
  { name: 'Notes', type: 'long_text', options: { rich: false } },
  { name: 'Email', type: 'email', unique: true },
  { name: 'Phone', type: 'phone' },
  { name: 'Website', type: 'url' },
  { name: 'Qty', type: 'number', options: { precision: 0 } },
  { name: 'Price', type: 'currency', options: { currency: 'TWD', precision: 2 } },
  { name: 'Discount', type: 'percent', options: { precision: 1 } },
  { name: 'Close', type: 'date' },
  { name: 'Meeting', type: 'datetime' },
  { name: 'Done', type: 'checkbox' },
  { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New', color: 'blue' }, { name: 'Won' }] }, defaultValue: 'New' },
  { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'VIP' }, { name: '大客戶' }] } },
  { name: 'Score', type: 'rating', options: { max: 3 } },
  { name: 'No', type: 'autonumber', options: { prefix: 'Q-', digits: 6 } },
  { name: 'Owner', type: 'user' },
  { name: 'Files', type: 'attachment' },
  { name: 'Created', type: 'created_time' },
  { name: 'Updated', type: 'updated_time' },
  { name: 'Creator', type: 'created_by' },
  { name: 'Editor', type: 'updated_by' },
];

const FULL = {
  Name: 'Acme 股份有限公司',
  Notes: 'Line one\nline two',
  Email: 'buyer@acme.example',
  Phone: '+886 2 2345-6789 ext. 12',
  Website: 'acme.example/shop',
  Qty: 3,
  Price: 1234.5,
  Discount: 0.125,
  Close: '2026-12-31',
  Meeting: '2026-11-22T09:30:00.000Z',
  Done: true,
  Stage: 'Won',
  Tags: ['VIP', '大客戶'],
  Score: 2,
  Owner: 'owner@example.com',
};

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const res = await client.post(`/api/w/${ws}/sheets`, { name: 'Everything', fields: FIELDS });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  sheet = res.body;
});
afterAll(() => server.close());

describe('every field type', () => {
  it('round-trips a value of every writable type and fills the automatic ones', async () => {
    const created = await client.post(url(), { fields: FULL });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = (await client.get(url(`/${created.body.id}`))).body;
    expect(read.fields).toMatchObject({ ...FULL, Price: 1234.5, Owner: { email: 'owner@example.com', name: 'Owner' }, No: 'Q-000001' });
    expect(read.fields.Created).toBe(read.createdAt);
    expect(read.fields.Editor).toEqual(read.fields.Creator);
  });

  it('trims addresses before checking them, and a blank address clears the field', async () => {
    const res = await client.post(url(), { fields: { Name: 'Spaces', Email: '  spaced@acme.example ', Website: ' acme.example ', Phone: '   ' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.fields).toMatchObject({ Email: 'spaced@acme.example', Website: 'acme.example' });
    expect(res.body.fields).not.toHaveProperty('Phone');
    await client.delete(url(`/${res.body.id}`));
  });

  it('formats every value for display, by locale', async () => {
    const [en] = (await client.get(url('?cellFormat=string&locale=en'))).body.records;
    expect(en.fields).toMatchObject({ Price: 'NT$1,234.50', Discount: '12.5%', Close: 'Dec 31, 2026', Done: '✓', Score: '★★☆', No: 'Q-000001', Tags: 'VIP, 大客戶', Owner: 'Owner' });
    const [zh] = (await client.get(url('?cellFormat=string&locale=zh-TW'))).body.records;
    expect(zh.fields.Close).toBe('2026年12月31日');
    expect(zh.fields.Price).toBe('$1,234.50');
  });

  it('rejects a bad value of each type, naming the field, and stores nothing', async () => {
    const bad = {
      Name: 42,
      Email: 'not-an-email',
      Phone: 'call me',
      Website: 'not a url',
      Qty: '3',
      Price: 'free',
      Discount: 'half',
      Close: '31/12/2026',
      Meeting: '2026-11-22 09:30',
      Done: 'yes',
      Stage: 'Lost',
      Tags: ['VIP', 'Unknown'],
      Score: 4,
      Owner: 'stranger@example.com',
      Files: ['attnotuploaded1'],
      No: 'Q-1',
      Created: '2026-01-01T00:00:00Z',
    };
    const before = await client.get(url('?count=true'));
    const res = await client.post(url(), { fields: bad });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(Object.keys(bad).sort());
    expect(res.body.error.details.fields.Score).toBe('must be at most 3');
    expect(res.body.error.details.fields.No).toMatch(/filled automatically/);
    expect((await client.get(url('?count=true'))).body.total).toBe(before.body.total);
  });

  it('validates options, naming the field', async () => {
    for (const [field, pattern] of [
      [{ name: 'Money', type: 'currency', options: { currency: 'XYZ' } }, /ISO 4217/],
      [{ name: 'Stars', type: 'rating', options: { max: 11 } }, /max/],
      [{ name: 'Precise', type: 'number', options: { precision: 9 } }, /precision/],
      [{ name: 'Colors', type: 'single_select', options: { choices: [{ name: 'Red' }, { name: 'Red' }] } }, /listed twice/],
      [{ name: 'Odd', type: 'text', options: { nope: true } }, /options/],
      [{ name: 'Typo', type: 'txt' }, /not a field type/],
    ] as const) {
      const res = await client.post(sheetPath('/fields'), field);
      expect(res.status, field.name).toBe(400);
      expect(res.body.error.details.fields[field.name]).toMatch(pattern);
    }
  });
});

describe('required, unique, defaults', () => {
  it('applies defaults and requires required fields', async () => {
    const created = await client.post(url(), { fields: { Name: 'Defaulted' } });
    expect(created.body.fields.Stage).toBe('New');
    await client.patch(sheetPath('/fields/Phone'), { required: true });
    const res = await client.post(url(), { fields: { Name: 'No phone' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ Phone: 'is required' });
    await client.patch(sheetPath('/fields/Phone'), { required: false });
    expect((await client.post(sheetPath('/fields'), { name: 'Bad default', type: 'number', defaultValue: 'x' })).status).toBe(400);
    expect((await client.post(sheetPath('/fields'), { name: 'Bad required', type: 'created_time', required: true })).status).toBe(400);
  });

  it('enforces unique with a real index and a 400 naming the field', async () => {
    const indexes = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = ${`ws_${ws}`} AND indexdef LIKE 'CREATE UNIQUE%'`.execute(server.db);
    expect(indexes.rows.map((r) => r.indexname)).toContain(`u_${sheet.fields[2]!.id}`);
    const res = await client.post(url(), { fields: { Name: 'Copy', Email: 'buyer@acme.example' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Email).toMatch(/unique.*buyer@acme.example/);
    // Turning unique on over duplicate values is refused and changes nothing.
    await client.post(url(), { records: [{ fields: { Name: 'Twin' } }, { fields: { Name: 'Twin' } }] });
    const refused = await client.patch(sheetPath('/fields/Name'), { unique: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.Name).toMatch(/duplicate.*Twin/);
    expect((await client.get(sheetPath())).body.fields.find((f: { name: string }) => f.name === 'Name').unique).toBe(false);
  });
});

describe('storage', () => {
  it('renames a choice without rewriting a row', async () => {
    const stage = sheet.fields.find((f) => f.name === 'Stage')!;
    const before = await sql<{ xmin: string }>`SELECT xmin::text FROM ${table()} ORDER BY id`.execute(server.db);
    const choices = stage.options.choices.map((c: { id: string; name: string }) => (c.name === 'Won' ? { ...c, name: 'Closed won' } : c));
    const res = await client.patch(sheetPath('/fields/Stage'), { options: { choices } });
    expect(res.status).toBe(200);
    expect((await sql<{ xmin: string }>`SELECT xmin::text FROM ${table()} ORDER BY id`.execute(server.db)).rows).toEqual(before.rows);
    const won = await client.get(url(`?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Stage' }, 'Closed won'] }))}`));
    expect(won.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['Acme 股份有限公司']);
  });

  it('keeps currency exact: 0.1 + 0.2 sums to 0.30 in SQL, and rounds half up to the precision', async () => {
    await client.post(url(), { records: [{ fields: { Name: 'Dime', Price: 0.1 } }, { fields: { Name: 'Two dimes', Price: 0.2 } }, { fields: { Name: 'Round', Price: 19.995 } }] });
    const sum = await sql<{ s: string }>`SELECT sum(${column('Price')})::text AS s FROM ${table()} WHERE ${column('Name')} IN ('Dime', 'Two dimes')`.execute(server.db);
    expect(sum.rows[0]!.s).toBe('0.30');
    const round = (await client.get(url(`?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Name' }, 'Round'] }))}`))).body.records[0];
    expect(round.fields.Price).toBe(20);
  });
});

describe('files', () => {
  it('uploads a file, links it to a record and serves it with its type and name', async () => {
    const boundary = 'crmtestboundary';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="報價單.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 test\r\n--${boundary}--\r\n`,
    );
    const upload = await client.request('POST', `/api/w/${ws}/attachments`, body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    expect(upload.body).toMatchObject({ name: '報價單.pdf', size: 13, mimeType: 'application/pdf' });
    const record = await client.post(url(), { fields: { Name: 'With file', Files: [upload.body.id] } });
    expect(record.body.fields.Files).toEqual([{ ...upload.body }]);
    const file = await client.get(upload.body.url);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(String(file.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('報價單.pdf')}`);
    expect(file.body).toBe('%PDF-1.4 test');
  });
});
