import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../schema-engine/index.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

// Changing a field's type: preview, refusal, forced conversion with the old column in the trash, and undo.

let server: TestServer;
let client: Client;
let ws: string;

const sheetUrl = (sheet: string, path = '') => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}${path}`;
const fieldUrl = (sheet: string, query = '') => sheetUrl(sheet, `/fields/Value${query}`);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(() => server.close());

/** A sheet with a primary Name (r0, r1, ...) and a field Value holding the given values (undefined: none). */
async function makeSheet(name: string, field: Record<string, unknown>, values: unknown[]) {
  const sheet = (await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }, { name: 'Value', ...field }] })).body;
  const res = await client.post(sheetUrl(name, '/records'), { records: values.map((v, i) => ({ fields: { Name: `r${i}`, ...(v === undefined ? {} : { Value: v }) } })) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: sheet.id as string, fieldId: sheet.fields[1].id as string, ids: res.body.records.map((r: { id: string }) => r.id) as string[] };
}

const valuesOf = async (sheet: string) => (await client.get(sheetUrl(sheet, '/records?sort=Name&limit=1000'))).body.records.map((r: any) => r.fields.Value ?? null);
const fieldOf = async (sheet: string) => (await client.get(sheetUrl(sheet))).body.fields.find((f: any) => f.name === 'Value');
const trashItems = async (fieldId: string) => (await client.get(`/api/w/${ws}/trash`)).body.filter((t: any) => t.fieldId === fieldId);
const restore = (id: string) => client.post(`/api/w/${ws}/trash/${id}/restore`);

async function columnsOf(sheetId: string): Promise<Record<string, string>> {
  const result = await sql<{ column_name: string; data_type: string }>`
    SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ${`ws_${ws}`} AND table_name = ${`s_${sheetId}`}`.execute(server.db);
  return Object.fromEntries(result.rows.map((r) => [r.column_name, r.data_type]));
}

/** Everything a type change could touch: the catalog, the table's columns and rows, and the trash. */
async function snapshot(sheetId: string): Promise<string> {
  const fields = await sql`SELECT id, name, type, options, required, "unique", default_value, deleted_at FROM fields WHERE sheet_id = ${sheetId} ORDER BY id`.execute(server.db);
  const rows = await sql`SELECT * FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)} ORDER BY id`.execute(server.db);
  const trash = await sql`SELECT id, kind, payload FROM trash ORDER BY id`.execute(server.db);
  return JSON.stringify([fields.rows, await columnsOf(sheetId), rows.rows, trash.rows]);
}

describe('preview, refusal and undo', () => {
  it('previews a lossy change with dryRun and changes nothing', async () => {
    const sheet = await makeSheet('Scores', { type: 'text' }, ['12', ' 7.5 ', 'twelve', undefined, '1,200', '-3e2', 'NaN', 'Infinity', '']);
    const before = await snapshot(sheet.id);
    const preview = await client.patch(fieldUrl('Scores', '?dryRun=true'), { type: 'number', options: { precision: 1 } });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      convertible: 4,
      unconvertible: [
        { recordId: sheet.ids[2], value: 'twelve' },
        { recordId: sheet.ids[6], value: 'NaN' },
        { recordId: sheet.ids[7], value: 'Infinity' },
      ],
      unconvertibleCount: 3,
    });
    expect(await snapshot(sheet.id)).toBe(before);
  });

  it('answers 409 without force, with the values that would be lost, and changes nothing', async () => {
    const sheet = (await client.get(sheetUrl('Scores'))).body;
    const before = await snapshot(sheet.id);
    const refused = await client.patch(fieldUrl('Scores'), { type: 'number', name: 'Renamed too' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('unconvertible');
    expect(refused.body.error.details.unconvertible.map((u: any) => u.value)).toEqual(['twelve', 'NaN', 'Infinity']);
    expect(refused.body.error.details.unconvertibleCount).toBe(3);
    expect(await snapshot(sheet.id)).toBe(before);
    // A lossless change needs no force.
    expect((await client.patch(fieldUrl('Scores', '?dryRun=true'), { type: 'long_text' })).body).toMatchObject({ convertible: 7, unconvertibleCount: 0 });
  });

  it('forces the change, keeps the old column in the trash, restores it exactly, and the restore is undoable', async () => {
    const { id: sheetId, fields } = (await client.get(sheetUrl('Scores'))).body;
    const fieldId = fields[1].id;
    const oldValues = await valuesOf('Scores');
    const forced = await client.patch(fieldUrl('Scores', '?force=true'), { type: 'number', options: { precision: 1 } });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ id: fieldId, name: 'Value', type: 'number', options: { precision: 1 } });
    expect(await valuesOf('Scores')).toEqual([12, 7.5, null, null, 1200, -300, null, null, null]);
    expect((await columnsOf(sheetId))[`f_${fieldId}`]).toBe('numeric');

    const [item] = await trashItems(fieldId);
    expect(item).toMatchObject({ kind: 'field_version', name: 'Value', sheetId, fieldId });
    const kept = await sql<{ v: string | null }>`SELECT ${sql.id(`t_${item.id}`)} AS v FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)} ORDER BY id`.execute(server.db);
    expect(kept.rows.map((r) => r.v)).toEqual(['12', ' 7.5 ', 'twelve', null, '1,200', '-3e2', 'NaN', 'Infinity', null]);
    const later = await client.post(sheetUrl('Scores', '/records'), { fields: { Name: 'r9', Value: 99.94 } });
    expect(later.body.fields.Value).toBe(99.9);

    const restored = await restore(item.id);
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ kind: 'field_version', sheetId, fieldId });
    expect(await fieldOf('Scores')).toMatchObject({ id: fieldId, type: 'text', options: {} });
    expect(await valuesOf('Scores')).toEqual([...oldValues, null]);
    expect((await columnsOf(sheetId))[`t_${item.id}`]).toBeUndefined();
    expect((await trashItems(fieldId)).map((t: any) => t.id)).not.toContain(item.id);
    // Undo the undo: the number version comes back, with the value written while it was current.
    const [redo] = await trashItems(fieldId);
    expect(redo.kind).toBe('field_version');
    expect((await restore(redo.id)).status).toBe(200);
    expect(await fieldOf('Scores')).toMatchObject({ type: 'number', options: { precision: 1 } });
    expect(await valuesOf('Scores')).toEqual([12, 7.5, null, null, 1200, -300, null, null, null, 99.9]);
    expect((await restore(redo.id)).status).toBe(404);
  });

  it('refuses to restore a type change of a deleted field until the field is back', async () => {
    const sheet = await makeSheet('Deleted retype', { type: 'text' }, ['5']);
    await client.patch(fieldUrl('Deleted retype'), { type: 'number' });
    const [version] = await trashItems(sheet.fieldId);
    expect((await client.delete(fieldUrl('Deleted retype'))).status).toBe(200);
    const refused = await restore(version.id);
    expect(refused.status).toBe(409);
    const field = (await trashItems(sheet.fieldId)).find((t: any) => t.kind === 'field');
    expect((await restore(field.id)).status).toBe(200);
    expect((await restore(version.id)).status).toBe(200);
    expect(await valuesOf('Deleted retype')).toEqual(['5']);
  });
});

describe('flags across a type change', () => {
  it('keeps required and unique where the new type allows them, and refuses a change that would break unique', async () => {
    const sheet = await makeSheet('Flags', { type: 'text', unique: true, required: true }, ['a@b.co', 'c@d.org']);
    const email = await client.patch(fieldUrl('Flags'), { type: 'email' });
    expect(email.body).toMatchObject({ type: 'email', unique: true, required: true });
    const indexes = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = ${`ws_${ws}`} AND indexname = ${`u_${sheet.fieldId}`}`.execute(server.db);
    expect(indexes.rows).toHaveLength(1);
    expect((await client.post(sheetUrl('Flags', '/records'), { fields: { Value: 'a@b.co' } })).body.error.details.fields.Value).toMatch(/must be unique/);
    expect((await client.post(sheetUrl('Flags', '/records'), { fields: { Name: 'no value' } })).body.error.details.fields).toEqual({ Value: 'is required' });
    // A select cannot be unique: the flag goes, required stays.
    expect((await client.patch(fieldUrl('Flags'), { type: 'single_select' })).body).toMatchObject({ unique: false, required: true });

    await makeSheet('Near twins', { type: 'text', unique: true }, ['1', '1.0']);
    const before = await snapshot((await client.get(sheetUrl('Near twins'))).body.id);
    const refused = await client.patch(fieldUrl('Near twins'), { type: 'number' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.Value).toMatch(/duplicate values.*cannot be unique/);
    expect(await snapshot((await client.get(sheetUrl('Near twins'))).body.id)).toBe(before);
    expect((await client.patch(fieldUrl('Near twins'), { type: 'number', unique: false })).body).toMatchObject({ type: 'number', unique: false });
    expect(await valuesOf('Near twins')).toEqual([1, 1]);
  });
});

