import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from './helpers/files.js';
import { fingerprint } from './helpers/fingerprint.js';
import type { Client, Response } from './helpers/server.js';
import { setupTeamWorkspace, type TeamWorkspace } from './helpers/team-workspace.js';

/**
 * The side doors of the permission matrix (issue 13), where a role's limits were found to leak elsewhere: search,
 * groups, history, trash, link titles, lookups, rollups and formulas over a hidden field, documents, validators,
 * OpenAPI, files, filters and sorts, views saved by others, conversions, and public forms. The Sales rep reads its
 * own leads without Cost (hidden) and may not change Note (read-only); see tests/helpers/team-workspace.ts.
 */

let t: TeamWorkspace;
let rep: Client;
let owner: Client;
const u = (path: string) => `/api/w/${t.ws}${path}`;
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const text = (res: Response) => (typeof res.body === 'string' ? res.body : JSON.stringify(res.body));

/** Runs a refused request: its status, and nothing changed anywhere. */
async function refused(request: () => Promise<Response>, status: number): Promise<Response> {
  const before = await fingerprint(t.server.db);
  const res = await request();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(await fingerprint(t.server.db)).toBe(before);
  return res;
}

beforeAll(async () => {
  t = await setupTeamWorkspace();
  rep = t.as.rep;
  owner = t.as.owner;
}, 60_000);
afterAll(() => t?.server.close());

describe("another rep's record does not exist for the rep", () => {
  it('answers 404 by id, for history, documents, conversions, restore, changes and deletion, and changes nothing', async () => {
    const other = (path = '') => u(`/sheets/Leads/records/${t.leads.other}${path}`);
    await refused(() => rep.get(other()), 404);
    await refused(() => rep.get(other('/history')), 404);
    await refused(() => rep.get(other(`/documents/${t.document}`)), 404);
    await refused(() => rep.post(other(`/convert/${t.conversion}`), {}), 404);
    await refused(() => rep.patch(other(), { fields: { Name: 'mine now' } }), 404);
    await refused(() => rep.delete(other()), 404);
    await refused(() => rep.post(other('/restore'), {}), 404);
    // The 404 is the one an id that never existed gets.
    const never = await rep.get(u('/sheets/Leads/records/999999'));
    const hidden = await rep.get(other());
    expect(hidden.body.error.message.replace(t.leads.other, 'X')).toBe(never.body.error.message.replace('999999', 'X'));
  });

  it('refuses the hidden and the read-only field by name, and a batch with one of them writes nothing', async () => {
    const mine = u(`/sheets/Leads/records/${t.leads.rep}`);
    expect((await refused(() => rep.patch(mine, { fields: { Cost: 1 } }), 403)).body.error.details.fields).toHaveProperty('Cost');
    expect((await refused(() => rep.patch(mine, { fields: { 'Double cost': 1 } }), 403)).body.error.details.fields).toHaveProperty(['Double cost']);
    expect((await refused(() => rep.patch(mine, { fields: { Note: 'x' } }), 403)).body.error.details.fields).toEqual({ Note: 'is read-only for your role' });
    await refused(() => rep.post(u('/sheets/Leads/records'), { records: [{ fields: { Name: 'ok' } }, { fields: { Name: 'not ok', Cost: 3 } }] }), 403);
    // Another rep's lead cannot be taken over by naming its id in a write of the owner field either.
    await refused(() => rep.patch(u(`/sheets/Leads/records/${t.leads.other}`), { fields: { Owner: t.users.rep } }), 404);
  });

  it('refuses a write breaking a rule about the hidden field without naming it or telling the rule', async () => {
    const lead = await owner.post(u('/sheets/Leads/records'), { fields: { Name: 'Pricey', Owner: t.users.rep, Cost: 500 } });
    const rule = await owner.post(u('/sheets/Leads/rules'), { condition: { '<': [{ var: 'Cost' }, 400] }, message: 'Cost must stay under 400' });
    expect(rule.status).toBe(201);
    try {
      const res = await refused(() => rep.patch(u(`/sheets/Leads/records/${lead.body.id}`), { fields: { Status: 'Qualified' } }), 400);
      expect(text(res)).not.toMatch(/Cost|400/);
      expect(res.body.error.message).toMatch(/rule of "Leads"/);
      // The owner, who sees Cost, is told which rule and field.
      const byOwner = await refused(() => owner.patch(u(`/sheets/Leads/records/${lead.body.id}`), { fields: { Status: 'Qualified' } }), 400);
      expect(byOwner.body.error).toMatchObject({ message: 'Cost must stay under 400', details: { fields: { Cost: 'Cost must stay under 400' } } });
      // A rule the rep may read is told as it is.
      const named = await refused(() => rep.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Name: 'forbidden' } }), 400);
      expect(named.body.error.message).toBe('Name cannot be "forbidden"');
    } finally {
      expect((await owner.delete(u(`/sheets/Leads/rules/${rule.body.id}`))).status).toBe(204);
    }
  });

  it('shows a version conflict with the record as the rep may read it', async () => {
    const mine = (await rep.get(u(`/sheets/Leads/records/${t.leads.rep}`))).body;
    const stale = await refused(() => rep.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Status: 'Qualified' }, version: mine.version - 1 }), 409);
    expect(stale.body.error.details.current.fields.Name).toBe('Rep lead');
    expect(stale.body.error.details.current.fields).not.toHaveProperty('Cost');
  });
});

