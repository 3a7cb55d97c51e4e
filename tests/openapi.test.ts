import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { setupTeamWorkspace, type TeamWorkspace } from './helpers/team-workspace.js';

/**
 * GET /api/w/:ws/openapi.json: a standard OpenAPI 3.1 validator accepts it, and real answers of the Full CRM (its
 * sample data, in Chinese) validate against its schemas, so the document cannot drift from the API. What a role may
 * not see is not in it; a schema change changes it.
 */

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

type Doc = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { tags: string[]; operationId: string }>>;
  components: { schemas: Record<string, { title?: string; properties: Record<string, Record<string, unknown>>; required?: string[] }> };
  [key: string]: unknown;
};

async function standardValidation(doc: Doc) {
  const validator = new Validator();
  const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0]);
  expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
}

/** A validator of a component of the document (JSON Schema 2020-12, the dialect of OpenAPI 3.1), formats checked. */
function componentValidator(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://openapi.test/doc', components: doc.components });
  return (name: string): ValidateFunction => ajv.getSchema(`https://openapi.test/doc#/components/schemas/${name}`) ?? ajv.compile({ $ref: `https://openapi.test/doc#/components/schemas/${name}` });
}

const fieldsOf = (doc: Doc, sheetId: string) => doc.components.schemas[`${sheetId}.Fields`]!.properties;
const operations = (doc: Doc, sheetId: string) =>
  Object.entries(doc.paths)
    .filter(([path]) => path.includes(`/sheets/${sheetId}/`))
    .flatMap(([, ops]) => Object.values(ops).map((o) => o.operationId.replace(`_${sheetId}`, '')))
    .sort();

