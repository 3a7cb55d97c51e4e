import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './helpers/export.js';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

/**
 * The `button` field (API.md "Sheets and fields"): no value; pressing it (POST .../records/:record/fields/:field/press,
 * an extension in docs/api.md) runs a `button` workflow of its sheet as the presser, or answers its URL template
 * filled in from the record.
 */
let server: TestServer;
let client: Client;
let viewer: Client;
let editor: { client: Client; userId: string };
let ws: string;
let workflowId: string;
let leadId: string;

const sheetUrl = (path = '') => `/api/w/${ws}/sheets/Leads${path}`;
const press = (c: Client, field: string, record = leadId, language = 'en') =>
  c.request('POST', sheetUrl(`/records/${record}/fields/${encodeURIComponent(field)}/press`), undefined, { 'accept-language': language });
const addField = (body: unknown, language = 'en') => client.request('POST', sheetUrl('/fields'), body, { 'accept-language': language });

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  ({ client, workspaceId: ws } = await server.setup());
  const made = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Lost' }] } },
    ],
  });
  expect(made.status).toBe(201);
  const wf = await client.post(`/api/w/${ws}/workflows`, {
    name: 'Mark lost',
    trigger: { type: 'button', sheet: 'Leads', label: 'Lost' },
    steps: [{ type: 'update_record', fields: { Status: 'Lost' } }],
  });
  expect(wf.status).toBe(201);
  workflowId = wf.body.id;
  leadId = (await client.post(sheetUrl('/records'), { fields: { Name: 'Tom & "Jerry"?x=1#y' } })).body.id;
  viewer = (await addMember(server, ws, 'viewer@example.com', 'viewer')).client;
  editor = await addMember(server, ws, 'editor@example.com', 'editor');
});
afterAll(async () => {
  await server?.close();
});

describe('creating a button field', () => {
  it('takes a workflow or a URL, with a label, and has no value kind to filter by', async () => {
    const run = await addField({ name: 'Lose it', type: 'button', options: { label: 'Mark lost', workflow: workflowId } });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ type: 'button', options: { label: 'Mark lost', workflow: workflowId }, readOnly: true, filterOperators: [] });
    const open = await addField({ name: 'Search', type: 'button', options: { label: 'Search', url: 'https://example.com/search?q={{Name}}&id={{id}}' } });
    expect(open.status).toBe(201);
    expect(open.body.options).toEqual({ label: 'Search', url: 'https://example.com/search?q={{Name}}&id={{id}}' });
  });

  it('refuses options without exactly one of workflow and url, naming them, in English and Chinese', async () => {
    for (const options of [{ label: 'x' }, { label: 'x', workflow: workflowId, url: 'https://a.example' }]) {
      const en = await addField({ name: 'Bad', type: 'button', options });
      expect(en.status).toBe(400);
      expect(en.body.error.details.fields.Bad).toMatch(/^options: .*exactly one/);
      const zh = await addField({ name: 'Bad', type: 'button', options }, 'zh-TW');
      expect(zh.status).toBe(400);
      expect(zh.body.error.message).toMatch(/只提供其中一個/);
    }
    const elsewhere = await client.post(`/api/w/${ws}/workflows`, { name: 'Other', trigger: { type: 'record_created', sheet: 'Leads' }, steps: [] });
    for (const workflow of ['wfl_nope', elsewhere.body.id]) {
      const en = await addField({ name: 'Bad', type: 'button', options: { label: 'x', workflow } });
      expect(en.status).toBe(400);
      expect(en.body.error.details.fields.Bad).toMatch(/^options\.workflow: there is no workflow .* with a button trigger on "Leads"/);
      const zh = await addField({ name: 'Bad', type: 'button', options: { label: 'x', workflow } }, 'zh-TW');
      expect(zh.body.error.message).toMatch(/沒有按鈕觸發的工作流程/);
    }
    const noLabel = await addField({ name: 'Bad', type: 'button', options: { workflow: workflowId } });
    expect(noLabel.status).toBe(400);
    expect(noLabel.body.error.details.fields.Bad).toMatch(/^options\.label/);
    const badTemplate = await addField({ name: 'Bad', type: 'button', options: { label: 'x', url: 'https://a.example/{{#if}}' } });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.error.details.fields.Bad).toMatch(/^options\.url: /);
    expect((await client.get(sheetUrl())).body.fields.map((f: { name: string }) => f.name)).not.toContain('Bad');
  });
});