describe('search, filters, sorts and groups', () => {
  it("searches only the rep's records, and linked titles it may read", async () => {
    expect((await rep.get(u('/sheets/Leads/records?search=fair&count=true'))).body.total).toBe(1);
    expect((await rep.get(u('/sheets/Leads/records?search=secret%20plan&count=true'))).body.total).toBe(0);
    expect((await rep.get(u('/sheets/Leads/records?search=Other&count=true'))).body.total).toBe(0);
    expect((await owner.get(u('/sheets/Leads/records?search=Other&count=true'))).body.total).toBe(1);
    expect((await rep.post(u('/sheets/Leads/records/query'), { search: 'secret', count: true })).body.total).toBe(0);
    expect((await owner.post(u('/sheets/Leads/records/query'), { search: 'secret', count: true })).body.total).toBe(1);
  });

  it('answers 400 for the hidden field, and for what computes from it, as for a field that does not exist', async () => {
    const unknown = async (url: (name: string) => string, name: string) => {
      const res = await refused(() => rep.get(url(name)), 400);
      const never = await rep.get(url('Nope'));
      expect(never.status).toBe(400);
      expect(res.body.error.message.replace(name, 'X')).toBe(never.body.error.message.replace('Nope', 'X'));
    };
    await unknown((name) => u(`/sheets/Leads/records?filter=${q({ '>': [{ var: name }, 1] })}`), 'Cost');
    await unknown((name) => u(`/sheets/Leads/records?sort=${encodeURIComponent(name)}`), 'Cost');
    await unknown((name) => u(`/sheets/Leads/records?sort=${encodeURIComponent(name)}`), 'Double cost');
    await unknown((name) => u(`/sheets/Leads/groups?field=${encodeURIComponent(name)}`), 'Cost');
    await unknown((name) => u(`/sheets/Leads/groups?field=Status&sum=${encodeURIComponent(name)}`), 'Cost');
    await unknown((name) => u(`/sheets/Leads/groups?field=Status&filter=${q({ '>': [{ var: name }, 1] })}`), 'Cost');
    await unknown((name) => u(`/sheets/Accounts/records?filter=${q({ '>': [{ var: name }, 1] })}`), 'Lead costs');
    await unknown((name) => u(`/sheets/Accounts/records?sort=${encodeURIComponent(name)}`), 'Lead cost list');
    await unknown((name) => u(`/sheets/Accounts/records?filter=${q({ '!=': [{ var: name }, null] })}`), 'Payroll');
    const query = await refused(() => rep.post(u('/sheets/Leads/records/query'), { filter: { '>': [{ var: 'Cost' }, 1] } }), 400);
    expect(query.body.error.message).toMatch(/unknown field "Cost"/);
    // Nor by its id.
    await refused(() => rep.get(u(`/sheets/Leads/records?filter=${q({ '>': [{ var: t.fieldId('Leads', 'Cost') }, 1] })}`)), 400);
  });

  it('does not answer a filter on a lookup with values of records the rep may not read', async () => {
    const otherName = q({ in: ['Other lead', { var: 'Lead names' }] });
    expect((await owner.get(u(`/sheets/Accounts/records?count=true&filter=${otherName}`))).body.total).toBe(1);
    expect((await rep.get(u(`/sheets/Accounts/records?count=true&filter=${otherName}`))).body.total).toBe(0);
    const linked = q({ contains: [{ var: 'Leads' }, 'Other'] });
    expect((await owner.get(u(`/sheets/Accounts/records?count=true&filter=${linked}`))).body.total).toBe(1);
    expect((await rep.get(u(`/sheets/Accounts/records?count=true&filter=${linked}`))).body.total).toBe(0);
    const twoLeads = q({ '>=': [{ var: 'Lead count' }, 2] });
    expect((await owner.get(u(`/sheets/Accounts/records?count=true&filter=${twoLeads}`))).body.total).toBe(1);
    expect((await rep.get(u(`/sheets/Accounts/records?count=true&filter=${twoLeads}`))).body.total).toBe(0);
  });

  it('does not search a hidden text field, nor open a file in a hidden attachment field', async () => {
    const grants = (accounts: object, leads: object) => owner.patch(u('/roles/Sales rep'), {
      sheets: {
        Leads: { read: 'own', create: true, update: 'own', delete: 'none', fields: { Cost: 'hidden', Note: 'read_only', ...leads } },
        Accounts: { read: 'all', create: false, update: 'none', delete: 'none', fields: accounts },
      },
    });
    expect((await rep.get(u('/sheets/Accounts/records?search=North&count=true'))).body.total).toBe(1);
    expect((await rep.get(u(`/attachments/${t.files.repLead}`))).status).toBe(200);
    expect((await grants({ Region: 'hidden' }, { Files: 'hidden' })).status).toBe(200);
    try {
      expect((await rep.get(u('/sheets/Accounts/records?search=North&count=true'))).body.total).toBe(0);
      expect((await rep.get(u('/sheets/Accounts/records?search=Acme&count=true'))).body.total).toBe(1);
      expect((await owner.get(u('/sheets/Accounts/records?search=North&count=true'))).body.total).toBe(1);
      await refused(() => rep.get(u(`/attachments/${t.files.repLead}`)), 404);
    } finally {
      expect((await grants({}, {})).status).toBe(200);
    }
  });

  it("counts groups over the rep's records only", async () => {
    const counts = async (c: Client) => Object.fromEntries(((await c.get(u('/sheets/Leads/groups?field=Status'))).body.groups as { value: string; count: number }[]).map((g) => [g.value, g.count]));
    expect(await counts(owner)).toMatchObject({ New: 2, Qualified: 1 });
    const mine = await counts(rep);
    expect(mine.New).toBe(1);
    expect(mine.Qualified ?? 0).toBe(0);
  });
});

