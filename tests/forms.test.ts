import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let f: Record<string, string>;
const forms = (path = '') => `/api/w/${ws}/sheets/Deals/forms${path}`;
const records = (query = '') => `/api/w/${ws}/sheets/Deals/records${query}`;

const field = (id: string, ref: string, extra: Record<string, unknown> = {}) => ({ kind: 'field', id, field: ref, ...extra });
const section = (id: string, elements: unknown[], extra: Record<string, unknown> = {}) => ({ id, ...extra, rows: elements.map((e, i) => ({ id: `${id}r${i}`, columns: [{ id: `${id}c${i}`, elements: [e] }] })) });
const layoutOf = (...sections: unknown[]) => ({ tabs: [{ id: 't1', title: 'Deal', sections }] });

/** Stage Lost shows Competitor (then required); Amount over 1000 requires Reason; Tech accounts get a section. */
const dealLayout = layoutOf(
  section('main', [
    field('name', 'Name', { required: true }),
    field('stage', 'Stage'),
    field('competitor', 'Competitor', { required: true, visibleWhen: { '==': [{ var: 'Stage' }, 'Lost'] } }),
    field('amount', 'Amount'),
    field('reason', 'Reason', { requiredWhen: { '>': [{ var: 'Amount' }, 1000] } }),
    field('account', 'Account'),
    field('source', 'Source', { hidden: true, defaultValue: 'Web' }),
    field('score', 'Score', { readOnly: true }),
  ]),
  section('tech', [field('stack', 'Stack')], { title: 'Tech', visibleWhen: { in: ['Tech', { var: 'Industry' }] } }),
);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup('owner@example.com'));
  await client.post(`/api/w/${ws}/sheets`, {
    name: 'Accounts',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Industry', type: 'single_select', options: { choices: [{ name: 'Tech' }, { name: 'Retail' }] } },
    ],
  });
  await client.post(`/api/w/${ws}/sheets/Accounts/records`, { records: [{ fields: { Name: 'Acme', Industry: 'Tech' } }, { fields: { Name: 'Shop', Industry: 'Retail' } }] });
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }, { name: 'Lost' }] } },
      { name: 'Competitor', type: 'text' },
      { name: 'Amount', type: 'number' },
      { name: 'Reason', type: 'long_text' },
      { name: 'Source', type: 'text' },
      { name: 'Score', type: 'number' },
      { name: 'Stack', type: 'text' },
      { name: 'Secret', type: 'text' },
    ],
  });
  expect(sheet.status).toBe(201);
  expect((await client.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } })).status).toBe(201);
  expect((await client.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Industry', type: 'lookup', options: { link: 'Account', field: 'Industry' } })).status).toBe(201);
  const deals = await client.get(`/api/w/${ws}/sheets/Deals`);
  f = Object.fromEntries(deals.body.fields.map((x: { name: string; id: string }) => [x.name, x.id]));
});
afterAll(() => server.close());

async function accountId(name: string): Promise<string> {
  const res = await client.get(`/api/w/${ws}/sheets/Accounts/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Name' }, name] }))}`);
  return res.body.records[0].id;
}

async function publishedDealForm(): Promise<string> {
  const created = await client.post(forms(), { name: `Deal ${Math.random()}`, layout: dealLayout });
  expect(created.status).toBe(201);
  expect((await client.post(forms(`/${created.body.id}/publish`), {})).status).toBe(200);
  return created.body.id;
}