describe('the Full CRM workspace document', () => {
  let server: TestServer;
  let owner: Client;
  let ws: string;
  let doc: Doc;
  let sheets: { id: string; name: string; fields: { name: string; type: string }[] }[];

  beforeAll(async () => {
    server = await startTestServer();
    ({ client: owner, workspaceId: ws } = await server.setup());
    const installed = await owner.post(`/api/w/${ws}/templates/full-crm/install`, { language: 'zh-TW', sampleData: true });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    sheets = (await owner.get(`/api/w/${ws}/sheets`)).body;
    const res = await owner.get(`/api/w/${ws}/openapi.json`);
    expect(res.status).toBe(200);
    doc = res.body;
  }, 120_000);
  afterAll(() => server?.close());

  it('is a valid OpenAPI 3.1 document by a standard validator', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await standardValidation(doc);
    // The validator does check: a parameter in no place a parameter can be is refused.
    const broken = structuredClone(doc);
    (Object.values(broken.paths)[0]!.get as unknown as { parameters: { in: string }[] }).parameters[0]!.in = 'body';
    expect((await new Validator().validate(broken as unknown as Parameters<Validator['validate']>[0])).valid).toBe(false);
  });

  it('describes every sheet with its real field names, each typed, and every record operation for the owner', () => {
    expect(sheets.length).toBeGreaterThan(5);
    for (const sheet of sheets) {
      const properties = fieldsOf(doc, sheet.id);
      expect(Object.keys(properties)).toEqual(sheet.fields.map((f) => f.name));
      for (const field of sheet.fields) {
        expect(properties[field.name]!['x-field-type']).toBe(field.type);
        // Every value has a type (or, for a list, items).
        expect(properties[field.name]!.type ?? properties[field.name]!.oneOf, `${sheet.name}.${field.name}`).toBeDefined();
      }
      expect(operations(doc, sheet.id)).toEqual(['create', 'delete', 'get', 'list', 'query', 'summary', 'update']);
    }
    const quotes = sheets.find((s) => s.name === '報價單')!;
    const fields = fieldsOf(doc, quotes.id);
    expect(fields['總計']).toMatchObject({ type: 'number', readOnly: true, 'x-field-type': 'formula' });
    expect(fields['報價日期']).toMatchObject({ type: 'string', format: 'date' });
    const opportunities = sheets.find((s) => s.name === '商機')!;
    const stage = fieldsOf(doc, opportunities.id)['階段']!;
    expect(stage.type).toBe('string');
    expect((stage.enum as string[]).length).toBeGreaterThan(2);
    expect(doc.servers).toEqual([{ url: 'http://localhost' }]);
  });

  it('validates the real answers of every sheet (lists, a record, a create, an update) against its schemas', async () => {
    const validator = componentValidator(doc);
    const seen = new Set<string>();
    for (const sheet of sheets) {
      const list = await owner.get(`/api/w/${ws}/sheets/${sheet.id}/records?limit=1000&count=true`);
      expect(list.status).toBe(200);
      const validate = validator(`${sheet.id}.RecordList`);
      expect(validate(list.body), `${sheet.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      for (const record of list.body.records) for (const name of Object.keys(record.fields)) seen.add(sheet.fields.find((f) => f.name === name)!.type);
      if (!list.body.records.length) continue;
      const one = await owner.get(`/api/w/${ws}/sheets/${sheet.id}/records/${list.body.records[0].id}?include=can`);
      const validateRecord = validator(`${sheet.id}.Record`);
      expect(validateRecord(one.body), `${sheet.name}: ${JSON.stringify(validateRecord.errors)}`).toBe(true);
    }
    // A summary answer matches the schema the document gives it.
    const opportunities = sheets.find((s) => s.name === '商機')!;
    const summaryOp = (doc.paths as any)[`/api/w/${ws}/sheets/${opportunities.id}/summary`].get;
    expect(summaryOp.parameters.map((p: { name: string }) => p.name)).toEqual(['groupBy', 'values', 'filter', 'search']);
    const summary = await owner.get(`/api/w/${ws}/sheets/${opportunities.id}/summary?groupBy=${encodeURIComponent('階段')}&values=count`);
    expect(summary.status).toBe(200);
    const summarySchema = new Ajv2020({ strict: false }).compile(summaryOp.responses['200'].content['application/json'].schema);
    expect(summarySchema(summary.body), JSON.stringify(summarySchema.errors)).toBe(true);
    // The sample data reaches the types that differ most in shape.
    expect([...seen].sort()).toEqual(expect.arrayContaining(['autonumber', 'currency', 'date', 'formula', 'link', 'lookup', 'rollup', 'single_select', 'user']));

    // A write: the body the document describes is taken, and the answer matches.
    const accounts = sheets.find((s) => s.name === '客戶')!;
    const input = validator(`${accounts.id}.CreateInput`);
    const fields = { [accounts.fields[0]!.name]: '文件測試公司' };
    expect(input(fields), JSON.stringify(input.errors)).toBe(true);
    const created = await owner.post(`/api/w/${ws}/sheets/${accounts.id}/records`, { fields });
    expect(created.status).toBe(201);
    expect(validator(`${accounts.id}.Record`)(created.body)).toBe(true);
    const updated = await owner.patch(`/api/w/${ws}/sheets/${accounts.id}/records/${created.body.id}`, { fields: { [accounts.fields[0]!.name]: '改名' } });
    expect(validator(`${accounts.id}.Record`)(updated.body)).toBe(true);
  });

  it('refuses an answer that does not match: a value of the wrong type, an unknown choice, a field it does not have', () => {
    const validator = componentValidator(doc);
    const opportunities = sheets.find((s) => s.name === '商機')!;
    const validate = validator(`${opportunities.id}.Fields`);
    expect(validate({ 階段: 'No such stage' })).toBe(false);
    expect(validate({ 'No such field': 'x' })).toBe(false);
    const amount = opportunities.fields.find((f) => f.type === 'currency')!;
    expect(validate({ [amount.name]: '12' })).toBe(false);
    expect(validate({ [amount.name]: 12 })).toBe(true);
  });
});

describe('every field type in the document', () => {
  let server: TestServer;
  let owner: Client;
  let ws: string;
  beforeAll(async () => {
    server = await startTestServer();
    ({ client: owner, workspaceId: ws } = await server.setup());
  }, 60_000);
  afterAll(() => server?.close());

  it('describes each type as records answer it, looked up and rolled up too', async () => {
    const STORED = [
      ['Text', 'text', 'abc'],
      ['Long', 'long_text', 'line\nline'],
      ['Email', 'email', 'a@example.com'],
      ['Phone', 'phone', '+886 2 2345-6789'],
      ['Url', 'url', 'example.com/x'],
      ['Number', 'number', 12.5],
      ['Money', 'currency', 99.99],
      ['Share', 'percent', 0.25],
      ['Day', 'date', '2026-11-22'],
      ['At', 'datetime', '2026-11-22T09:30:00.000Z'],
      ['Done', 'checkbox', true],
      ['Stage', 'single_select', 'Won'],
      ['Tags', 'multi_select', ['a', 'b']],
      ['Stars', 'rating', 4],
      ['Who', 'user', undefined],
      ['Files', 'attachment', undefined],
    ] as const;
    const options: Record<string, unknown> = { single_select: { choices: [{ name: 'Won' }, { name: 'Lost' }] }, multi_select: { choices: [{ name: 'a' }, { name: 'b' }] } };
    const fields = [
      ...STORED.map(([name, type]) => ({ name, type, ...(options[type] ? { options: options[type] } : {}) })),
      { name: 'No', type: 'autonumber', options: { prefix: 'T-', digits: 3 } },
      { name: 'Made', type: 'created_time' },
      { name: 'Changed', type: 'updated_time' },
      { name: 'Maker', type: 'created_by' },
      { name: 'Changer', type: 'updated_by' },
      { name: 'Double', type: 'formula', options: { expression: '{Number} * 2' } },
      { name: 'Label', type: 'formula', options: { expression: 'CONCAT({Text}, "!")' } },
    ];
    expect((await owner.post(`/api/w/${ws}/sheets`, { name: 'Types', fields })).status).toBe(201);
    const me = (await owner.get('/api/me')).body.user.id as string;
    const file = (await upload(owner, ws, 'a.txt', 'text/plain', 'hello')).body.id as string;
    const values = { ...Object.fromEntries(STORED.filter(([, , v]) => v !== undefined).map(([n, , v]) => [n, v])), Who: me, Files: [file] };
    const item = await owner.post(`/api/w/${ws}/sheets/Types/records`, { fields: values });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const looked = [...STORED.map(([name]) => name), 'No', 'Made', 'Maker', 'Double', 'Label'];
    const holder = await owner.post(`/api/w/${ws}/sheets`, {
      name: 'Holder',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Items', type: 'link', options: { sheet: 'Types', relationship: 'many_to_many', inverseName: 'Holders' } },
      ],
    });
    expect(holder.status).toBe(201);
    for (const name of looked) expect((await owner.post(`/api/w/${ws}/sheets/Holder/fields`, { name: `L ${name}`, type: 'lookup', options: { link: 'Items', field: name } })).status).toBe(201);
    for (const [name, fn, field] of [['Sum', 'sum', 'Money'], ['Latest', 'max', 'At'], ['First day', 'min', 'Day'], ['All', 'count_all', 'Text'], ['Texts', 'concat', 'Text']]) {
      expect((await owner.post(`/api/w/${ws}/sheets/Holder/fields`, { name: name!, type: 'rollup', options: { link: 'Items', field, fn } })).status).toBe(201);
    }
    expect((await owner.post(`/api/w/${ws}/sheets/Holder/records`, { fields: { Name: 'h', Items: [item.body.id] } })).status).toBe(201);

    const doc: Doc = (await owner.get(`/api/w/${ws}/openapi.json`)).body;
    await standardValidation(doc);
    const validator = componentValidator(doc);
    const sheets: { id: string; name: string; fields: { name: string }[] }[] = (await owner.get(`/api/w/${ws}/sheets`)).body;
    for (const sheet of sheets) {
      const list = (await owner.get(`/api/w/${ws}/sheets/${sheet.id}/records`)).body;
      // Every field has a value, so every field's schema is tried.
      expect(Object.keys(list.records[0].fields).sort(), sheet.name).toEqual(sheet.fields.map((f) => f.name).sort());
      const validate = validator(`${sheet.id}.RecordList`);
      expect(validate(list), `${sheet.name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(list.records[0].fields)}`).toBe(true);
    }
    const holderFields = fieldsOf(doc, sheets.find((s) => s.name === 'Holder')!.id);
    expect(holderFields['L Stage']).toMatchObject({ type: 'array', items: { type: 'string', enum: ['Won', 'Lost'] }, readOnly: true });
    expect(holderFields['Latest']).toMatchObject({ type: 'string', format: 'date-time', readOnly: true });
    expect(holderFields['Items']).toMatchObject({ type: 'array', items: { required: ['id', 'title'] } });
    expect(holderFields['Items']!.readOnly).toBeUndefined();
  });
});

describe('the document as a role sees it', () => {
  let t: TeamWorkspace;
  beforeAll(async () => {
    t = await setupTeamWorkspace();
  }, 120_000);
  afterAll(() => t?.server.close());
  const docOf = async (client: Client): Promise<Doc> => {
    const res = await client.get(`/api/w/${t.ws}/openapi.json`);
    expect(res.status).toBe(200);
    await standardValidation(res.body);
    return res.body;
  };

  it('leaves out hidden fields and sheets the role may not read, and the operations it may not do', async () => {
    const rep = await docOf(t.as.rep);
    const text = JSON.stringify(rep);
    for (const secret of ['Payroll', 'Salary', '"Cost"', 'Double cost', t.sheets.Payroll.id]) expect(text).not.toContain(secret);
    const leads = fieldsOf(rep, t.sheets.Leads.id);
    expect(Object.keys(leads)).toEqual(expect.arrayContaining(['Name', 'Owner', 'Note', 'Status']));
    expect(leads.Note).toMatchObject({ readOnly: true });
    expect(leads.Name!.readOnly).toBeUndefined();
    // Note may be read but not written.
    expect(rep.components.schemas[`${t.sheets.Leads.id}.Input`]!.properties).not.toHaveProperty('Note');
    expect(operations(rep, t.sheets.Leads.id)).toEqual(['create', 'get', 'list', 'query', 'summary', 'update']);
    expect(operations(rep, t.sheets.Accounts.id)).toEqual(['get', 'list', 'query', 'summary']);

    const owner = await docOf(t.as.owner);
    expect(Object.keys(fieldsOf(owner, t.sheets.Leads.id))).toEqual(expect.arrayContaining(['Cost', 'Double cost']));
    expect(owner.components.schemas).toHaveProperty(`${t.sheets.Payroll.id}.Fields`);

    const viewer = await docOf(t.as.viewer);
    for (const sheet of [t.sheets.Leads, t.sheets.Accounts, t.sheets.Payroll]) expect(operations(viewer, sheet.id)).toEqual(['get', 'list', 'query', 'summary']);
    // A preview of the rep reads only.
    const preview = await t.as.admin.request('GET', `/api/w/${t.ws}/openapi.json`, undefined, { 'x-preview-role': 'Sales rep' });
    expect(operations(preview.body, t.sheets.Leads.id)).toEqual(['get', 'list', 'query', 'summary']);
    expect(JSON.stringify(preview.body)).not.toContain('Salary');
  });

  it('changes when a field is added or renamed', async () => {
    const before = await docOf(t.as.owner);
    const fieldsUrl = `/api/w/${t.ws}/sheets/Accounts/fields`;
    const added = await t.as.owner.post(fieldsUrl, { name: '優先 ⭐', type: 'multi_select', options: { choices: [{ name: '高' }, { name: '低' }] } });
    expect(added.status).toBe(201);
    const after = await docOf(t.as.owner);
    expect(after.info).not.toEqual(before.info);
    expect(fieldsOf(after, t.sheets.Accounts.id)['優先 ⭐']).toMatchObject({ type: 'array', items: { type: 'string', enum: ['高', '低'] } });
    expect(fieldsOf(before, t.sheets.Accounts.id)).not.toHaveProperty('優先 ⭐');
    expect((await t.as.owner.patch(`${fieldsUrl}/${added.body.id}`, { name: 'Priority' })).status).toBe(200);
    const renamed = fieldsOf(await docOf(t.as.rep), t.sheets.Accounts.id);
    expect(renamed).toHaveProperty('Priority');
    expect(renamed).not.toHaveProperty('優先 ⭐');
  });

  it('is for signed-in members only', async () => {
    expect((await t.server.anonymous.get(`/api/w/${t.ws}/openapi.json`)).status).toBe(401);
  });
});