describe('history', () => {
  it("never shows the hidden field, nor a link to a sheet the rep may not read, in a readable record's history", async () => {
    await owner.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Cost: 150, Status: 'Qualified' } });
    const history = (await rep.get(u(`/sheets/Leads/records/${t.leads.rep}/history`))).body as { changes: Record<string, unknown> }[];
    expect(history[0]!.changes).toEqual({ Status: { from: 'New', to: 'Qualified' } });
    expect(text({ status: 200, body: history, headers: {} })).not.toMatch(/150|Cost/);
    // Acme's history as its link to Payroll (a sheet the rep may not read) changed: neither the link nor its titles.
    await owner.patch(u(`/sheets/Accounts/records/${t.acme}`), { fields: { Payroll: [], Region: 'South' } });
    await owner.patch(u(`/sheets/Accounts/records/${t.acme}`), { fields: { Payroll: [t.payroll], Region: 'North' } });
    const acme = await rep.get(u(`/sheets/Accounts/records/${t.acme}/history`));
    expect(acme.status).toBe(200);
    expect(text(acme)).toContain('South');
    expect(text(acme)).not.toMatch(/Alice|Payroll/);
    expect(text(await owner.get(u(`/sheets/Accounts/records/${t.acme}/history`)))).toContain('Alice');
  });
});

