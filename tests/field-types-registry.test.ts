import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_TYPE_IDS } from '../schema-engine/index.js';
import { clientFieldTypes } from '../client/src/field-types/index.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

// What the API says of each field (valueKind, readOnly, filterOperators) comes from the engine's type modules; the
// client's modules say the same for fields not saved yet. Per-type display options are validated and honoured.

let server: TestServer;
let client: Client;
let ws: string;
type FieldJson = { id: string; name: string; type: string; valueKind: string; readOnly: boolean; filterOperators: string[]; options: Record<string, unknown> };
let fields: Map<string, FieldJson>;

const sheetUrl = (sheet: string, path = '') => `/api/w/${ws}/sheets/${sheet}${path}`;
const filterUrl = (sheet: string, logic: unknown) => sheetUrl(sheet, `/records?filter=${encodeURIComponent(JSON.stringify(logic))}`);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup('owner@example.com'));
  const created = await client.post(`/api/w/${ws}/sheets`, { name: 'Products', fields: [{ name: 'Title', type: 'text' }, { name: 'Price', type: 'currency', options: { currency: 'EUR' } }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const options: Record<string, unknown> = {
    single_select: { choices: [{ name: 'New', color: 'green' }, { name: 'Won' }] },
    multi_select: { choices: [{ name: 'VIP' }] },
    link: { sheet: 'Products', relationship: 'many_to_many' },
    lookup: { link: 'link', field: 'Price' },
    rollup: { link: 'link', field: 'Price', fn: 'sum' },
    formula: { expression: '{number} * 2' },
    button: { label: 'Press', url: 'https://example.com/{{id}}' },
  };
  const types = FIELD_TYPE_IDS.filter((t) => !['lookup', 'rollup', 'formula'].includes(t));
  const res = await client.post(`/api/w/${ws}/sheets`, { name: 'Types', fields: [{ name: 'Name', type: 'text' }, ...types.map((type) => ({ name: type, type, options: options[type] }))] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const type of ['lookup', 'rollup', 'formula']) expect((await client.post(sheetUrl('Types', '/fields'), { name: type, type, options: options[type] })).status).toBe(201);
  const sheet = await client.get(sheetUrl('Types'));
  fields = new Map((sheet.body.fields as FieldJson[]).map((f) => [f.name, f]));
});
afterAll(() => server.close());

describe('Field answers', () => {
  it('say valueKind, readOnly and filterOperators for every type, as the client modules do', () => {
    for (const type of FIELD_TYPE_IDS) {
      const field = fields.get(type)!;
      expect(field, type).toBeDefined();
      expect(typeof field.valueKind, type).toBe('string');
      expect(typeof field.readOnly, type).toBe('boolean');
      expect(Array.isArray(field.filterOperators), type).toBe(true);
      const module = clientFieldTypes[type];
      expect(module.id, type).toBe(type);
      expect(field.readOnly, type).toBe(module.readOnly);
      // Computed types say their result's kind (a rollup of currencies is a number); the module says its usual one.
      if (!['lookup', 'rollup', 'formula'].includes(type)) expect(field.valueKind, type).toBe(module.valueKind);
    }
    expect(fields.get('number')!.filterOperators).toEqual(expect.arrayContaining(['==', '<', '>=', 'is_empty']));
    expect(fields.get('text')!.filterOperators).toEqual(expect.arrayContaining(['contains', 'starts_with']));
    expect(fields.get('checkbox')!.filterOperators).not.toContain('contains');
    expect(fields.get('checkbox')!.filterOperators).not.toContain('<');
    expect(fields.get('attachment')!.filterOperators.sort()).toEqual(['is_empty', 'is_not_empty']);
    expect(fields.get('link')!.valueKind).toBe('link');
    expect(fields.get('lookup')!).toMatchObject({ valueKind: 'number', readOnly: true });
    expect(fields.get('lookup')!.filterOperators).toEqual(expect.arrayContaining(['>', 'is_empty']));
    expect(fields.get('formula')!).toMatchObject({ valueKind: 'number', readOnly: true });
    expect(fields.get('created_by')!).toMatchObject({ valueKind: 'user', readOnly: true });
  });

  it('lists exactly the operators a listing accepts', async () => {
    for (const type of FIELD_TYPE_IDS) {
      const field = fields.get(type)!;
      for (const op of field.filterOperators) {
        const res = await client.get(filterUrl('Types', { [op]: [{ var: type }, ...(op.startsWith('is_') ? [] : [op === 'in' ? [] : null])] }));
        // A value of the wrong kind may be refused (400 naming the value), never the operator itself.
        if (res.status !== 200) expect(res.body.error.message, `${type} ${op}`).not.toMatch(/cannot be used on/);
      }
      const refused = ['contains', '<', 'starts_with', 'in'].find((op) => !field.filterOperators.includes(op));
      if (refused) expect((await client.get(filterUrl('Types', { [refused]: [{ var: type }, 'x'] }))).body.error.message, `${type} ${refused}`).toMatch(/cannot be used on/);
    }
  });
});

describe('display options', () => {
  it('are validated, kept and honoured by the server formatting', async () => {
    const bad = await client.post(sheetUrl('Types', '/fields'), { name: 'Year', type: 'number', options: { thousands: 'no' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/thousands/);
    expect((await client.post(sheetUrl('Types', '/fields'), { name: 'Day', type: 'date', options: { dateFormat: 'roman' } })).status).toBe(400);
    expect((await client.post(sheetUrl('Types', '/fields'), { name: 'At', type: 'datetime', options: { clock: '36h' } })).status).toBe(400);
    const added = [
      { name: 'Year', type: 'number', options: { thousands: false } },
      { name: 'Price', type: 'currency', options: { currency: 'EUR', precision: 0 } },
      { name: 'Day', type: 'date', options: { dateFormat: 'iso' } },
      { name: 'EU day', type: 'date', options: { dateFormat: 'eu' } },
      { name: 'At', type: 'datetime', options: { dateFormat: 'iso', clock: '24h' } },
    ];
    for (const field of added) {
      const res = await client.post(sheetUrl('Types', '/fields'), field);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.options).toMatchObject(field.options);
    }
    const record = await client.post(sheetUrl('Types', '/records'), { fields: { Name: 'opts', Year: 1996, Price: 1234.4, Day: '2026-03-04', 'EU day': '2026-03-04', At: '2026-03-04T15:30:00Z' } });
    expect(record.status, JSON.stringify(record.body)).toBe(201);
    const formatted = await client.get(`${filterUrl('Types', { '==': [{ var: 'Name' }, 'opts'] })}&cellFormat=string&locale=en`);
    expect(formatted.body.records[0].fields).toMatchObject({ Year: '1996', Price: '€1,234', Day: '2026-03-04', 'EU day': '04/03/2026', At: '2026-03-04 15:30' });
  });

  it('keeps a colour per choice', async () => {
    expect(fields.get('single_select')!.options.choices).toEqual([expect.objectContaining({ name: 'New', color: 'green' }), expect.objectContaining({ name: 'Won' })]);
  });
});