describe('pressing a button', () => {
  it('runs its workflow on the record as the one who pressed it; the run shows among the workflow runs', async () => {
    const res = await press(editor.client, 'Lose it');
    expect(res.status).toBe(202);
    expect(res.body.runId).toMatch(/^run/);
    const run = await until('the button run', async () => {
      const r = await client.get(`/api/w/${ws}/runs/${res.body.runId}`);
      return r.body.status === 'succeeded' && r.body;
    });
    expect(run.recordId).toBe(leadId);
    const runs = (await client.get(`/api/w/${ws}/workflows/${workflowId}/runs`)).body.runs as { id: string }[];
    expect(runs.map((r) => r.id)).toContain(res.body.runId);
    const lead = (await client.get(sheetUrl(`/records/${leadId}`))).body;
    expect(lead.fields.Status).toBe('Lost');
    // The change is the presser's, made through the run.
    const history = (await client.get(sheetUrl(`/records/${leadId}/history`))).body;
    expect(history[0]).toMatchObject({ action: 'update', by: { id: editor.userId }, via: { workflowId, runId: res.body.runId }, changes: { Status: { to: 'Lost' } } });
  });

  it('answers the URL filled in with the record, each value URL-encoded', async () => {
    const res = await press(client, 'Search');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: `https://example.com/search?q=${encodeURIComponent('Tom & "Jerry"?x=1#y')}&id=${leadId}` });
  });

  it('refuses a URL that is not http(s) or mailto: when saved or pressed, in English and Chinese', async () => {
    // Refused when saved where the template's start says it already; else when pressed, on what it gave.
    const early = await addField({ name: 'Evil', type: 'button', options: { label: 'Evil', url: 'javascript:alert({{Name}})' } });
    expect(early.status).toBe(400);
    expect(early.body.error.details.fields.Evil).toMatch(/^options\.url: must start with http/);
    expect((await addField({ name: 'Evil', type: 'button', options: { label: 'Evil', url: ' javascript:x' } }, 'zh-TW')).body.error.message).toMatch(/網址.*必須以 http/);
    const made = await addField({ name: 'Evil', type: 'button', options: { label: 'Evil', url: '{{Name}}' } });
    expect(made.status).toBe(201);
    const en = await press(client, 'Evil');
    expect(en.status).toBe(400);
    expect(en.body.error.message).toMatch(/must start with http:\/\/, https:\/\/ or mailto:/);
    const zh = await press(client, 'Evil', leadId, 'zh-TW');
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toMatch(/必須以 http/);
    const mail = await addField({ name: 'Mail', type: 'button', options: { label: 'Mail', url: 'mailto:someone@example.com?subject={{Name}}' } });
    expect(mail.status).toBe(201);
    expect((await press(client, 'Mail')).body.url).toBe(`mailto:someone@example.com?subject=${encodeURIComponent('Tom & "Jerry"?x=1#y')}`);
  });

  it('is unknown (404) to a role that cannot read the field', async () => {
    const sheet = (await client.get(sheetUrl())).body as { id: string; fields: { id: string; name: string }[] };
    const hidden = sheet.fields.find((f) => f.name === 'Search')!.id;
    const all = { read: 'all', create: true, update: 'all', delete: 'none' };
    const role = await client.post(`/api/w/${ws}/roles`, { name: 'No search', design: false, members: false, sheets: { [sheet.id]: { ...all, fields: { [hidden]: 'hidden' } } }, otherSheets: all });
    expect(role.status).toBe(201);
    const member = await addMember(server, ws, 'nosearch@example.com', 'viewer');
    expect((await client.patch(`/api/w/${ws}/members/${member.userId}`, { role: 'No search' })).status).toBe(200);
    const refused = await press(member.client, 'Search');
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).toMatch(/Button field "Search"/);
    expect((await press(member.client, hidden)).status).toBe(404);
    // The other button of the sheet still works for them.
    expect((await press(member.client, 'Mail')).status).toBe(200);
  });

  it("refuses a viewer (who cannot change the record), and is 404 for a field that is no button or a record that does not exist", async () => {
    expect((await press(viewer, 'Lose it')).status).toBe(403);
    expect((await press(viewer, 'Search')).status).toBe(403);
    expect((await press(client, 'Name')).status).toBe(404);
    expect((await press(client, 'Nope')).status).toBe(404);
    expect((await press(client, 'Lose it', '999999')).status).toBe(404);
  });
});