describe('links, lookups, rollups and formulas', () => {
  it("shows the rep only the leads it may read through Acme, and nothing computed from Cost or from Payroll", async () => {
    const acme = (await rep.get(u(`/sheets/Accounts/records/${t.acme}`))).body.fields;
    expect(acme.Leads.map((l: { title: string }) => l.title)).toEqual(['Rep lead']);
    expect(acme['Lead names']).toEqual(['Rep lead']);
    expect(acme['Lead count']).toBe(1);
    for (const name of ['Lead costs', 'Lead cost list', 'Payroll', 'Staff names']) expect(acme).not.toHaveProperty([name]);
    const fields = ((await rep.get(u('/sheets/Accounts'))).body.fields as { name: string }[]).map((f) => f.name);
    expect(fields).not.toEqual(expect.arrayContaining(['Lead costs']));
    expect(fields).not.toEqual(expect.arrayContaining(['Lead cost list']));
    expect(fields).not.toContain('Payroll');
    expect(fields).not.toContain('Staff names');
    const ownerView = (await owner.get(u(`/sheets/Accounts/records/${t.acme}`))).body.fields;
    expect(ownerView['Lead count']).toBe(2);
    expect(ownerView['Lead costs']).toBeGreaterThan(900);
    expect(ownerView.Payroll.map((p: { title: string }) => p.title)).toEqual(['Alice']);
    expect(ownerView['Staff names']).toEqual(['Alice']);
  });

  it("does not link to a record the rep may not read, nor attach another's file", async () => {
    const accounts = await owner.post(u('/sheets/Accounts/records'), { fields: { Name: 'Beta' } });
    expect(accounts.status).toBe(201);
    // The rep reads every account: linking to one is fine.
    expect((await rep.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Account: [accounts.body.id] } })).status).toBe(200);
    await rep.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Account: [t.acme] } });
    const res = await refused(() => rep.patch(u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Files: [t.files.otherLead] } }), 400);
    expect(res.body.error.details.fields).toHaveProperty('Files');
  });
});

describe('writing a link field over records the rep may not read', () => {
  it("keeps the links it cannot see, and the history of the change does not name them", async () => {
    const grants = (accounts: object) =>
      owner.patch(u('/roles/Sales rep'), { sheets: { Leads: { read: 'own', create: true, update: 'own', delete: 'none', fields: { Cost: 'hidden', Note: 'read_only' } }, Accounts: accounts } });
    expect((await grants({ read: 'all', create: true, update: 'all', delete: 'none' })).status).toBe(200);
    try {
      const acme = u(`/sheets/Accounts/records/${t.acme}`);
      const titles = async (c: Client) => ((await c.get(acme)).body.fields.Leads ?? []).map((l: { title: string }) => l.title).sort();
      expect(await titles(owner)).toEqual(['Other lead', 'Rep lead']);
      // The rep sees one lead of Acme and sets the list to none: only its own link goes.
      expect((await rep.patch(acme, { fields: { Leads: [] } })).status).toBe(200);
      expect(await titles(owner)).toEqual(['Other lead']);
      expect((await rep.patch(acme, { fields: { Leads: [t.leads.rep] } })).status).toBe(200);
      expect(await titles(owner)).toEqual(['Other lead', 'Rep lead']);
      expect((await t.rep2.get(u(`/sheets/Leads/records/${t.leads.other}`))).body.fields.Account).toEqual([{ id: t.acme, title: 'Acme' }]);
      // Nor can it link what it may not read.
      await refused(() => rep.patch(acme, { fields: { Leads: [t.leads.rep, t.leads.other] } }), 400);
      const history = await rep.get(`${acme}/history`);
      expect(history.status).toBe(200);
      expect(text(history)).toContain('Rep lead');
      expect(text(history)).not.toContain('Other lead');
    } finally {
      expect((await grants({ read: 'all', create: false, update: 'none', delete: 'none' })).status).toBe(200);
    }
  });
});

