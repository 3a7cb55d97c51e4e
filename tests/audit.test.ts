import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

interface Entry {
  at: string;
  by: { id: string; name: string } | null;
  action: string;
  target: { kind: string; id: string | null; name: string | null };
  before: any;
  after: any;
}

let server: TestServer;
let owner: Client;
let ownerId: string;
let ws: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws, userId: ownerId } = await server.setup('owner@example.com'));
});
afterAll(() => server?.close());

const api = (path: string) => `/api/w/${ws}${path}`;

/** The first page of the log, newest first. */
async function page(client: Client = owner, cursor?: string): Promise<{ entries: Entry[]; nextCursor: string | null }> {
  const res = await client.get(api(`/audit${cursor ? `?cursor=${cursor}` : ''}`));
  expect(res.status).toBe(200);
  return res.body;
}

/** Runs a change and answers the entries it wrote (oldest first), checking each is by the owner, just now. */
async function change(work: () => Promise<{ status: number; body: any }>, status: number): Promise<{ body: any; entries: Entry[] }> {
  const [newest] = (await page()).entries;
  const started = Date.now();
  const res = await work();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const entries: Entry[] = [];
  for (const entry of (await page()).entries) {
    if (newest && entry.at === newest.at && entry.action === newest.action && entry.target.id === newest.target.id) break;
    entries.unshift(entry);
  }
  for (const entry of entries) {
    expect(entry.by).toEqual({ id: ownerId, name: 'Owner' });
    expect(Math.abs(new Date(entry.at).getTime() - started)).toBeLessThan(60_000);
  }
  return { body: res.body, entries };
}

/** The one entry a change wrote. */
async function one(work: () => Promise<{ status: number; body: any }>, status: number): Promise<{ body: any; entry: Entry }> {
  const { body, entries } = await change(work, status);
  expect(entries.map((e) => e.action)).toHaveLength(1);
  return { body, entry: entries[0]! };
}

/** A change refused: the log is as it was. */
async function refused(work: () => Promise<{ status: number }>, status: number): Promise<void> {
  const before = (await page()).entries;
  expect((await work()).status).toBe(status);
  expect((await page()).entries).toEqual(before);
}