describe('a button has no value', () => {
  it('is not in records, and writing it is refused', async () => {
    const lead = (await client.get(sheetUrl(`/records/${leadId}`))).body;
    expect(Object.keys(lead.fields)).not.toContain('Search');
    const listed = (await client.get(sheetUrl('/records'))).body.records as { fields: Record<string, unknown> }[];
    expect(listed.every((r) => !('Search' in r.fields) && !('Lose it' in r.fields))).toBe(true);
    const write = await client.patch(sheetUrl(`/records/${leadId}`), { fields: { Search: 'x' } });
    expect(write.status).toBe(400);
    expect(Object.keys(write.body.error.details.fields)).toEqual(['Search']);
  });

  it('cannot be filtered, sorted, searched, grouped or summarized on', async () => {
    const filter = await client.get(sheetUrl(`/records?filter=${encodeURIComponent(JSON.stringify({ is_not_empty: [{ var: 'Search' }] }))}`));
    expect(filter.status).toBe(400);
    expect(filter.body.error.message).toMatch(/"is_not_empty" cannot be used on the button field "Search": it has no value to filter on/);
    const sort = await client.get(sheetUrl('/records?sort=Search'));
    expect(sort.status).toBe(400);
    expect(sort.body.error.message).toMatch(/"Search" is a button field: it has no value to sort by/);
    for (const query of ['groupBy=Search', 'values=filled(Search)']) {
      const summary = await client.get(sheetUrl(`/summary?${query}`));
      expect(summary.status, query).toBe(400);
      expect(summary.body.error.message).toMatch(/"Search" is a button field, which cannot be grouped by/);
    }
    const search = await client.get(sheetUrl(`/records?search=${encodeURIComponent('Mark lost')}`));
    expect(search.status).toBe(200);
    expect(search.body.records).toEqual([]);
  });

  it('is left out of exports, even when named', async () => {
    for (const query of ['format=csv', 'format=csv&fields=Name,Search']) {
      const res = await client.get(sheetUrl(`/export?${query}`));
      expect(res.status).toBe(200);
      const rows = parseCsv(String(res.body).replace(/^\uFEFF/, ''));
      expect(rows[0]).not.toContain('Search');
      expect(rows[0]).not.toContain('Lose it');
      expect(rows[0]).toContain('Name');
    }
  });

  it('cannot be looked up or rolled up through a link', async () => {
    const notes = await client.post(`/api/w/${ws}/sheets`, { name: 'Notes', fields: [{ name: 'Text', type: 'text' }, { name: 'Lead', type: 'link', options: { sheet: 'Leads', relationship: 'many_to_one' } }] });
    expect(notes.status).toBe(201);
    for (const body of [
      { name: 'Lead search', type: 'lookup', options: { link: 'Lead', field: 'Search' } },
      { name: 'Lead count', type: 'rollup', options: { link: 'Lead', field: 'Search', fn: 'count' } },
    ]) {
      const res = await client.post(`/api/w/${ws}/sheets/Notes/fields`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[body.name]).toMatch(/"Search"\) is a button field and has no value/);
    }
  });

  it('cannot be read by a formula, with a clear error', async () => {
    const en = await addField({ name: 'F', type: 'formula', options: { expression: 'CONCAT({Search}, "x")' } });
    expect(en.status).toBe(400);
    expect(en.body.error.details.fields.F).toMatch(/\{Search\} is a button field and has no value a formula can read/);
    const zh = await addField({ name: 'F', type: 'formula', options: { expression: '{Search}' } }, 'zh-TW');
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).toMatch(/沒有公式可讀取的值/);
  });
});