describe('documents', () => {
  it("renders a record's linked records as the rep may read them, and no preview for the rep", async () => {
    const doc = await owner.post(u('/sheets/Accounts/documents'), { name: 'Account sheet', template: '<h1>{{Name}}</h1><ul>{{#each Leads}}<li>{{Name}}: {{Cost}}</li>{{/each}}</ul><p>{{[Lead costs]}}</p>' });
    expect(doc.status).toBe(201);
    const page = await rep.get(u(`/sheets/Accounts/records/${t.acme}/documents/${doc.body.id}`));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<li>Rep lead: </li>');
    expect(page.body).not.toContain('Other lead');
    expect(page.body).toContain('<p></p>');
    expect(String((await owner.get(u(`/sheets/Accounts/records/${t.acme}/documents/${doc.body.id}`))).body)).toContain('Other lead');
    await refused(() => rep.post(u('/sheets/Leads/documents/preview'), { template: '{{Cost}}', recordId: t.leads.rep }), 403);
  });
});

describe('validators, schema and OpenAPI', () => {
  it('leaves the hidden and the read-only field out of what the browser validates with', async () => {
    const schema = (await rep.get(u('/sheets/Leads/schema'))).body;
    expect(Object.keys(schema.properties)).not.toContain('Cost');
    expect(Object.keys(schema.properties)).not.toContain('Note');
    expect(Object.keys(schema.properties)).toContain('Name');
    const validator = (await rep.get(u('/sheets/Leads/validator.js'))).body as string;
    expect(validator).not.toMatch(/Cost|Note/);
    expect((await owner.get(u('/sheets/Leads/validator.js'))).body).toMatch(/Cost/);
  });

  it("describes the API without any workspace's field names", async () => {
    // The OpenAPI document is the server's routes; a workspace's sheets and fields are never in it.
    const doc = await rep.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(text(doc)).not.toMatch(/"Cost"|Payroll|Salary/);
  });
});

describe('files', () => {
  it("opens a file of a record the rep may read, 404 for one it may not, and the rep's own uploads", async () => {
    expect((await rep.get(u(`/attachments/${t.files.repLead}`))).status).toBe(200);
    const other = await refused(() => rep.get(u(`/attachments/${t.files.otherLead}`)), 404);
    expect((await rep.get(u('/attachments/attnotthere'))).body.error.message.replace('attnotthere', 'X')).toBe(other.body.error.message.replace(t.files.otherLead, 'X'));
    expect((await t.as.viewer.get(u(`/attachments/${t.files.otherLead}`))).status).toBe(200);
    const mine = await upload(rep, t.ws, 'mine.txt', 'text/plain', 'mine');
    expect(mine.status).toBe(201);
    expect((await rep.get(u(`/attachments/${mine.body.id}`))).body).toBe('mine');
    // Nobody else opens a file the rep uploaded until it is in a record they may read.
    expect((await t.rep2.get(u(`/attachments/${mine.body.id}`))).status).toBe(404);
    await refused(() => t.as.viewer.post(u('/attachments')), 403);
  });
});