describe('form layouts', () => {
  it('gives every sheet a generated form until one is published', async () => {
    const res = await client.get(`/api/w/${ws}/sheets/Deals/form`);
    expect(res.status).toBe(200);
    expect(res.body.form).toBeNull();
    const elements = res.body.layout.tabs[0].sections[0].rows.map((r: { columns: { elements: { field: string }[] }[] }) => r.columns[0]!.elements[0]!.field);
    expect(elements).toEqual(Object.values(f));
  });

  it('stores a layout with field ids and conditions compiled, as a draft', async () => {
    const res = await client.post(forms(), { name: 'Full deal', layout: dealLayout });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Full deal', isDefault: true, version: 1, publishedVersion: null, published: null, dirty: true, public: null });
    const [main, tech] = res.body.draft.tabs[0].sections;
    expect(main.rows[2].columns[0].elements[0]).toEqual({ kind: 'field', id: 'competitor', field: f.Competitor, required: true, visibleWhen: { '==': [{ var: f.Stage }, 'Lost'] } });
    expect(tech.visibleWhen).toEqual({ in: ['Tech', { var: f.Industry }] });
    // Staff still see the generated form: nothing is published.
    expect((await client.get(`/api/w/${ws}/sheets/Deals/form`)).body.form).toBeNull();
  });

  it('refuses bad layouts, naming the element and the problem', async () => {
    const bad = async (layout: unknown) => {
      const res = await client.post(forms(), { name: 'Bad', layout });
      expect(res.status).toBe(400);
      return res.body.error;
    };
    expect((await bad(layoutOf(section('s', [field('x', 'Nope')])))).details.fields).toEqual({ 'layout.x.field': '"Deals" has no field "Nope"' });
    expect((await bad(layoutOf(section('s', [field('a', 'Name'), field('b', 'Name')])))).details.fields['layout.b.field']).toMatch(/already on this form/);
    expect((await bad(layoutOf(section('s', [field('a', 'Name'), field('a', 'Stage')])))).details.fields['layout.a']).toMatch(/used twice/);
    expect((await bad(layoutOf(section('s', [{ kind: 'related', id: 'r', field: 'Name' }])))).details.fields['layout.r.field']).toMatch(/not a link field/);
    expect((await bad(layoutOf(section('s', [field('a', 'Name', { visibleWhen: { method: [1] } })])))).details.fields['layout.a.visibleWhen']).toMatch(/unknown operator "method"/);
    expect((await bad(layoutOf(section('s', [field('a', 'Amount', { defaultValue: 'many' })])))).details.fields['layout.a.defaultValue']).toMatch(/"Amount" must be a number/);
    expect((await bad(layoutOf(section('s', [field('a', 'Industry', { defaultValue: 'Tech' })])))).details.fields['layout.a.defaultValue']).toMatch(/takes no default/);
    const fiveColumns = { tabs: [{ id: 't', title: 'T', sections: [{ id: 's', rows: [{ id: 'r', columns: [1, 2, 3, 4, 5].map((i) => ({ id: `c${i}`, elements: [] })) }] }] }] };
    expect((await bad(fiveColumns)).code).toBe('validation_failed');
  });

  it('answers 409 with the other admin\'s draft when two admins save the same version', async () => {
    const form = (await client.post(forms(), { name: 'Quick deal', layout: layoutOf(section('s', [field('n', 'Name')])) })).body;
    const first = await client.patch(forms(`/${form.id}`), { layout: layoutOf(section('s', [field('n', 'Name'), field('a', 'Amount')])), version: form.version });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(form.version + 1);
    const second = await client.patch(forms(`/${form.id}`), { layout: layoutOf(section('s', [field('st', 'Stage')])), version: form.version });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('version_conflict');
    expect(second.body.error.details.current.draft.tabs[0].sections[0].rows).toHaveLength(2);
  });

  it('creates fields dropped as new types with the save, or none when the save is refused', async () => {
    const form = (await client.post(forms(), { name: 'With new fields', layout: layoutOf(section('s', [field('n', 'Name')])) })).body;
    const refused = await client.patch(forms(`/${form.id}`), {
      version: form.version,
      layout: layoutOf(section('s', [field('n', 'Name'), field('p', 'new:1'), field('q', 'Nope')])),
      newFields: [{ ref: 'new:1', field: { name: 'Priority', type: 'rating', options: { max: 5 } } }],
    });
    expect(refused.status).toBe(400);
    expect((await client.get(`/api/w/${ws}/sheets/Deals`)).body.fields.map((x: { name: string }) => x.name)).not.toContain('Priority');
    const saved = await client.patch(forms(`/${form.id}`), {
      version: form.version,
      layout: layoutOf(section('s', [field('n', 'Name'), field('p', 'new:1')])),
      newFields: [{ ref: 'new:1', field: { name: 'Priority', type: 'rating', options: { max: 5 } } }],
    });
    expect(saved.status).toBe(200);
    const sheet = (await client.get(`/api/w/${ws}/sheets/Deals`)).body;
    const priority = sheet.fields.find((x: { name: string }) => x.name === 'Priority');
    expect(priority).toMatchObject({ type: 'rating' });
    expect(saved.body.draft.tabs[0].sections[0].rows[1].columns[0].elements[0].field).toBe(priority.id);
    expect((await client.delete(`/api/w/${ws}/sheets/Deals/fields/Priority`)).status).toBe(200);
    // A deleted field's element leaves the form (and comes back with a restore).
    expect((await client.get(forms(`/${form.id}`))).body.draft.tabs[0].sections[0].rows[1].columns[0].elements).toEqual([]);
  });

  it('publishes versions, lists them, and restores an earlier one into the draft', async () => {
    const form = (await client.post(forms(), { name: 'Versioned', layout: layoutOf(section('s', [field('n', 'Name')])) })).body;
    const v1 = await client.post(forms(`/${form.id}/publish`), { version: form.version });
    expect(v1.body).toMatchObject({ publishedVersion: 1, dirty: false });
    const edited = await client.patch(forms(`/${form.id}`), { layout: layoutOf(section('s', [field('n', 'Name'), field('a', 'Amount')])), version: v1.body.version });
    expect(edited.body.dirty).toBe(true);
    expect((await client.post(forms(`/${form.id}/publish`), { version: v1.body.version })).status).toBe(409);
    const v2 = await client.post(forms(`/${form.id}/publish`), { version: edited.body.version });
    expect(v2.body.publishedVersion).toBe(2);
    const list = await client.get(forms(`/${form.id}/versions`));
    expect(list.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(list.body[0].publishedBy.name).toBe('Owner');
    const old = await client.get(forms(`/${form.id}/versions/1`));
    expect(old.body.layout.tabs[0].sections[0].rows).toHaveLength(1);
    const restored = await client.post(forms(`/${form.id}/versions/1/restore`), { version: v2.body.version });
    expect(restored.body).toMatchObject({ publishedVersion: 2, dirty: true });
    expect(restored.body.draft).toEqual(old.body.layout);
    expect((await client.get(forms(`/${form.id}/versions/9`))).status).toBe(404);
  });

  it('shows staff the default form\'s published version', async () => {
    const id = await publishedDealForm();
    expect((await client.patch(forms(`/${id}`), { isDefault: true })).body.isDefault).toBe(true);
    const res = await client.get(`/api/w/${ws}/sheets/Deals/form`);
    expect(res.body.form).toMatchObject({ id, version: 1 });
    expect(res.body.layout.tabs[0].sections[1].id).toBe('tech');
    const all = await client.get(forms());
    expect(all.body.filter((x: { isDefault: boolean }) => x.isDefault)).toHaveLength(1);
  });
});

describe('writing through a form', () => {
  let formId: string;
  beforeAll(async () => {
    formId = await publishedDealForm();
  });
  const create = (fields: Record<string, unknown>) => client.post(records(`?form=${formId}`), { fields });

  it('does not write a field its condition hides, even when the browser is bypassed', async () => {
    const res = await create({ Name: 'Won deal', Stage: 'Won', Competitor: 'Globex' });
    expect(res.status).toBe(201);
    expect(res.body.fields).toMatchObject({ Name: 'Won deal', Stage: 'Won' });
    expect(res.body.fields.Competitor).toBeUndefined();
  });

  it('enforces a field required while its condition shows it', async () => {
    const missing = await create({ Name: 'Lost deal', Stage: 'Lost' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields).toEqual({ Competitor: 'is required' });
    const reason = await create({ Name: 'Big', Amount: 5000 });
    expect(reason.body.error.details.fields).toEqual({ Reason: 'is required' });
    const ok = await create({ Name: 'Lost deal', Stage: 'Lost', Competitor: 'Globex' });
    expect(ok.status).toBe(201);
    expect(ok.body.fields.Competitor).toBe('Globex');
    // A write refused by the form stored nothing.
    const all = await client.get(records(`?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Name' }, 'Big'] }))}`));
    expect(all.body.records).toEqual([]);
  });

  it('keeps the stored value of a field hidden when a record is updated', async () => {
    const lost = (await create({ Name: 'Flip', Stage: 'Lost', Competitor: 'Initech' })).body;
    const res = await client.patch(records(`/${lost.id}?form=${formId}`), { fields: { Stage: 'Won', Competitor: 'Changed' }, version: lost.version });
    expect(res.status).toBe(200);
    expect(res.body.fields).toMatchObject({ Stage: 'Won', Competitor: 'Initech' });
  });

  it('reads conditions over lookups as saved: a Tech account shows the Tech section', async () => {
    const tech = await create({ Name: 'T', Account: [await accountId('Acme')], Stack: 'Postgres' });
    expect(tech.body.fields.Stack).toBe('Postgres');
    const retail = await create({ Name: 'R', Account: [await accountId('Shop')], Stack: 'Postgres' });
    expect(retail.status).toBe(201);
    expect(retail.body.fields.Stack).toBeUndefined();
  });

  it('refuses fields not on the form, ignores read-only ones and writes hidden defaults', async () => {
    const off = await create({ Name: 'x', Secret: 'psst' });
    expect(off.status).toBe(400);
    expect(off.body.error.details.fields).toEqual({ Secret: expect.stringMatching(/is not on the form/) });
    const res = await create({ Name: 'Defaults', Score: 99, Source: 'Spoofed' });
    expect(res.status).toBe(201);
    expect(res.body.fields.Score).toBeUndefined();
    expect(res.body.fields.Source).toBe('Web');
    expect((await client.post(records(`?form=${formId}`), { records: [{ fields: { Name: 'a' } }] })).status).toBe(400);
  });

  it('refuses a form that is not published or not of the sheet', async () => {
    const draft = (await client.post(forms(), { name: 'Unpublished', layout: layoutOf(section('s', [field('n', 'Name')])) })).body;
    const res = await client.post(records(`?form=${draft.id}`), { fields: { Name: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ form: 'is not published' });
    expect((await client.post(`/api/w/${ws}/sheets/Accounts/records?form=${formId}`, { fields: { Name: 'x' } })).status).toBe(404);
  });
});
