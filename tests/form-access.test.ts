import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

// A designed form as a role sees it (GET /sheets/:sheet/form): what the role hides is not on it, what it may not write
// is read-only on it, and a public form's visitor gets only the form's own fields.

let server: TestServer;
let owner: Client;
let ws: string;
let sheet: { id: string; fields: { id: string; name: string }[] };
const fieldId = (name: string) => sheet.fields.find((f) => f.name === name)!.id;

interface Element {
  id: string;
  kind: string;
  field?: string;
  readOnly?: boolean;
  defaultValue?: unknown;
  required?: boolean;
  visibleWhen?: unknown;
  columns?: string[];
}
type Layout = { tabs: { visibleWhen?: unknown; sections: { visibleWhen?: unknown; rows: { columns: { elements: Element[] }[] }[] }[] }[] };
const elements = (layout: Layout) => layout.tabs.flatMap((t) => t.sections.flatMap((s) => s.rows.flatMap((r) => r.columns.flatMap((c) => c.elements))));

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws } = await server.setup());
  await owner.post(`/api/w/${ws}/sheets`, { name: 'Products', fields: [{ name: 'Product', type: 'text' }, { name: 'Unit cost', type: 'currency', options: { currency: 'USD' } }] });
  const created = await owner.post(`/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Margin', type: 'number' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Open' }, { name: 'Won' }] } },
      { name: 'Notes', type: 'long_text' },
      { name: 'Products', type: 'link', options: { sheet: 'Products', relationship: 'many_to_many' } },
    ],
  });
  expect(created.status).toBe(201);
  sheet = created.body;
  const field = (id: string, name: string, more: Record<string, unknown> = {}) => ({ id: `${id}r`, columns: [{ id: `${id}c`, elements: [{ kind: 'field', id, field: name, ...more }] }] });
  const layout = {
    tabs: [
      {
        id: 'main',
        title: 'Deal',
        sections: [
          {
            id: 's1',
            rows: [
              field('name', 'Name', { required: true }),
              field('margin', 'Margin'),
              field('stage', 'Stage', { defaultValue: 'Open', required: true }),
              field('notes', 'Notes', { visibleWhen: { '>': [{ var: 'Margin' }, 10] }, requiredWhen: { '==': [{ var: 'Stage' }, 'Won'] } }),
              { id: 'rel', columns: [{ id: 'relc', elements: [{ kind: 'related', id: 'products', field: 'Products', columns: ['Product', 'Unit cost'] }] }] },
            ],
          },
          { id: 's2', title: 'Money', visibleWhen: { '>=': [{ var: 'Margin' }, 0] }, rows: [] },
        ],
      },
    ],
  };
  const form = await owner.post(`/api/w/${ws}/sheets/Deals/forms`, { name: 'Deal form', layout });
  expect(form.status, JSON.stringify(form.body)).toBe(201);
  expect((await owner.post(`/api/w/${ws}/sheets/Deals/forms/${form.body.id}/publish`, {})).status).toBe(200);
  const role = await owner.post(`/api/w/${ws}/roles`, {
    name: 'Clerk',
    sheets: {
      Deals: { read: 'all', create: true, update: 'all', delete: 'none', fields: { Margin: 'hidden', Stage: 'read_only' } },
      Products: { read: 'all', create: false, update: 'none', delete: 'none', fields: { 'Unit cost': 'hidden' } },
    },
  });
  expect(role.status).toBe(201);
});
afterAll(() => server.close());

describe('a designed form as a role sees it', () => {
  it('leaves out hidden fields everywhere and makes read-only fields read-only', async () => {
    const { client: clerk } = await inviteMember(server, owner, ws, 'clerk@example.com', 'Clerk');
    const res = await clerk.get(`/api/w/${ws}/sheets/Deals/form`);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    // Not the hidden field, not in a condition, not as a related list's column.
    const products = (await owner.get(`/api/w/${ws}/sheets/Products`)).body as { fields: { id: string; name: string }[] };
    for (const hidden of [fieldId('Margin'), products.fields.find((f) => f.name === 'Unit cost')!.id]) expect(text).not.toContain(hidden);
    const byId = Object.fromEntries(elements(res.body.layout).map((e) => [e.id, e]));
    expect(Object.keys(byId)).toEqual(['name', 'stage', 'notes', 'products']);
    // Stage: shown, read-only, neither defaulted nor required (the clerk could not write it).
    expect(byId.stage).toEqual({ id: 'stage', kind: 'field', field: fieldId('Stage'), readOnly: true });
    expect(byId.name).toMatchObject({ required: true });
    expect(byId.name!.readOnly).toBeUndefined();
    // A condition on the hidden field reads it as empty, as the clerk's records show it.
    expect(byId.notes!.visibleWhen).toEqual({ '>': [null, 10] });
    expect(res.body.layout.tabs[0].sections[1].visibleWhen).toEqual({ '>=': [null, 0] });
    expect(byId.products!.columns).toEqual([products.fields.find((f) => f.name === 'Product')!.id]);

    // The owner (and the clerk's JSON Schema of what it may write) agree.
    const full = await owner.get(`/api/w/${ws}/sheets/Deals/form`);
    expect(elements(full.body.layout).map((e) => e.id)).toEqual(['name', 'margin', 'stage', 'notes', 'products']);
    expect(elements(full.body.layout).find((e) => e.id === 'stage')).toMatchObject({ defaultValue: 'Open', required: true });
    expect(elements(full.body.layout).some((e) => e.readOnly)).toBe(false);
    const schema = await clerk.get(`/api/w/${ws}/sheets/Deals/schema`);
    expect(schema.status).toBe(200);
    expect(JSON.stringify(schema.body)).not.toContain('Margin');

    // A sheet the clerk may only read: every field of its form is read-only.
    const productForm = await clerk.get(`/api/w/${ws}/sheets/Products/form`);
    const productElements = elements(productForm.body.layout);
    expect(productElements.map((e) => e.field)).toEqual(products.fields.filter((f) => f.name !== 'Unit cost').map((f) => f.id));
    expect(productElements.every((e) => e.readOnly === true)).toBe(true);
    // The owner's is the same form, every field writable.
    expect(elements((await owner.get(`/api/w/${ws}/sheets/Products/form`)).body.layout).some((e) => e.readOnly)).toBe(false);

    // The form designer's own routes stay the designers'.
    expect((await clerk.get(`/api/w/${ws}/sheets/Deals/forms`)).status).toBe(403);
    // What the form shows the clerk, they can save: a new deal without the read-only stage.
    expect((await clerk.post(`/api/w/${ws}/sheets/Deals/records`, { fields: { Name: 'From the form', Notes: 'x' } })).status).toBe(201);
    expect((await clerk.post(`/api/w/${ws}/sheets/Deals/records`, { fields: { Name: 'x', Stage: 'Open' } })).status).toBe(403);
  });

  it('previews the narrowed form for an admin acting as the role', async () => {
    const res = await owner.request('GET', `/api/w/${ws}/sheets/Deals/form`, undefined, { 'x-preview-role': 'Clerk' });
    expect(res.status).toBe(200);
    expect(elements(res.body.layout).map((e) => e.id)).toEqual(['name', 'stage', 'notes', 'products']);
  });

  it("gives a public form's visitor only the fields the form shows, whatever roles say", async () => {
    const form = await owner.post(`/api/w/${ws}/sheets/Deals/forms`, {
      name: 'Web',
      layout: { tabs: [{ id: 't', title: 'Web', sections: [{ id: 's', rows: [{ id: 'r', columns: [{ id: 'c', elements: [{ kind: 'field', id: 'n', field: 'Name' }, { kind: 'field', id: 'm', field: 'Notes' }] }] }] }] }] },
    });
    await owner.post(`/api/w/${ws}/sheets/Deals/forms/${form.body.id}/publish`, {});
    const settings = await owner.request('PUT', `/api/w/${ws}/sheets/Deals/forms/${form.body.id}/public`, { enabled: true });
    const path = `/api/public/forms/${settings.body.public.token}`;
    const page = await server.anonymous.get(path);
    expect(page.status).toBe(200);
    expect(page.body.fields.map((f: { name: string }) => f.name)).toEqual(['Name', 'Notes']);
    expect(JSON.stringify(page.body)).not.toContain(fieldId('Margin'));
    const before = (await owner.get(`/api/w/${ws}/sheets/Deals/records?count=true`)).body.total;
    const refused = await server.anonymous.post(path, { fields: { Name: 'Web deal', Margin: 50 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.Margin).toMatch(/not on the form/);
    expect((await owner.get(`/api/w/${ws}/sheets/Deals/records?count=true`)).body.total).toBe(before);
    expect((await server.anonymous.post(path, { fields: { Name: 'Web deal', Notes: 'hello' } })).status).toBe(201);
  });
});