describe('views saved by others', () => {
  it('shows the rep a view filtering on the hidden field without that filter, and keeps it when the rep renames it', async () => {
    const views = (await rep.get(u('/sheets/Leads/views'))).body as { id: string; config: object }[];
    expect(views.find((v) => v.id === t.costView)!.config).toEqual({});
    const renamed = await rep.patch(u(`/sheets/Leads/views/${t.costView}`), { name: 'Costly leads' });
    expect(renamed.status).toBe(200);
    expect(text(renamed)).not.toContain(t.fieldId('Leads', 'Cost'));
    const stored = ((await owner.get(u('/sheets/Leads/views'))).body as { id: string; config: { sort?: string } }[]).find((v) => v.id === t.costView)!;
    expect(stored.config.sort).toBe(`-${t.fieldId('Leads', 'Cost')}`);
    // Nor may the rep save a view of its own on the hidden field.
    await refused(() => rep.post(u('/sheets/Leads/views'), { name: 'Mine', config: { sort: 'Cost' } }), 400);
    await refused(() => rep.post(u('/sheets/Leads/views'), { name: 'Mine', config: { filter: { '>': [{ var: 'Cost' }, 1] } } }), 400);
  });
});

describe('conversions', () => {
  it("copies only what the converting user reads: the rep's new account gets no Cost", async () => {
    // For this test the rep may add accounts.
    const patched = await owner.patch(u('/roles/Sales rep'), {
      sheets: {
        Leads: { read: 'own', create: true, update: 'own', delete: 'none', fields: { Cost: 'hidden', Note: 'read_only' } },
        Accounts: { read: 'all', create: true, update: 'none', delete: 'none' },
      },
    });
    expect(patched.status).toBe(200);
    try {
      const spec = (await rep.get(u('/sheets/Leads/conversions'))).body[0].spec;
      expect(JSON.stringify(spec)).not.toContain(t.fieldId('Leads', 'Cost'));
      const lead = await owner.post(u('/sheets/Leads/records'), { fields: { Name: 'Gamma', Owner: t.users.rep, Cost: 777 } });
      const converted = await rep.post(u(`/sheets/Leads/records/${lead.body.id}/convert/${t.conversion}`), {});
      expect(converted.status, JSON.stringify(converted.body)).toBe(201);
      const account = (await owner.get(u(`/sheets/Accounts/records/${converted.body.targets.account.id}`))).body;
      expect(account.fields.Name).toBe('Gamma');
      expect(account.fields).not.toHaveProperty('Budget');
      // An editor, who reads Cost, converts it into the account's budget.
      const lead2 = await owner.post(u('/sheets/Leads/records'), { fields: { Name: 'Delta', Cost: 555 } });
      const byEditor = await t.as.editor.post(u(`/sheets/Leads/records/${lead2.body.id}/convert/${t.conversion}`), {});
      expect(byEditor.status).toBe(201);
      expect((await owner.get(u(`/sheets/Accounts/records/${byEditor.body.targets.account.id}`))).body.fields.Budget).toBe(555);
    } finally {
      await owner.patch(u('/roles/Sales rep'), {
        sheets: {
          Leads: { read: 'own', create: true, update: 'own', delete: 'none', fields: { Cost: 'hidden', Note: 'read_only' } },
          Accounts: { read: 'all', create: false, update: 'none', delete: 'none' },
        },
      });
    }
  });
});