describe('the audit log records every design change with who, when, before and after', () => {
  let sheetId: string;
  let fieldId: string;

  it('sheets: create, update (rename), delete, restore', async () => {
    const created = await one(() => owner.post(api('/sheets'), { name: 'Deals', fields: [{ name: 'Title', type: 'text' }, { name: 'Amount', type: 'number' }] }), 201);
    sheetId = created.body.id;
    expect(created.entry).toMatchObject({ action: 'sheet.create', target: { kind: 'sheet', id: sheetId, name: 'Deals' }, before: null });
    expect(created.entry.after.name).toBe('Deals');
    expect(created.entry.after.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
      ['Title', 'text'],
      ['Amount', 'number'],
    ]);

    const renamed = await one(() => owner.patch(api(`/sheets/${sheetId}`), { name: 'Opportunities' }), 200);
    expect(renamed.entry).toMatchObject({
      action: 'sheet.update',
      target: { kind: 'sheet', id: sheetId, name: 'Opportunities' },
      before: { name: 'Deals' },
      after: { name: 'Opportunities' },
    });

    const scratch = (await owner.post(api('/sheets'), { name: 'Scratch' })).body.id as string;
    const deleted = await one(() => owner.delete(api(`/sheets/${scratch}`)), 200);
    expect(deleted.entry).toMatchObject({ action: 'sheet.delete', target: { kind: 'sheet', id: scratch, name: 'Scratch' }, after: null });
    expect(deleted.entry.before).toMatchObject({ name: 'Scratch', fields: [{ name: 'Name', type: 'text' }] });

    const trash = (await owner.get(api('/trash'))).body as { id: string; sheetId: string }[];
    const item = trash.find((t) => t.sheetId === scratch)!;
    const restored = await one(() => owner.post(api(`/trash/${item.id}/restore`), {}), 200);
    expect(restored.entry).toMatchObject({ action: 'sheet.restore', target: { kind: 'sheet', id: scratch, name: 'Scratch' }, before: { name: 'Scratch' }, after: { name: 'Scratch' } });
    expect(restored.entry.before.deletedBy).toBe(ownerId);
  });

  it('fields: create, update, retype, delete, restore', async () => {
    const created = await one(() => owner.post(api(`/sheets/${sheetId}/fields`), { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }] } }), 201);
    fieldId = created.body.id;
    expect(created.entry).toMatchObject({ action: 'field.create', target: { kind: 'field', id: fieldId, name: 'Stage' }, before: null });
    expect(created.entry.after).toMatchObject({ sheet: { id: sheetId, name: 'Opportunities' }, name: 'Stage', type: 'single_select', required: false, unique: false });
    expect(created.entry.after.options.choices.map((c: { name: string }) => c.name)).toEqual(['New', 'Won']);

    const updated = await one(() => owner.patch(api(`/sheets/${sheetId}/fields/${fieldId}`), { name: 'Phase', description: 'Where the deal is' }), 200);
    expect(updated.entry).toMatchObject({
      action: 'field.update',
      target: { kind: 'field', id: fieldId, name: 'Phase' },
      before: { name: 'Stage', type: 'single_select', description: '' },
      after: { name: 'Phase', type: 'single_select', description: 'Where the deal is' },
    });

    const retyped = await one(() => owner.patch(api(`/sheets/${sheetId}/fields/${fieldId}`), { type: 'text' }), 200);
    expect(retyped.entry).toMatchObject({ action: 'field.retype', target: { kind: 'field', id: fieldId, name: 'Phase' }, before: { type: 'single_select' }, after: { type: 'text' } });

    // A dry run changes nothing, so it records nothing; nor does a refused change.
    await refused(() => owner.request('PATCH', api(`/sheets/${sheetId}/fields/${fieldId}?dryRun=true`), { type: 'number' }), 200);
    const title = (await owner.get(api(`/sheets/${sheetId}`))).body.fields.find((f: { name: string }) => f.name === 'Title').id as string;
    await refused(() => owner.delete(api(`/sheets/${sheetId}/fields/${title}`)), 400);

    const deleted = await one(() => owner.delete(api(`/sheets/${sheetId}/fields/${fieldId}`)), 200);
    expect(deleted.entry).toMatchObject({ action: 'field.delete', target: { kind: 'field', id: fieldId, name: 'Phase' }, before: { name: 'Phase', type: 'text', sheet: { id: sheetId } }, after: null });

    const item = ((await owner.get(api('/trash'))).body as { id: string; kind: string; fieldId: string }[]).find((t) => t.fieldId === fieldId && t.kind === 'field')!;
    const restored = await one(() => owner.post(api(`/trash/${item.id}/restore`), {}), 200);
    expect(restored.entry).toMatchObject({ action: 'field.restore', target: { kind: 'field', id: fieldId, name: 'Phase' } });

    // Undoing the type change from the trash.
    const version = ((await owner.get(api('/trash'))).body as { id: string; kind: string; fieldId: string }[]).find((t) => t.fieldId === fieldId && t.kind === 'field_version')!;
    const undone = await one(() => owner.post(api(`/trash/${version.id}/restore`), {}), 200);
    expect(undone.entry).toMatchObject({ action: 'field.restore_version', target: { kind: 'field', id: fieldId }, before: { type: 'text' }, after: { type: 'single_select', name: 'Phase' } });
  });

  it('rules: create, update, delete', async () => {
    const created = await one(() => owner.post(api(`/sheets/${sheetId}/rules`), { condition: { '>=': [{ var: 'Amount' }, 0] }, message: 'Amount cannot be negative' }), 201);
    const ruleId = created.body.id as string;
    expect(created.entry).toMatchObject({
      action: 'rule.create',
      target: { kind: 'rule', id: ruleId, name: 'Amount cannot be negative' },
      before: null,
      after: { sheet: { id: sheetId }, condition: { '>=': [{ var: 'Amount' }, 0] }, message: 'Amount cannot be negative' },
    });
    const updated = await one(() => owner.patch(api(`/sheets/${sheetId}/rules/${ruleId}`), { message: 'No negative amounts' }), 200);
    expect(updated.entry).toMatchObject({ action: 'rule.update', before: { message: 'Amount cannot be negative' }, after: { message: 'No negative amounts', condition: { '>=': [{ var: 'Amount' }, 0] } } });
    await refused(() => owner.patch(api(`/sheets/${sheetId}/rules/${ruleId}`), { condition: { '>': [{ var: 'Nope' }, 0] } }), 400);
    const deleted = await one(() => owner.delete(api(`/sheets/${sheetId}/rules/${ruleId}`)), 204);
    expect(deleted.entry).toMatchObject({ action: 'rule.delete', target: { kind: 'rule', id: ruleId }, before: { message: 'No negative amounts' }, after: null });
  });

  it('views: create, update, delete', async () => {
    const created = await one(() => owner.post(api(`/sheets/${sheetId}/views`), { name: 'Big ones', config: { sort: '-Amount' } }), 201);
    const viewId = created.body.id as string;
    expect(created.entry).toMatchObject({ action: 'view.create', target: { kind: 'view', id: viewId, name: 'Big ones' }, before: null, after: { name: 'Big ones', type: 'grid', sheet: { id: sheetId } } });
    expect(created.entry.after.config.sort).toMatch(/^-fld/); // stored by field id
    const updated = await one(() => owner.patch(api(`/sheets/${sheetId}/views/${viewId}`), { name: 'Largest' }), 200);
    expect(updated.entry).toMatchObject({ action: 'view.update', target: { name: 'Largest' }, before: { name: 'Big ones' }, after: { name: 'Largest' } });
    await refused(() => owner.patch(api(`/sheets/${sheetId}/views/${viewId}`), { name: 'Stale', version: 1 }), 409);
    const deleted = await one(() => owner.delete(api(`/sheets/${sheetId}/views/${viewId}`)), 204);
    expect(deleted.entry).toMatchObject({ action: 'view.delete', target: { kind: 'view', id: viewId, name: 'Largest' }, before: { name: 'Largest' }, after: null });
  });

  it('forms: create, update, publish, public settings (no token, no password), delete', async () => {
    const created = await one(() => owner.post(api(`/sheets/${sheetId}/forms`), { name: 'Intake' }), 201);
    const formId = created.body.id as string;
    expect(created.entry).toMatchObject({ action: 'form.create', target: { kind: 'form', id: formId, name: 'Intake' }, before: null, after: { name: 'Intake', version: 1, publishedVersion: null, public: null } });
    expect(created.entry.after.draft).toBeTruthy();

    const updated = await one(() => owner.patch(api(`/sheets/${sheetId}/forms/${formId}`), { name: 'Deal intake' }), 200);
    expect(updated.entry).toMatchObject({ action: 'form.update', target: { name: 'Deal intake' }, before: { name: 'Intake' }, after: { name: 'Deal intake' } });

    const published = await one(() => owner.post(api(`/sheets/${sheetId}/forms/${formId}/publish`), {}), 200);
    expect(published.entry).toMatchObject({ action: 'form.publish', target: { kind: 'form', id: formId }, before: { publishedVersion: null }, after: { publishedVersion: 1 } });

    const opened = await one(() => owner.request('PUT', api(`/sheets/${sheetId}/forms/${formId}/public`), { enabled: true, password: 'let me in' }), 200);
    expect(opened.entry).toMatchObject({ action: 'form.public', before: { public: null }, after: { public: { enabled: true, hasPassword: true } } });
    const text = JSON.stringify(opened.entry);
    expect(text).not.toContain(opened.body.public.token);
    expect(text).not.toContain('let me in');
    expect(text).not.toMatch(/scrypt|passwordHash/);

    const deleted = await one(() => owner.delete(api(`/sheets/${sheetId}/forms/${formId}`)), 204);
    expect(deleted.entry).toMatchObject({ action: 'form.delete', target: { kind: 'form', id: formId, name: 'Deal intake' }, before: { name: 'Deal intake', publishedVersion: 1 }, after: null });
  });

  it('a form saved with new fields records the fields and the form in one go', async () => {
    const formId = (await owner.post(api(`/sheets/${sheetId}/forms`), { name: 'Quick' })).body.id as string;
    const form = (await owner.get(api(`/sheets/${sheetId}/forms/${formId}`))).body;
    const row = (id: string, ref: string) => ({ id: `${id}r`, columns: [{ id: `${id}c`, elements: [{ kind: 'field', id, field: ref }] }] });
    const layout = { tabs: [{ id: 't1', title: 'Deal', sections: [{ id: 's1', rows: [row('title', 'Title'), row('source', 'new:1')] }] }] };
    const { entries } = await change(() => owner.patch(api(`/sheets/${sheetId}/forms/${formId}`), { layout, version: form.version, newFields: [{ ref: 'new:1', field: { name: 'Source', type: 'text' } }] }), 200);
    expect(entries.map((e) => [e.action, e.target.name])).toEqual([
      ['field.create', 'Source'],
      ['form.update', 'Quick'],
    ]);
  });

  it('documents: create, update, delete', async () => {
    const created = await one(() => owner.post(api(`/sheets/${sheetId}/documents`), { name: 'Quote', template: '<h1>{{record.Title}}</h1>' }), 201);
    const docId = created.body.id as string;
    expect(created.entry).toMatchObject({ action: 'document.create', target: { kind: 'document', id: docId, name: 'Quote' }, before: null, after: { name: 'Quote', template: '<h1>{{record.Title}}</h1>', locale: 'en' } });
    const updated = await one(() => owner.patch(api(`/sheets/${sheetId}/documents/${docId}`), { template: '<h2>{{record.Title}}</h2>' }), 200);
    expect(updated.entry).toMatchObject({ action: 'document.update', before: { template: '<h1>{{record.Title}}</h1>', version: 1 }, after: { template: '<h2>{{record.Title}}</h2>', version: 2 } });
    await refused(() => owner.patch(api(`/sheets/${sheetId}/documents/${docId}`), { template: '{{#if}}' }), 400);
    const deleted = await one(() => owner.delete(api(`/sheets/${sheetId}/documents/${docId}`)), 204);
    expect(deleted.entry).toMatchObject({ action: 'document.delete', target: { id: docId, name: 'Quote' }, before: { name: 'Quote' }, after: null });
  });

  it('conversions: create, delete', async () => {
    const accounts = (await owner.post(api('/sheets'), { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] })).body.id as string;
    const created = await one(() => owner.post(api(`/sheets/${sheetId}/conversions`), { name: 'To account', targets: [{ key: 'account', sheet: accounts, fields: { Name: 'Title' } }] }), 201);
    const id = created.body.id as string;
    expect(created.entry).toMatchObject({ action: 'conversion.create', target: { kind: 'conversion', id, name: 'To account' }, before: null, after: { name: 'To account', spec: { targets: [{ key: 'account', sheetId: accounts }] } } });
    const deleted = await one(() => owner.delete(api(`/sheets/${sheetId}/conversions/${id}`)), 204);
    expect(deleted.entry).toMatchObject({ action: 'conversion.delete', target: { id, name: 'To account' }, before: { name: 'To account' }, after: null });
  });

  it('a template install: each thing it made, then the install', async () => {
    const { body, entries } = await change(() => owner.post(api('/templates/leads/install'), { sampleData: false, language: 'en' }), 201);
    const install = entries[entries.length - 1]!;
    expect(install).toMatchObject({ action: 'template.install', target: { kind: 'template', id: 'leads' }, before: null, after: { language: 'en', sampleData: false, sheets: body.sheets } });
    expect(install.target.name).toBeTruthy();
    const actions = new Set(entries.map((e) => e.action));
    expect(actions.has('sheet.create')).toBe(true);
    for (const sheet of body.sheets as { id: string }[]) expect(entries.some((e) => e.action === 'sheet.create' && e.target.id === sheet.id)).toBe(true);
  });

  it('API tokens: created and revoked, in every workspace of the user, never with the token', async () => {
    const second = await owner.post('/api/workspaces', { name: 'Second' });
    expect(second.status).toBe(201);
    const created = await one(() => owner.post('/api/tokens', { name: 'CI' }), 201);
    const tokenId = created.body.id as string;
    expect(created.entry).toMatchObject({ action: 'token.create', target: { kind: 'token', id: tokenId, name: 'CI' }, before: null, after: { name: 'CI', expiresAt: null } });
    const text = JSON.stringify(created.entry);
    expect(text).not.toContain(created.body.token);
    expect(text).not.toMatch(/hash/i);
    const elsewhere = await owner.get(`/api/w/${second.body.id}/audit`);
    expect(elsewhere.body.entries[0]).toMatchObject({ action: 'token.create', target: { id: tokenId }, by: { id: ownerId } });

    const revoked = await one(() => owner.delete(`/api/tokens/${tokenId}`), 204);
    expect(revoked.entry).toMatchObject({ action: 'token.revoke', target: { kind: 'token', id: tokenId, name: 'CI' }, before: { name: 'CI' }, after: null });
    expect((await owner.get(`/api/w/${second.body.id}/audit`)).body.entries[0]).toMatchObject({ action: 'token.revoke', target: { id: tokenId } });
    await refused(() => owner.delete(`/api/tokens/${tokenId}`), 404);
  });
});

