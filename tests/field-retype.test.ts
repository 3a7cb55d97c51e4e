import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORED_TYPE_IDS } from '../schema-engine/index.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
const sheetUrl = (sheet: string) => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(() => server.close());

async function makeSheet(name: string, field: Record<string, unknown>, values: unknown[]): Promise<{ id: string; fieldId: string; ids: string[] }> {
  const sheet = (await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }, { name: 'Value', ...field }] })).body;
  const res = await client.post(`${sheetUrl(name)}/records`, { records: values.map((v, i) => ({ fields: { Name: `r${i}`, ...(v === undefined ? {} : { Value: v }) } })) });
  expect(res.status).toBe(201);
  return { id: sheet.id, fieldId: sheet.fields[1].id, ids: res.body.records.map((r: { id: string }) => r.id) };
}

const valuesOf = async (sheet: string) =>
  (await client.get(`${sheetUrl(sheet)}/records?sort=Name&limit=1000`)).body.records.map((r: { fields: Record<string, unknown> }) => r.fields.Value ?? null);

async function tableColumns(sheetId: string): Promise<string[]> {
  const result = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = ${`ws_${ws}`} AND table_name = ${`s_${sheetId}`}`.execute(server.db);
  return result.rows.map((r) => r.column_name);
}

describe('type changes', () => {
  it('previews a lossy change, refuses it without force, and changes nothing', async () => {
    const sheet = await makeSheet('Scores', { type: 'text' }, ['12', ' 7.5 ', 'twelve', undefined, '1,200']);
    const preview = await client.patch(`${sheetUrl('Scores')}/fields/Value?dryRun=true`, { type: 'number' });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ convertible: 3, unconvertible: [{ recordId: sheet.ids[2], value: 'twelve' }], unconvertibleCount: 1 });
    const refused = await client.patch(`${sheetUrl('Scores')}/fields/Value`, { type: 'number' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('unconvertible');
    expect(refused.body.error.details.unconvertible).toEqual([{ recordId: sheet.ids[2], value: 'twelve' }]);
    expect((await client.get(sheetUrl('Scores'))).body.fields[1].type).toBe('text');
    expect(await valuesOf('Scores')).toEqual(['12', ' 7.5 ', 'twelve', null, '1,200']);
  });

  it('converts with force, keeps the old column in the trash, and restores it exactly', async () => {
    const sheet = (await client.get(sheetUrl('Scores'))).body;
    const res = await client.patch(`${sheetUrl('Scores')}/fields/Value?force=true`, { type: 'number', options: { precision: 1 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'number', options: { precision: 1 } });
    expect(await valuesOf('Scores')).toEqual([12, 7.5, null, null, 1200]);
    const item = (await client.get(`/api/w/${ws}/trash`)).body.find((t: { kind: string; fieldId: string }) => t.kind === 'field_version' && t.fieldId === sheet.fields[1].id);
    expect(item).toBeDefined();
    expect(await tableColumns(sheet.id)).toContain(`t_${item.id}`);
    // The number filter works on the converted column.
    const filtered = await client.get(`${sheetUrl('Scores')}/records?filter=${encodeURIComponent(JSON.stringify({ '>': [{ var: 'Value' }, 10] }))}`);
    expect(filtered.body.records.map((r: { fields: { Name: string } }) => r.fields.Name).sort()).toEqual(['r0', 'r4']);

    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await client.get(sheetUrl('Scores'))).body.fields[1].type).toBe('text');
    expect(await valuesOf('Scores')).toEqual(['12', ' 7.5 ', 'twelve', null, '1,200']);
    // The undo is itself in the trash: restoring it redoes the change.
    const redo = (await client.get(`/api/w/${ws}/trash`)).body.find((t: { kind: string; fieldId: string }) => t.kind === 'field_version' && t.fieldId === sheet.fields[1].id);
    expect((await client.post(`/api/w/${ws}/trash/${redo.id}/restore`)).status).toBe(200);
    expect(await valuesOf('Scores')).toEqual([12, 7.5, null, null, 1200]);
  });

  it('makes the distinct values the choices when a text becomes a select', async () => {
    await makeSheet('Stages', { type: 'text' }, ['Won', 'Lost', 'Won', undefined, 'Negotiation']);
    const res = await client.patch(`${sheetUrl('Stages')}/fields/Value`, { type: 'single_select' });
    expect(res.status).toBe(200);
    expect(res.body.options.choices.map((c: { name: string }) => c.name)).toEqual(['Lost', 'Negotiation', 'Won']);
    expect(await valuesOf('Stages')).toEqual(['Won', 'Lost', 'Won', null, 'Negotiation']);
    const multi = await client.patch(`${sheetUrl('Stages')}/fields/Value`, { type: 'multi_select' });
    expect(multi.status).toBe(200);
    expect(await valuesOf('Stages')).toEqual([['Won'], ['Lost'], ['Won'], null, ['Negotiation']]);
    expect((await client.patch(`${sheetUrl('Stages')}/fields/Value`, { type: 'text' })).status).toBe(200);
    expect(await valuesOf('Stages')).toEqual(['Won', 'Lost', 'Won', null, 'Negotiation']);
  });

  it('converts between dates, datetimes, numbers, ratings, checkboxes and emails', async () => {
    await makeSheet('Dates', { type: 'text' }, ['2026-11-22', '2026-02-30', 'soon']);
    expect((await client.patch(`${sheetUrl('Dates')}/fields/Value?dryRun=true`, { type: 'date' })).body.unconvertibleCount).toBe(2);
    await client.patch(`${sheetUrl('Dates')}/fields/Value?force=true`, { type: 'date' });
    expect(await valuesOf('Dates')).toEqual(['2026-11-22', null, null]);
    await client.patch(`${sheetUrl('Dates')}/fields/Value`, { type: 'datetime' });
    expect(await valuesOf('Dates')).toEqual(['2026-11-22T00:00:00.000Z', null, null]);
    await client.patch(`${sheetUrl('Dates')}/fields/Value`, { type: 'date' });
    expect(await valuesOf('Dates')).toEqual(['2026-11-22', null, null]);

    await makeSheet('Ratings', { type: 'number' }, [1, 4.6, 9, 0]);
    const rating = await client.patch(`${sheetUrl('Ratings')}/fields/Value?dryRun=true`, { type: 'rating', options: { max: 5 } });
    expect(rating.body.unconvertible.map((u: { value: string }) => u.value)).toEqual(['9', '0']);

    await makeSheet('Flags', { type: 'text' }, ['yes', 'No', '是', 'maybe']);
    await client.patch(`${sheetUrl('Flags')}/fields/Value?force=true`, { type: 'checkbox' });
    expect(await valuesOf('Flags')).toEqual([true, null, true, null]);
    await client.patch(`${sheetUrl('Flags')}/fields/Value`, { type: 'text' });
    expect(await valuesOf('Flags')).toEqual(['true', null, 'true', null]);

    await makeSheet('Mails', { type: 'text' }, ['a@b.co', 'not an email']);
    expect((await client.patch(`${sheetUrl('Mails')}/fields/Value?dryRun=true`, { type: 'email' })).body.unconvertible[0].value).toBe('not an email');
  });

  it('numbers the rows of a new autonumber and turns created_time into a date', async () => {
    await makeSheet('Numbered', { type: 'text' }, [undefined, undefined, undefined]);
    const res = await client.patch(`${sheetUrl('Numbered')}/fields/Value`, { type: 'autonumber', options: { prefix: 'Q-', digits: 4 } });
    expect(res.status).toBe(200);
    expect(await valuesOf('Numbered')).toEqual(['Q-0001', 'Q-0002', 'Q-0003']);
    expect((await client.post(`${sheetUrl('Numbered')}/records`, { fields: { Name: 'r3' } })).body.fields.Value).toBe('Q-0004');

    await makeSheet('Stamps', { type: 'created_time' }, [undefined]);
    await client.patch(`${sheetUrl('Stamps')}/fields/Value`, { type: 'date' });
    expect(await valuesOf('Stamps')).toEqual([new Date().toISOString().slice(0, 10)]);
  });
});

// A value of each writable type, as written through the API.
const SAMPLES: Record<string, unknown> = {
  text: '42',
  long_text: 'Line one\nline two',
  email: 'sales@example.com',
  phone: '+886 2 2345 6789',
  url: 'https://example.com',
  number: 3.5,
  currency: 19.99,
  percent: 0.25,
  date: '2026-11-22',
  datetime: '2026-11-22T09:30:00.000Z',
  checkbox: true,
  single_select: 'A',
  multi_select: ['A', 'B'],
  rating: 4,
  user: 'owner@example.com',
};
const OPTIONS: Record<string, unknown> = { single_select: { choices: [{ name: 'A' }, { name: 'B' }] }, multi_select: { choices: [{ name: 'A' }, { name: 'B' }] } };

describe('every type converts to every other', () => {
  // One test per source type (about twenty changes each), so a loaded machine's slowness is not summed in one test.
  // Read-only sources get their values from the system (a number, a time, a user).
  const targets = STORED_TYPE_IDS.filter((t) => t !== 'attachment');
  it.each([...Object.keys(SAMPLES), 'autonumber', 'created_time', 'updated_by'])('previews and forces %s to each type without a server error, leaving the sheet readable', async (from) => {
    const name = `Matrix ${from}`;
    await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }] });
    for (const to of targets) {
      const field = `${from} to ${to}`;
      expect((await client.post(`${sheetUrl(name)}/fields`, { name: field, type: from, options: OPTIONS[from] })).status).toBe(201);
    }
    const created = await client.post(`${sheetUrl(name)}/records`, {
      fields: { Name: 'sample', ...(from in SAMPLES ? Object.fromEntries(targets.map((t) => [`${from} to ${t}`, SAMPLES[from]])) : {}) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const record = created.body;
    for (const to of targets) {
      const field = `${from} to ${to}`;
      const preview = await client.patch(`${sheetUrl(name)}/fields/${encodeURIComponent(field)}?dryRun=true`, { type: to });
      expect(preview.status, `${field}: ${JSON.stringify(preview.body)}`).toBe(200);
      expect(preview.body.convertible + preview.body.unconvertibleCount).toBe(1);
      const forced = await client.patch(`${sheetUrl(name)}/fields/${encodeURIComponent(field)}?force=true`, { type: to });
      expect(forced.status, `${field}: ${JSON.stringify(forced.body)}`).toBe(200);
      const after = await client.get(`${sheetUrl(name)}/records/${record.id}`);
      expect(after.status).toBe(200);
      // What the preview said converts is there after the change.
      if (preview.body.convertible === 1 && !['autonumber', 'created_time', 'updated_time', 'created_by', 'updated_by'].includes(to)) {
        expect(after.body.fields[field], `${field} lost its value`).toBeDefined();
      }
    }
    expect((await client.get(`${sheetUrl(name)}/records?cellFormat=string`)).status).toBe(200);
  }, 120_000);
});