describe('trash and deleted records', () => {
  it('keeps the trash to designers, and an editor restores a record it deleted', async () => {
    await refused(() => rep.get(u('/trash')), 403);
    await refused(() => t.as.editor.get(u('/trash')), 403);
    const lead = await t.as.editor.post(u('/sheets/Leads/records'), { fields: { Name: 'Short-lived' } });
    expect((await t.as.editor.delete(u(`/sheets/Leads/records/${lead.body.id}`))).status).toBe(200);
    expect((await t.as.editor.get(u(`/sheets/Leads/records/${lead.body.id}`))).status).toBe(404);
    // A deleted record of someone else stays unknown to the rep, and restoring it is refused.
    await refused(() => rep.post(u(`/sheets/Leads/records/${lead.body.id}/restore`), {}), 404);
    await refused(() => rep.get(u(`/sheets/Leads/records/${lead.body.id}/history`)), 404);
    expect((await t.as.editor.post(u(`/sheets/Leads/records/${lead.body.id}/restore`), {})).status).toBe(200);
  });
});

describe('forms about the hidden field', () => {
  it("neither write a default the rep may not see nor require it of the rep, nor name it", async () => {
    const cost = t.fieldId('Leads', 'Cost');
    const form = (await owner.post(u('/sheets/Leads/forms'), { name: 'Sales intake' })).body;
    const layout = JSON.parse(JSON.stringify(form.draft).replace(`"field":"${cost}"`, `"field":"${cost}","defaultValue":10,"required":true`));
    expect((await owner.patch(u(`/sheets/Leads/forms/${form.id}`), { layout })).status).toBe(200);
    expect((await owner.post(u(`/sheets/Leads/forms/${form.id}/publish`), {})).status).toBe(200);
    const byRep = await rep.post(u(`/sheets/Leads/records?form=${form.id}`), { fields: { Name: 'Through the form' } });
    expect(byRep.status, JSON.stringify(byRep.body)).toBe(201);
    expect((await owner.get(u(`/sheets/Leads/records/${byRep.body.id}`))).body.fields).not.toHaveProperty('Cost');
    // The owner, who sees Cost, gets its default.
    const byOwner = await owner.post(u(`/sheets/Leads/records?form=${form.id}`), { fields: { Name: 'Through the form too' } });
    expect(byOwner.body.fields.Cost).toBe(10);
    await refused(() => rep.post(u(`/sheets/Leads/records?form=${form.id}`), { fields: { Name: 'x', Cost: 5 } }), 403);
  });

  it('read the hidden field as empty in conditions, as shown to the rep, so what is kept never tells its value', async () => {
    const cost = t.fieldId('Leads', 'Cost');
    const status = t.fieldId('Leads', 'Status');
    const form = (await owner.post(u('/sheets/Leads/forms'), { name: 'Pricing' })).body;
    const layout = JSON.parse(JSON.stringify(form.draft).replace(`"field":"${status}"`, `"field":"${status}","visibleWhen":{">":[{"var":"${cost}"},500]}`));
    expect((await owner.patch(u(`/sheets/Leads/forms/${form.id}`), { layout, isDefault: true })).status).toBe(200);
    expect((await owner.post(u(`/sheets/Leads/forms/${form.id}/publish`), {})).status).toBe(200);
    const shown = await rep.get(u('/sheets/Leads/form'));
    expect(shown.body.form.id).toBe(form.id);
    expect(text(shown)).not.toContain(cost);
    expect(text(await owner.get(u('/sheets/Leads/form')))).toContain(cost);
    for (const amount of [900, 100]) {
      const lead = (await owner.post(u('/sheets/Leads/records'), { fields: { Name: `Priced ${amount}`, Owner: t.users.rep, Cost: amount, Status: 'New' } })).body;
      const byRep = await rep.patch(u(`/sheets/Leads/records/${lead.id}?form=${form.id}`), { fields: { Status: 'Qualified' } });
      expect(byRep.status).toBe(200);
      expect(byRep.body.fields.Status).toBe('New');
    }
    const expensive = (await owner.post(u('/sheets/Leads/records'), { fields: { Name: 'Priced', Cost: 900, Status: 'New' } })).body;
    expect((await owner.patch(u(`/sheets/Leads/records/${expensive.id}?form=${form.id}`), { fields: { Status: 'Qualified' } })).body.fields.Status).toBe('Qualified');
    // Back to the first form as the default.
    expect((await owner.patch(u(`/sheets/Leads/forms/${t.form}`), { isDefault: true })).status).toBe(200);
  });
});