describe('conversions', () => {
  // [name, from field, values, to (PATCH body), values after, values the preview calls unconvertible]
  const CASES: [string, Record<string, unknown>, unknown[], Record<string, unknown>, unknown[], string[]][] = [
    ['text→number', { type: 'text' }, ['12', ' 7.5 ', 'twelve', '1e400'], { type: 'number' }, [12, 7.5, null, null], ['twelve', '1e400']],
    ['number→text', { type: 'number', options: { precision: 2 } }, [1.5, -2, 0.1], { type: 'text' }, ['1.50', '-2.00', '0.10'], []],
    ['currency→number', { type: 'currency', options: { currency: 'USD' } }, [19.99, 0.1], { type: 'number' }, [19.99, 0.1], []],
    ['text→percent', { type: 'text' }, ['25%', '0.5', 'half'], { type: 'percent' }, [0.25, 0.5, null], ['half']],
    ['text→date', { type: 'text' }, ['2026-11-22', '2026-02-30', 'soon', '2026-11-22T23:00:00Z'], { type: 'date' }, ['2026-11-22', null, null, '2026-11-22'], ['2026-02-30', 'soon']],
    ['date→datetime', { type: 'date' }, ['2026-11-22', '0001-01-01'], { type: 'datetime' }, ['2026-11-22T00:00:00.000Z', '0001-01-01T00:00:00.000Z'], []],
    ['datetime→date', { type: 'datetime' }, ['2026-11-22T23:30:00.000Z', '2026-11-22T23:30:00-05:00'], { type: 'date' }, ['2026-11-22', '2026-11-23'], []],
    ['datetime→text', { type: 'datetime' }, ['2026-11-22T09:30:00+08:00'], { type: 'text' }, ['2026-11-22T01:30:00.000Z'], []],
    ['number→rating', { type: 'number' }, [1, 4.6, 9, 0, -1], { type: 'rating', options: { max: 5 } }, [1, 5, null, null, null], ['9', '0', '-1']],
    ['rating→number', { type: 'rating' }, [3], { type: 'number' }, [3], []],
    ['text→checkbox', { type: 'text' }, ['yes', 'No', '是', 'maybe', 'TRUE', 'x'], { type: 'checkbox' }, [true, null, true, null, true, true], ['maybe']],
    ['checkbox→text', { type: 'checkbox' }, [true, false], { type: 'text' }, ['true', null], []],
    ['text→email', { type: 'text' }, ['a@b.co', ' c@d.org ', 'not an email'], { type: 'email' }, ['a@b.co', 'c@d.org', null], ['not an email']],
    ['text→url', { type: 'text' }, ['https://acme.example/x', 'acme', 'acme.example'], { type: 'url' }, ['https://acme.example/x', null, 'acme.example'], ['acme']],
    ['text→single_select', { type: 'text' }, ['Won', ' Lost ', 'Won', 'Negotiation'], { type: 'single_select' }, ['Won', 'Lost', 'Won', 'Negotiation'], []],
    ['text→single_select (choices given)', { type: 'text' }, ['Won', 'Lost'], { type: 'single_select', options: { choices: [{ name: 'Won' }] } }, ['Won', null], ['Lost']],
    ['text→multi_select', { type: 'text' }, ['B, A, B', 'A', ''], { type: 'multi_select' }, [['B', 'A'], ['A'], null], []],
    ['multi_select→text', { type: 'multi_select', options: { choices: [{ name: 'A' }, { name: 'B' }] } }, [['B', 'A'], ['A']], { type: 'text' }, ['B, A', 'A'], []],
    ['multi_select→single_select', { type: 'multi_select', options: { choices: [{ name: 'A' }, { name: 'B' }] } }, [['A'], ['A', 'B']], { type: 'single_select' }, ['A', null], ['A, B']],
    ['long_text→phone', { type: 'long_text' }, ['+886 2 2345 6789', 'call me'], { type: 'phone' }, ['+886 2 2345 6789', null], ['call me']],
  ];

  it.each(CASES)('%s', async (name, from, values, to, after, lost) => {
    const sheet = await makeSheet(name, from, values);
    const preview = await client.patch(fieldUrl(name, '?dryRun=true'), to);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.unconvertible.map((u: any) => u.value)).toEqual(lost);
    const res = await client.patch(fieldUrl(name, '?force=true'), to);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.type).toBe(to.type);
    expect(await valuesOf(name)).toEqual(after);
    expect(preview.body.convertible).toBe(after.filter((v) => v !== null).length + (name === 'text→checkbox' ? 1 : 0));
    expect((await trashItems(sheet.fieldId)).map((t: any) => t.kind)).toEqual(['field_version']);
  });

  it('makes the distinct values the choices when a text becomes a select', async () => {
    const field = await fieldOf('text→single_select');
    expect(field.options.choices.map((c: any) => c.name)).toEqual(['Lost', 'Negotiation', 'Won']);
    expect(new Set(field.options.choices.map((c: any) => c.color)).size).toBe(3);
  });

  it('keeps the choices (ids, colors, unused ones) when a single select becomes a multi select', async () => {
    const choices = [{ name: 'Smith, John', color: 'red' }, { name: 'B', color: 'green' }, { name: 'Unused', color: 'pink' }];
    await makeSheet('Select to multi', { type: 'single_select', options: { choices } }, ['Smith, John', 'B', undefined]);
    const before = (await fieldOf('Select to multi')).options.choices;
    const res = await client.patch(fieldUrl('Select to multi'), { type: 'multi_select' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.options.choices).toEqual(before);
    expect(await valuesOf('Select to multi')).toEqual([['Smith, John'], ['B'], null]);
  });

  it('numbers the rows of a new autonumber, and an autonumber can come and go again without gaps', async () => {
    const sheet = await makeSheet('Numbered', { type: 'text' }, ['x', undefined, 'y']);
    const preview = await client.patch(fieldUrl('Numbered', '?dryRun=true'), { type: 'autonumber' });
    expect(preview.body.unconvertible.map((u: any) => u.value)).toEqual(['x', 'y']);
    expect((await client.patch(fieldUrl('Numbered'), { type: 'autonumber' })).status).toBe(409);
    expect((await client.patch(fieldUrl('Numbered', '?force=true'), { type: 'autonumber', options: { prefix: 'Q-', digits: 4 } })).status).toBe(200);
    expect(await valuesOf('Numbered')).toEqual(['Q-0001', 'Q-0002', 'Q-0003']);
    expect((await client.post(sheetUrl('Numbered', '/records'), { fields: { Name: 'r3' } })).body.fields.Value).toBe('Q-0004');
    const [textVersion] = await trashItems(sheet.fieldId);
    // Away to text and back to a fresh autonumber.
    expect((await client.patch(fieldUrl('Numbered'), { type: 'text' })).status).toBe(200);
    expect(await valuesOf('Numbered')).toEqual(['Q-0001', 'Q-0002', 'Q-0003', 'Q-0004']);
    const numberedVersion = (await trashItems(sheet.fieldId)).find((t: any) => t.id !== textVersion.id);
    const again = await client.patch(fieldUrl('Numbered', '?force=true'), { type: 'autonumber', options: { prefix: 'N' } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const created = await client.post(sheetUrl('Numbered', '/records'), { records: [{ fields: { Name: 'r4' } }, { fields: { Name: 'r5' } }] });
    expect(created.body.records.map((r: any) => r.fields.Value)).toEqual(['N5', 'N6']);
    expect(await valuesOf('Numbered')).toEqual(['N1', 'N2', 'N3', 'N4', 'N5', 'N6']);
    // The first autonumber comes back with its numbers, having numbered the rows added while it was away.
    expect((await restore(numberedVersion.id)).status).toBe(200);
    expect(await fieldOf('Numbered')).toMatchObject({ type: 'autonumber', options: { prefix: 'Q-', digits: 4 } });
    expect(await valuesOf('Numbered')).toEqual(['Q-0001', 'Q-0002', 'Q-0003', 'Q-0004', 'Q-0005', 'Q-0006']);
    expect((await client.post(sheetUrl('Numbered', '/records'), { fields: { Name: 'r6' } })).body.fields.Value).toBe('Q-0007');
  });

  it('turns created_time into a date and created_by into a user or text', async () => {
    await makeSheet('Stamps', { type: 'created_time' }, [undefined]);
    const created = (await client.get(sheetUrl('Stamps', '/records'))).body.records[0].createdAt;
    expect((await client.patch(fieldUrl('Stamps'), { type: 'date' })).status).toBe(200);
    expect(await valuesOf('Stamps')).toEqual([created.slice(0, 10)]);
    await makeSheet('Authors', { type: 'created_by' }, [undefined]);
    expect((await client.patch(fieldUrl('Authors'), { type: 'user' })).status).toBe(200);
    expect(await valuesOf('Authors')).toEqual([expect.objectContaining({ email: 'owner@example.com', name: 'Owner' })]);
    expect((await client.patch(fieldUrl('Authors'), { type: 'text' })).status).toBe(200);
    expect(await valuesOf('Authors')).toEqual(['owner@example.com']);
  });

  it('turns text into users only for members of the workspace', async () => {
    await server.db.insertInto('users').values({ id: newId('usr'), email: 'stranger@example.com', name: 'Stranger', password_hash: 'x' }).execute();
    await makeSheet('People', { type: 'text' }, ['OWNER@example.com', 'stranger@example.com', 'nobody@example.com']);
    const preview = await client.patch(fieldUrl('People', '?dryRun=true'), { type: 'user' });
    expect(preview.body.unconvertible.map((u: any) => u.value)).toEqual(['stranger@example.com', 'nobody@example.com']);
    expect((await client.patch(fieldUrl('People', '?force=true'), { type: 'user' })).status).toBe(200);
    expect(await valuesOf('People')).toEqual([expect.objectContaining({ email: 'owner@example.com' }), null, null]);
  });
});
