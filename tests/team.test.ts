import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from './helpers/fingerprint.js';
import { inviteMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let owner: Client;
let ws: string;
let rep: Client;
let repId: string;
let other: Client;
let otherId: string;
let ownerId: string;
const sheets: Record<string, { id: string; fields: { id: string; name: string }[] }> = {};
const fieldId = (sheet: string, name: string) => sheets[sheet]!.fields.find((f) => f.name === name)!.id;
const leads = (path = '') => `/api/w/${ws}/sheets/Leads/records${path}`;
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws, userId: ownerId } = await server.setup());
  const accounts = await owner.post(`/api/w/${ws}/sheets`, { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }, { name: 'Secret note', type: 'text' }] });
  sheets.Accounts = accounts.body;
  const lead = await owner.post(`/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Owner', type: 'user', options: { owner: true } },
      { name: 'Cost', type: 'currency', options: { currency: 'USD' } },
      { name: 'Note', type: 'text' },
      { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Leads' } },
    ],
  });
  sheets.Leads = lead.body;
  await owner.post(`/api/w/${ws}/sheets/Leads/fields`, { name: 'Double cost', type: 'formula', options: { expression: '{Cost} * 2' } });
  await owner.post(`/api/w/${ws}/sheets/Accounts/fields`, { name: 'Lead costs', type: 'rollup', options: { link: 'Leads', field: 'Cost', fn: 'sum' } });
  sheets.Leads = (await owner.get(`/api/w/${ws}/sheets/Leads`)).body;
  sheets.Accounts = (await owner.get(`/api/w/${ws}/sheets/Accounts`)).body;
  const role = await owner.post(`/api/w/${ws}/roles`, {
    name: 'Sales rep',
    sheets: {
      Leads: { read: 'own', create: true, update: 'own', delete: 'none', fields: { Cost: 'hidden', Note: 'read_only' } },
      Accounts: { read: 'all', create: false, update: 'none', delete: 'none', fields: { 'Secret note': 'hidden' } },
    },
  });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  ({ client: rep, userId: repId } = await inviteMember(server, owner, ws, 'rep@example.com', 'Sales rep'));
  ({ client: other, userId: otherId } = await inviteMember(server, owner, ws, 'other@example.com', 'Sales rep'));
  const acme = await owner.post(`/api/w/${ws}/sheets/Accounts/records`, { fields: { Name: 'Acme', 'Secret note': 'acquisition target' } });
  await owner.post(leads(), {
    records: [
      { fields: { Name: 'Rep lead', Owner: repId, Cost: 100, Note: 'from the fair', Account: [acme.body.id] } },
      { fields: { Name: 'Other lead', Owner: otherId, Cost: 900, Note: 'secret plan', Account: [acme.body.id] } },
      { fields: { Name: 'Owner lead', Cost: 5 } },
    ],
  });
});
afterAll(() => server.close());

describe('a role with own records and hidden fields', () => {
  it('lists only own records, without the hidden field or what computes from it', async () => {
    const res = await rep.get(leads('?count=true'));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['Rep lead']);
    const fields = res.body.records[0].fields;
    expect(fields).not.toHaveProperty('Cost');
    expect(fields).not.toHaveProperty('Double cost');
    expect(fields.Owner).toMatchObject({ id: repId });
    const schema = (await rep.get(`/api/w/${ws}/sheets/Leads`)).body;
    expect(schema.fields.map((f: { name: string }) => f.name)).not.toContain('Cost');
  });

  it('answers 404 for a record it may not read, by id, history and document, and 400 for a hidden field in a filter or sort', async () => {
    const all = (await owner.get(leads())).body.records as { id: string; fields: { Name: string } }[];
    const others = all.find((r) => r.fields.Name === 'Other lead')!.id;
    expect((await rep.get(leads(`/${others}`))).status).toBe(404);
    expect((await rep.get(leads(`/${others}/history`))).status).toBe(404);
    expect((await rep.patch(leads(`/${others}`), { fields: { Name: 'mine now' } })).status).toBe(404);
    expect((await rep.get(leads(`?filter=${q({ '>': [{ var: 'Cost' }, 1] })}`))).status).toBe(400);
    expect((await rep.get(leads(`?sort=Cost`))).status).toBe(400);
    expect((await rep.get(leads(`?search=secret`))).body.records).toEqual([]);
    expect((await rep.get(leads(`?search=fair`))).body.records).toHaveLength(1);
  });

  it('refuses writing a hidden or read-only field with 403 and changes nothing', async () => {
    const mine = (await rep.get(leads())).body.records[0];
    const before = await fingerprint(server.db);
    const hidden = await rep.patch(leads(`/${mine.id}`), { fields: { Cost: 1 } });
    expect(hidden.status).toBe(403);
    expect(hidden.body.error.details.fields).toHaveProperty('Cost');
    const readOnly = await rep.patch(leads(`/${mine.id}`), { fields: { Note: 'changed' } });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.error.details.fields).toEqual({ Note: 'is read-only for your role' });
    expect((await rep.delete(leads(`/${mine.id}`))).status).toBe(403);
    expect(await fingerprint(server.db)).toBe(before);
  });

  it('owns what it creates, and its history never shows the hidden field', async () => {
    const created = await rep.post(leads(), { fields: { Name: 'New from rep' } });
    expect(created.status).toBe(201);
    expect(created.body.fields.Owner).toMatchObject({ id: repId });
    await owner.patch(leads(`/${created.body.id}`), { fields: { Cost: 42 } });
    const history = (await rep.get(leads(`/${created.body.id}/history`))).body as { changes: Record<string, unknown> }[];
    // The owner's change of Cost alone is not an entry the rep sees at all: only the creation is.
    expect(history.map((h) => (h as { action?: string }).action)).toEqual(['create']);
    expect(history.flatMap((h) => Object.keys(h.changes))).not.toContain('Cost');
    await owner.patch(leads(`/${created.body.id}`), { fields: { Cost: 43, Name: 'Renamed by owner' } });
    const after = (await rep.get(leads(`/${created.body.id}/history`))).body as { changes: Record<string, unknown> }[];
    expect(after.length).toBe(2);
    expect(Object.keys(after[0]!.changes)).toEqual(['Name']);
    await owner.patch(leads(`/${created.body.id}`), { fields: { Name: 'New from rep' } });
  });

  it('reads linked records only as far as it may: link titles, lookups and rollups of hidden fields', async () => {
    const accounts = (await rep.get(`/api/w/${ws}/sheets/Accounts/records`)).body.records;
    expect(accounts).toHaveLength(1);
    expect(accounts[0].fields).not.toHaveProperty('Secret note');
    // The rollup sums a field hidden from the rep: it reads nothing.
    expect(accounts[0].fields).not.toHaveProperty('Lead costs');
    // The inverse link lists only the leads the rep may read.
    expect(accounts[0].fields.Leads.map((l: { title: string }) => l.title).sort()).toEqual(['Rep lead']);
    const ownerView = (await owner.get(`/api/w/${ws}/sheets/Accounts/records`)).body.records[0];
    expect(ownerView.fields['Lead costs']).toBe(1000);
    expect(ownerView.fields.Leads).toHaveLength(2);
  });

  it('cannot design, manage members, or see the audit log', async () => {
    expect((await rep.post(`/api/w/${ws}/sheets`, { name: 'Mine' })).status).toBe(403);
    expect((await rep.get(`/api/w/${ws}/roles`)).status).toBe(403);
    expect((await rep.get(`/api/w/${ws}/audit`)).status).toBe(403);
    expect((await rep.post(`/api/w/${ws}/invitations`, { email: 'x@example.com', role: 'viewer' })).status).toBe(403);
  });

  it('tells the client what it may do with each record it reads (own scopes differ record by record)', async () => {
    const role = await owner.post(`/api/w/${ws}/roles`, {
      name: 'Account keeper',
      sheets: { Accounts: { read: 'all', create: true, update: 'own', delete: 'own' } },
    });
    expect(role.status).toBe(201);
    const { client: keeper } = await inviteMember(server, owner, ws, 'keeper@example.com', 'Account keeper');
    const mine = await keeper.post(`/api/w/${ws}/sheets/Accounts/records`, { fields: { Name: 'Keeper Co' } });
    expect(mine.status).toBe(201);
    const acme = (await owner.get(`/api/w/${ws}/sheets/Accounts/records`)).body.records.find((r: { fields: { Name: string } }) => r.fields.Name === 'Acme');
    expect((await keeper.get(`/api/w/${ws}/sheets/Accounts/records/${mine.body.id}?include=can`)).body.can).toEqual({ update: true, delete: true });
    expect((await keeper.get(`/api/w/${ws}/sheets/Accounts/records/${acme.id}?include=can`)).body.can).toEqual({ update: false, delete: false });
    expect((await owner.get(`/api/w/${ws}/sheets/Accounts/records/${acme.id}?include=can`)).body.can).toEqual({ update: true, delete: true });
    const repLead = (await rep.get(leads())).body.records[0];
    expect((await rep.get(leads(`/${repLead.id}?include=can`))).body.can).toEqual({ update: true, delete: false });
    // Only when asked: a record read is the record.
    expect((await owner.get(`/api/w/${ws}/sheets/Accounts/records/${acme.id}`)).body.can).toBeUndefined();
    // What it says is what the server does.
    expect((await keeper.patch(`/api/w/${ws}/sheets/Accounts/records/${acme.id}`, { fields: { Name: 'Taken' } })).status).toBe(403);
    expect((await keeper.delete(`/api/w/${ws}/sheets/Accounts/records/${mine.body.id}`)).status).toBe(200);
  });

  it('tells the client its effective access', async () => {
    const me = (await rep.get('/api/me')).body;
    const access = me.workspaces.find((w: { id: string }) => w.id === ws);
    expect(access).toMatchObject({ role: 'Sales rep', design: false, members: false });
    expect(access.sheets[sheets.Leads!.id]).toMatchObject({ read: 'own', fields: { [fieldId('Leads', 'Cost')]: 'hidden' } });
  });
});

describe('preview as a role', () => {
  it("shows an admin the workspace as the role would, the admin's own records only, and writes nothing", async () => {
    const as = { 'x-preview-role': 'Sales rep' };
    const list = await owner.request('GET', leads(), undefined, as);
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).toEqual(['Owner lead']);
    expect(list.body.records[0].fields).not.toHaveProperty('Cost');
    const access = await owner.request('GET', `/api/w/${ws}/access`, undefined, as);
    expect(access.body).toMatchObject({ design: false, members: false, sheets: { [sheets.Leads!.id]: { read: 'own', create: false, update: 'none' } } });
    expect((await owner.request('POST', leads(), { fields: { Name: 'x' } }, as)).status).toBe(403);
    expect((await owner.request('POST', `/api/w/${ws}/sheets`, { name: 'x' }, as)).status).toBe(403);
    expect((await rep.request('GET', leads(), undefined, as)).status).toBe(403);
  });
});

describe('members', () => {
  it('keeps the last owner, deactivates and removes members, and records each change in the audit log', async () => {
    expect((await owner.patch(`/api/w/${ws}/members/${ownerId}`, { role: 'admin' })).status).toBe(409);
    expect((await owner.delete(`/api/w/${ws}/members/${ownerId}`)).status).toBe(409);
    expect((await owner.patch(`/api/w/${ws}/members/${otherId}`, { active: false })).status).toBe(200);
    expect((await other.get(leads())).status).toBe(403);
    expect((await owner.patch(`/api/w/${ws}/members/${otherId}`, { active: true })).status).toBe(200);
    expect((await other.get(leads())).status).toBe(200);
    expect((await owner.delete(`/api/w/${ws}/members/${otherId}`)).status).toBe(204);
    expect((await other.get(leads())).status).toBe(403);
    const audit = (await owner.get(`/api/w/${ws}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 3)).toEqual(['member.remove', 'member.update', 'member.update']);
    expect(audit).toContain('role.create');
    expect(audit).toContain('invitation.accept');
  });

  it('lets a signed-in user join with their own account, the request carrying no body (as the invitation page sends it)', async () => {
    const invited = await owner.post(`/api/w/${ws}/invitations`, { email: 'other@example.com', role: 'viewer' });
    expect(invited.status).toBe(201);
    const token = invited.body.url.split('/invite/')[1];
    const joined = await other.request('POST', `/api/invitations/${token}/accept`);
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.user.id).toBe(otherId);
    expect((await other.get(leads())).status).toBe(200);
    // Signed out and without a body: told to set a name and password, not a 500.
    const again = await owner.post(`/api/w/${ws}/invitations`, { email: 'nobody@example.com', role: 'viewer' });
    const anonymous = await server.anonymous.request('POST', `/api/invitations/${again.body.url.split('/invite/')[1]}/accept`);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error.details.fields).toHaveProperty('password');
  });

  it('refuses a used, revoked or unknown invitation with 404, and a role still held with 409', async () => {
    const invited = await owner.post(`/api/w/${ws}/invitations`, { email: 'late@example.com', role: 'viewer' });
    const token = invited.body.url.split('/invite/')[1];
    expect((await owner.delete(`/api/w/${ws}/invitations/${invited.body.id}`)).status).toBe(204);
    expect((await server.anonymous.post(`/api/invitations/${token}/accept`, { name: 'Late', password: 'long enough' })).status).toBe(404);
    expect((await server.anonymous.get(`/api/invitations/not-a-real-token-at-all`)).status).toBe(404);
    expect((await owner.delete(`/api/w/${ws}/roles/Sales rep`)).status).toBe(409);
    expect((await owner.patch(`/api/w/${ws}/roles/editor`, { design: true })).status).toBe(409);
  });
});

describe('teams', () => {
  it("lets a manager's role read the team's records", async () => {
    const manager = await owner.post(`/api/w/${ws}/roles`, { name: 'Sales manager', sheets: { Leads: { read: 'team', create: true, update: 'team', delete: 'none' } } });
    expect(manager.status).toBe(201);
    const { client: boss, userId: bossId } = await inviteMember(server, owner, ws, 'boss@example.com', 'Sales manager');
    const team = await owner.post(`/api/w/${ws}/teams`, { name: 'North', manager: bossId });
    expect(team.status).toBe(201);
    expect((await owner.patch(`/api/w/${ws}/members/${repId}`, { teams: ['North'] })).status).toBe(200);
    const names = (await boss.get(leads())).body.records.map((r: { fields: { Name: string } }) => r.fields.Name).sort();
    expect(names).toEqual(['New from rep', 'Rep lead']);
  });
});