describe('public forms', () => {
  it("are not narrowed by any member's role: the visitor writes the fields the form shows", async () => {
    const form = await t.server.anonymous.get(`/api/public/forms/${t.formToken}`);
    expect(form.status).toBe(200);
    const sent = await t.server.anonymous.post(`/api/public/forms/${t.formToken}`, { fields: { Name: 'From the web', Cost: 12 } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const all = (await owner.get(u(`/sheets/Leads/records?search=${encodeURIComponent('From the web')}`))).body.records;
    expect(all.map((r: { fields: { Cost?: number } }) => r.fields.Cost)).toEqual([12]);
    // Nobody owns it: the rep does not see it.
    expect((await rep.get(u(`/sheets/Leads/records?search=${encodeURIComponent('From the web')}&count=true`))).body.total).toBe(0);
  });
});

describe('API tokens', () => {
  it("act with the rep's access, never more", async () => {
    const made = await rep.post('/api/tokens', { name: 'script' });
    expect(made.status).toBe(201);
    const bearer = { authorization: `Bearer ${made.body.token}` };
    const list = await t.server.anonymous.request('GET', u('/sheets/Leads/records?count=true'), undefined, bearer);
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { fields: { Name: string } }) => r.fields.Name)).not.toContain('Other lead');
    expect(text(list)).not.toContain('"Cost"');
    await refused(() => t.server.anonymous.request('GET', u(`/sheets/Leads/records/${t.leads.other}`), undefined, bearer), 404);
    await refused(() => t.server.anonymous.request('PATCH', u(`/sheets/Leads/records/${t.leads.rep}`), { fields: { Cost: 1 } }, bearer), 403);
    await refused(() => t.server.anonymous.request('GET', u('/roles'), undefined, bearer), 403);
    await refused(() => t.server.anonymous.request('GET', u('/sheets/Payroll/records'), undefined, bearer), 404);
  });
});

describe('owners', () => {
  it('keeps the last owner, and leaves owners to owners', async () => {
    const admin = t.as.admin;
    await refused(() => owner.patch(u(`/members/${t.users.owner}`), { role: 'admin' }), 409);
    await refused(() => owner.patch(u(`/members/${t.users.owner}`), { active: false }), 409);
    await refused(() => owner.delete(u(`/members/${t.users.owner}`)), 409);
    await refused(() => admin.patch(u(`/members/${t.users.owner}`), { role: 'viewer' }), 403);
    await refused(() => admin.delete(u(`/members/${t.users.owner}`)), 403);
    await refused(() => admin.patch(u(`/members/${t.users.viewer}`), { role: 'owner' }), 403);
    await refused(() => admin.post(u('/invitations'), { email: 'boss@example.com', role: 'owner' }), 403);
    await refused(() => admin.patch(u('/roles/owner'), { name: 'Boss' }), 409);
    await refused(() => t.as.editor.patch(u(`/members/${t.users.editor}`), { role: 'admin' }), 403);
    await refused(() => rep.post(u('/roles'), { name: 'Self-made', design: true, members: true }), 403);
    // With a second owner, the first may step down.
    expect((await owner.patch(u(`/members/${t.users.admin}`), { role: 'owner' })).status).toBe(200);
    expect((await owner.patch(u(`/members/${t.users.owner}`), { role: 'admin' })).status).toBe(200);
    await refused(() => admin.patch(u(`/members/${t.users.admin}`), { role: 'admin' }), 409);
    expect((await admin.patch(u(`/members/${t.users.owner}`), { role: 'owner' })).status).toBe(200);
    expect((await owner.patch(u(`/members/${t.users.admin}`), { role: 'admin' })).status).toBe(200);
  });
});
