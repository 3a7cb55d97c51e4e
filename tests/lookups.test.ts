import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORED_TYPE_IDS } from '../schema-engine/index.js';
import { upload } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let userId: string;
const sheets = () => `/api/w/${ws}/sheets`;

const OPTIONS: Partial<Record<string, unknown>> = {
  currency: { currency: 'EUR', precision: 2 },
  single_select: { choices: [{ name: 'A' }, { name: 'B' }] },
  multi_select: { choices: [{ name: 'A' }, { name: 'B' }] },
  autonumber: { prefix: 'N-', digits: 3 },
};

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws, userId } = await server.setup());
});
afterAll(() => server.close());

describe('a lookup of every stored field type', () => {
  it('reads, formats, filters and sorts like the field it looks up', async () => {
    const fields = [{ name: 'Name', type: 'text' }, ...STORED_TYPE_IDS.map((type) => ({ name: `v ${type}`, type, options: OPTIONS[type] }))];
    expect((await client.post(sheets(), { name: 'Source', fields })).status).toBe(201);
    const file = (await upload(client, ws, 'a.txt', 'text/plain', 'hello')).body;
    const values: Record<string, unknown> = {
      text: 'x',
      long_text: 'long\ntext',
      email: 'a@b.example',
      phone: '+1 555 0100',
      url: 'https://a.example/',
      number: 1.5,
      currency: 2.25,
      percent: 0.5,
      date: '2026-01-02',
      datetime: '2026-01-02T03:04:05.000Z',
      checkbox: true,
      single_select: 'B',
      multi_select: ['A', 'B'],
      rating: 3,
      duration: 5400,
      user: userId,
      multi_user: [userId],
      attachment: [file.id],
    };
    const written = Object.fromEntries(Object.entries(values).map(([type, value]) => [`v ${type}`, value]));
    const source = await client.post(`${sheets()}/Source/records`, { fields: { Name: 'one', ...written } });
    expect(source.status, JSON.stringify(source.body)).toBe(201);

    const viewerFields = [
      { name: 'Name', type: 'text' },
      { name: 'Source', type: 'link', options: { sheet: 'Source', relationship: 'many_to_one' } },
      ...STORED_TYPE_IDS.map((type) => ({ name: `l ${type}`, type: 'lookup', options: { link: 'Source', field: `v ${type}` } })),
    ];
    const created = await client.post(sheets(), { name: 'Viewer', fields: viewerFields });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const viewer = await client.post(`${sheets()}/Viewer/records`, { fields: { Name: 'v', Source: [source.body.id] } });
    expect(viewer.status).toBe(201);
    const text = (await client.get(`${sheets()}/Viewer/records/${viewer.body.id}?cellFormat=string&locale=en`)).body.fields;
    const sourceText = (await client.get(`${sheets()}/Source/records/${source.body.id}?cellFormat=string&locale=en`)).body.fields;
    for (const type of STORED_TYPE_IDS) {
      expect(viewer.body.fields[`l ${type}`], type).toEqual([source.body.fields[`v ${type}`]]);
      expect(text[`l ${type}`], type).toBe(sourceText[`v ${type}`]);
      const field = created.body.fields.find((f: { name: string }) => f.name === `l ${type}`);
      expect(field.result, type).toMatchObject({ type, list: true });
      if (type !== 'attachment') {
        const sorted = await client.get(`${sheets()}/Viewer/records?sort=-${encodeURIComponent(`l ${type}`)}`);
        expect(sorted.status, type).toBe(200);
      }
      const filtered = await client.get(`${sheets()}/Viewer/records?filter=${encodeURIComponent(JSON.stringify({ is_not_empty: [{ var: `l ${type}` }] }))}`);
      expect(filtered.body.records.length, type).toBe(1);
    }
  });
});
