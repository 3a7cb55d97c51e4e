import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORED_TYPE_IDS, newId } from '../schema-engine/index.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

// Every type converts to every other without a server error, and back from the trash exactly; the trash brings
// back deleted fields and sheets; names are data.

let server: TestServer;
let client: Client;
let ws: string;

const sheetUrl = (sheet: string, path = '') => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}${path}`;
const trash = async () => (await client.get(`/api/w/${ws}/trash`)).body as any[];
const tableOf = (sheetId: string) => sql.id(`ws_${ws}`, `s_${sheetId}`);

async function columnNames(sheetId: string): Promise<string[]> {
  const result = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = ${`ws_${ws}`} AND table_name = ${`s_${sheetId}`}`.execute(server.db);
  return result.rows.map((r) => r.column_name);
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(() => server.close());

const SYSTEM = ['autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by'];
const OPTIONS: Record<string, Record<string, unknown>> = {
  single_select: { choices: [{ name: 'A' }, { name: 'B, C' }] },
  multi_select: { choices: [{ name: 'A' }, { name: 'B' }] },
  autonumber: { prefix: 'Q-', digits: 4 },
  currency: { currency: 'TWD', precision: 2 },
  percent: { precision: 1 },
};

describe('every type converts to every other', () => {
  it('previews, refuses or converts, stays readable, and restores the exact old value, for each ordered pair', async () => {
    const boundary = 'matrixboundary';
    const file = await client.request('POST', `/api/w/${ws}/attachments`, Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`), {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(file.status).toBe(201);
    const SAMPLES: Record<string, unknown> = {
      text: '42',
      long_text: 'Line one, line two\nthree',
      email: 'owner@example.com',
      phone: '+886 2 2345 6789',
      url: 'https://example.com/a?b=1',
      number: 3.5,
      currency: 19.99,
      percent: 0.255,
      date: '2026-11-22',
      datetime: '2026-11-22T09:30:00.000Z',
      checkbox: true,
      single_select: 'B, C',
      multi_select: ['B', 'A'],
      rating: 4,
      user: 'owner@example.com',
      multi_user: ['owner@example.com'],
      duration: 5400,
      attachment: [file.body.id],
    };
    expect([...Object.keys(SAMPLES), ...SYSTEM].sort()).toEqual([...STORED_TYPE_IDS].sort());
    let checked = 0;
    for (const from of STORED_TYPE_IDS) {
      const name = `Matrix ${from}`;
      const targets = STORED_TYPE_IDS.filter((t) => t !== from);
      const fields = targets.map((to) => ({ name: `to ${to}`, type: from, options: OPTIONS[from] }));
      expect((await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }, ...fields] })).status).toBe(201);
      const sample = from in SAMPLES ? Object.fromEntries(targets.map((to) => [`to ${to}`, SAMPLES[from]])) : {};
      const created = await client.post(sheetUrl(name, '/records'), { fields: { Name: 'sample', ...sample } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const original = created.body;
      for (const to of targets) {
        const field = `to ${to}`;
        const where = `${from} → ${to}`;
        const fieldUrl = sheetUrl(name, `/fields/${encodeURIComponent(field)}`);
        expect(original.fields[field], where).toBeDefined();
        const preview = await client.patch(`${fieldUrl}?dryRun=true`, { type: to });
        expect(preview.status, `${where}: ${JSON.stringify(preview.body)}`).toBe(200);
        expect(preview.body.convertible + preview.body.unconvertibleCount, where).toBe(1);
        if (preview.body.unconvertibleCount) {
          expect(preview.body.unconvertible, where).toEqual([{ recordId: original.id, value: expect.any(String) }]);
          const refused = await client.patch(fieldUrl, { type: to });
          expect(refused.status, where).toBe(409);
          expect(refused.body.error.details.unconvertible, where).toEqual(preview.body.unconvertible);
          expect((await client.patch(`${fieldUrl}?force=true`, { type: to })).status, where).toBe(200);
        } else {
          const changed = await client.patch(fieldUrl, { type: to });
          expect(changed.status, `${where}: ${JSON.stringify(changed.body)}`).toBe(200);
        }
        const after = await client.get(sheetUrl(name, `/records/${original.id}`));
        expect(after.status, where).toBe(200);
        // What the preview called convertible is there after the change (system and sequence types fill their own).
        if (preview.body.convertible === 1 && !SYSTEM.includes(to)) expect(after.body.fields[field], `${where} lost its value`).toBeDefined();
        if (SYSTEM.includes(to)) expect(after.body.fields[field], where).toBeDefined();
        expect((await client.get(sheetUrl(name))).status, where).toBe(200);
        expect((await client.get(sheetUrl(name, '/records?cellFormat=string&locale=zh-TW'))).status, where).toBe(200);
        // Undo: the old type and the exact old value come back.
        const fieldId = after.body && (await client.get(sheetUrl(name))).body.fields.find((f: any) => f.name === field).id;
        const item = (await trash()).find((t) => t.kind === 'field_version' && t.fieldId === fieldId);
        expect(item, where).toBeDefined();
        const restored = await client.post(`/api/w/${ws}/trash/${item.id}/restore`);
        expect(restored.status, `${where}: ${JSON.stringify(restored.body)}`).toBe(200);
        const back = await client.get(sheetUrl(name, `/records/${original.id}`));
        expect(back.body.fields[field], `${where} and back`).toEqual(original.fields[field]);
        checked++;
      }
      const listed = await client.get(sheetUrl(name, '/records?cellFormat=string'));
      expect(listed.status).toBe(200);
      expect((await client.get(sheetUrl(name))).body.fields.map((f: any) => f.type)).toEqual(['text', ...targets.map(() => from)]);
    }
    expect(checked).toBe(STORED_TYPE_IDS.length * (STORED_TYPE_IDS.length - 1));
  }, 300_000);
});

describe('the trash', () => {
  it('restores a deleted field with its data, its unique index, and a free name if the old one is taken', async () => {
    const sheet = (
      await client.post(`/api/w/${ws}/sheets`, {
        name: 'Orders',
        fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'currency', options: { currency: 'USD' }, unique: true }, { name: 'Note', type: 'long_text' }],
      })
    ).body;
    const amount = sheet.fields[1];
    const records = (await client.post(sheetUrl('Orders', '/records'), { records: [1, 2, 3].map((n) => ({ fields: { Name: `o${n}`, Amount: n * 10.5, Note: `n${n}` } })) })).body.records;
    expect((await client.delete(sheetUrl('Orders', '/fields/Amount'))).status).toBe(200);
    expect((await client.get(sheetUrl('Orders'))).body.fields.map((f: any) => f.name)).toEqual(['Name', 'Note']);
    expect((await client.get(sheetUrl('Orders', `/records/${records[0].id}`))).body.fields).toEqual({ Name: 'o1', Note: 'n1' });
    expect((await client.post(sheetUrl('Orders', '/records'), { fields: { Amount: 1 } })).body.error.details.fields.Amount).toMatch(/not a field/);
    const item = (await trash()).find((t) => t.fieldId === amount.id);
    expect(item).toMatchObject({ kind: 'field', name: 'Amount', sheetId: sheet.id });
    expect(await columnNames(sheet.id)).toContain(`f_${amount.id}`);
    // The name is free while the field is in the trash.
    expect((await client.post(sheetUrl('Orders', '/fields'), { name: 'Amount', type: 'text' })).status).toBe(201);
    await client.post(sheetUrl('Orders', '/records'), { fields: { Name: 'o4', Amount: 'new text' } });

    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    const fields = (await client.get(sheetUrl('Orders'))).body.fields;
    expect(fields.find((f: any) => f.id === amount.id)).toMatchObject({ name: 'Amount (2)', type: 'currency', unique: true });
    const list = (await client.get(sheetUrl('Orders', '/records?sort=Name'))).body.records;
    expect(list.map((r: any) => [r.fields['Amount (2)'] ?? null, r.fields.Amount ?? null])).toEqual([[10.5, null], [21, null], [31.5, null], [null, 'new text']]);
    const dup = await client.post(sheetUrl('Orders', '/records'), { fields: { 'Amount (2)': 21 } });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields['Amount (2)']).toMatch(/must be unique/);
    expect((await trash()).find((t) => t.id === item.id)).toBeUndefined();
  });

  it('restores a deleted sheet with its records', async () => {
    const sheet = (await client.post(`/api/w/${ws}/sheets`, { name: 'Pipeline', fields: [{ name: 'Deal', type: 'text' }, { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }] } }] })).body;
    await client.post(sheetUrl('Pipeline', '/records'), { records: [{ fields: { Deal: 'Acme', Stage: 'Won' } }, { fields: { Deal: 'Globex' } }] });
    const before = (await client.get(sheetUrl('Pipeline', '/records?sort=Deal'))).body.records;
    expect((await client.delete(sheetUrl('Pipeline'))).status).toBe(200);
    expect((await client.get(sheetUrl('Pipeline'))).status).toBe(404);
    expect((await client.get(sheetUrl('Pipeline', '/records'))).status).toBe(404);
    expect((await client.get(`/api/w/${ws}/sheets`)).body.map((s: any) => s.name)).not.toContain('Pipeline');
    const item = (await trash()).find((t) => t.kind === 'sheet' && t.sheetId === sheet.id);
    expect(item).toMatchObject({ name: 'Pipeline', fieldId: null });
    expect((await columnNames(sheet.id)).length).toBeGreaterThan(0);
    expect((await client.post(`/api/w/${ws}/sheets`, { name: 'pipeline' })).status).toBe(201);

    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    const restored = (await client.get(sheetUrl(sheet.id))).body;
    expect(restored).toMatchObject({ id: sheet.id, name: 'Pipeline (2)', fields: sheet.fields });
    expect((await client.get(sheetUrl('Pipeline (2)', '/records?sort=Deal'))).body.records).toEqual(before);
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(404);
    expect((await client.post(`/api/w/${ws}/trash/${newId('trs')}/restore`)).status).toBe(404);
  });

  it('refuses to delete the primary field, until another field is primary', async () => {
    const sheet = (await client.get(sheetUrl('Orders'))).body;
    const res = await client.delete(sheetUrl('Orders', '/fields/Name'));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Name).toMatch(/primary field cannot be deleted/);
    expect((await client.get(sheetUrl('Orders'))).body).toEqual(sheet);
    expect((await client.patch(sheetUrl('Orders'), { primaryField: 'Note' })).status).toBe(200);
    expect((await client.delete(sheetUrl('Orders', '/fields/Name'))).status).toBe(200);
  });
});

describe('names are data', () => {
  it('treats a field and a sheet named like SQL injections as plain names', async () => {
    const evil = '"; DROP TABLE users; --';
    const sheetName = `Robert'); DROP TABLE sheets; --`;
    const usersBefore = (await sql<{ n: string }>`SELECT count(*) AS n FROM users`.execute(server.db)).rows[0]!.n;
    const sheet = (await client.post(`/api/w/${ws}/sheets`, { name: sheetName, fields: [{ name: 'Name', type: 'text' }, { name: evil, type: 'text', unique: true }] })).body;
    expect(sheet.fields[1].name).toBe(evil);
    const url = sheetUrl(sheetName, '/records');
    expect((await client.post(url, { records: [{ fields: { Name: 'a', [evil]: '10' } }, { fields: { Name: 'b', [evil]: '9' } }] })).status).toBe(201);
    const dup = await client.post(url, { fields: { [evil]: '10' } });
    expect(dup.body.error.details.fields).toHaveProperty([evil]);
    const filtered = await client.get(`${url}?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: evil }, '9'] }))}`);
    expect(filtered.body.records.map((r: any) => r.fields.Name)).toEqual(['b']);
    const fieldUrl = sheetUrl(sheetName, `/fields/${encodeURIComponent(evil)}`);
    expect((await client.patch(`${fieldUrl}?dryRun=true`, { type: 'number' })).body).toMatchObject({ convertible: 2, unconvertibleCount: 0 });
    expect((await client.patch(fieldUrl, { type: 'number', name: `${evil} 2` })).body).toMatchObject({ name: `${evil} 2`, type: 'number' });
    const sorted = await client.get(`${url}?sort=${encodeURIComponent(`-${evil} 2`)}`);
    expect(sorted.body.records.map((r: any) => r.fields[`${evil} 2`])).toEqual([10, 9]);
    expect((await client.delete(sheetUrl(sheetName, `/fields/${encodeURIComponent(`${evil} 2`)}`))).status).toBe(200);
    const item = (await trash()).find((t) => t.kind === 'field' && t.name === `${evil} 2`);
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await client.get(`${url}?sort=Name`)).body.records.map((r: any) => r.fields[`${evil} 2`])).toEqual([10, 9]);
    // Only generated identifiers reach PostgreSQL; the users table is untouched.
    expect((await columnNames(sheet.id)).every((c) => /^(id|version|created_at|updated_at|created_by|updated_by|deleted_at|[ft]_[a-z0-9]+)$/.test(c))).toBe(true);
    expect((await sql<{ n: string }>`SELECT count(*) AS n FROM users`.execute(server.db)).rows[0]!.n).toBe(usersBefore);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${tableOf(sheet.id)}`.execute(server.db)).rows[0]!.n)).toBe(2);
  });
});