describe('reading the audit log', () => {
  it('pages newest first with nextCursor, each entry once', async () => {
    const viewId = (await owner.post(api(`/sheets/${(await owner.get(api('/sheets'))).body[0].id}/views`), { name: 'Paged' })).body.id as string;
    const sheet = (await owner.get(api('/sheets'))).body[0].id as string;
    for (let i = 0; i < 105; i++) expect((await owner.patch(api(`/sheets/${sheet}/views/${viewId}`), { name: `Paged ${i}` })).status).toBe(200);
    const first = await page();
    expect(first.entries).toHaveLength(100);
    expect(first.entries[0]).toMatchObject({ action: 'view.update', after: { name: 'Paged 104' } });
    expect(first.nextCursor).toMatch(/^[1-9][0-9]*$/);
    const all: Entry[] = [...first.entries];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(owner, cursor);
      all.push(...next.entries);
      cursor = next.nextCursor;
    }
    const renames = all.filter((e) => e.action === 'view.update' && e.target.id === viewId).map((e) => e.after.name);
    expect(renames).toEqual(Array.from({ length: 105 }, (_, i) => `Paged ${104 - i}`));
    const times = all.map((e) => new Date(e.at).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.some((e) => e.action === 'sheet.create')).toBe(true);
    expect((await owner.get(api('/audit?cursor=abc'))).status).toBe(400);
  });

  it('is for admins only: editors and viewers get 403', async () => {
    const { client: editor } = await addMember(server, ws, 'editor@example.com', 'editor');
    const { client: viewer } = await addMember(server, ws, 'viewer@example.com', 'viewer');
    const { client: admin } = await addMember(server, ws, 'admin@example.com', 'admin');
    expect((await editor.get(api('/audit'))).status).toBe(403);
    expect((await viewer.get(api('/audit'))).status).toBe(403);
    expect((await admin.get(api('/audit'))).status).toBe(200);
    expect((await server.anonymous.get(api('/audit'))).status).toBe(401);
  });

  it("records an editor's own view changes under their name", async () => {
    const editor = await server.signIn('editor@example.com', 'member password');
    const sheet = (await owner.get(api('/sheets'))).body[0].id as string;
    const res = await editor.post(api(`/sheets/${sheet}/views`), { name: 'Mine' });
    expect(res.status).toBe(201);
    const [entry] = (await page()).entries;
    expect(entry).toMatchObject({ action: 'view.create', by: { name: 'editor' }, target: { id: res.body.id, name: 'Mine' } });
  });
});
