import { upload } from './files.js';
import { inviteMember } from './members.js';
import { startTestServer, type Client, type TestServer } from './server.js';

/** The roles the permission matrix runs every endpoint as. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer', 'rep'] as const;
export type Role = (typeof ROLES)[number];

interface SheetJson {
  id: string;
  name: string;
  fields: { id: string; name: string }[];
}

/**
 * One workspace of a sales team, built through the API as its owner would:
 * - Accounts (Name, Region, Budget) ← Leads (Name, Owner = the owner field, Cost, Note, Status, Account, Files, Double cost =
 *   {Cost} * 2); Accounts look up Payroll's names (Staff names) and read the leads back as Lead costs (rollup sum of Cost), Lead cost list (lookup of Cost),
 *   Lead names (lookup of Name) and Lead count (rollup count); Payroll (Name, Salary) is linked from Accounts.
 * - The "Sales rep" role: Leads own records (read, update; create; delete none) with Cost hidden and Note read-only,
 *   Accounts read all, no other sheet (Payroll, and the Accounts → Payroll link, are unknown to it).
 * - Members: an admin, an editor, a viewer, two reps ("rep" and "rep2"), each invited and joined through the link.
 * - Leads: "Rep lead" (rep's, Cost 100, file A), "Other lead" (rep2's, Cost 900, file B), "Owner lead" (Cost 5).
 * - A view by the owner filtering and sorting on Cost; a rule, a document, a conversion, a published public form.
 */
export interface TeamWorkspace {
  server: TestServer;
  ws: string;
  as: Record<Role, Client>;
  rep2: Client;
  users: Record<Role | 'rep2', string>;
  sheets: Record<'Accounts' | 'Leads' | 'Payroll', SheetJson>;
  leads: Record<'rep' | 'other' | 'owner', string>;
  acme: string;
  payroll: string;
  files: Record<'repLead' | 'otherLead', string>;
  costView: string;
  costRule: string;
  nameRule: string;
  document: string;
  conversion: string;
  form: string;
  formToken: string;
  fieldId(sheet: 'Accounts' | 'Leads' | 'Payroll', name: string): string;
}

async function ok<T = any>(promise: Promise<{ status: number; body: T }>, status = 201): Promise<T> {
  const res = await promise;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function setupTeamWorkspace(): Promise<TeamWorkspace> {
  const server = await startTestServer();
  const { client: owner, workspaceId: ws, userId: ownerId } = await server.setup();
  const sheetsUrl = `/api/w/${ws}/sheets`;
  await ok(owner.post(sheetsUrl, { name: 'Payroll', fields: [{ name: 'Name', type: 'text' }, { name: 'Salary', type: 'number' }] }));
  await ok(
    owner.post(sheetsUrl, {
      name: 'Accounts',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Region', type: 'text' },
        { name: 'Budget', type: 'currency', options: { currency: 'USD' } },
        { name: 'Payroll', type: 'link', options: { sheet: 'Payroll', relationship: 'many_to_many', inverseName: 'Accounts' } },
      ],
    }),
  );
  await ok(
    owner.post(sheetsUrl, {
      name: 'Leads',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Owner', type: 'user', options: { owner: true } },
        { name: 'Cost', type: 'currency', options: { currency: 'USD' } },
        { name: 'Note', type: 'text' },
        { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Qualified' }, { name: 'Converted' }] } },
        { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Leads' } },
        { name: 'Files', type: 'attachment' },
      ],
    }),
  );
  await ok(owner.post(`${sheetsUrl}/Leads/fields`, { name: 'Double cost', type: 'formula', options: { expression: '{Cost} * 2' } }));
  await ok(owner.post(`${sheetsUrl}/Accounts/fields`, { name: 'Lead costs', type: 'rollup', options: { link: 'Leads', field: 'Cost', fn: 'sum' } }));
  await ok(owner.post(`${sheetsUrl}/Accounts/fields`, { name: 'Lead cost list', type: 'lookup', options: { link: 'Leads', field: 'Cost' } }));
  await ok(owner.post(`${sheetsUrl}/Accounts/fields`, { name: 'Lead names', type: 'lookup', options: { link: 'Leads', field: 'Name' } }));
  await ok(owner.post(`${sheetsUrl}/Accounts/fields`, { name: 'Staff names', type: 'lookup', options: { link: 'Payroll', field: 'Name' } }));
  await ok(owner.post(`${sheetsUrl}/Accounts/fields`, { name: 'Lead count', type: 'rollup', options: { link: 'Leads', field: 'Name', fn: 'count_all' } }));
  const sheet = async (name: string) => ok<SheetJson>(owner.get(`${sheetsUrl}/${name}`), 200);
  const sheets = { Accounts: await sheet('Accounts'), Leads: await sheet('Leads'), Payroll: await sheet('Payroll') };
  const fieldId = (s: keyof typeof sheets, name: string) => {
    const found = sheets[s].fields.find((f) => f.name === name);
    if (!found) throw new Error(`${s} has no field ${name}`);
    return found.id;
  };

  await ok(
    owner.post(`/api/w/${ws}/roles`, {
      name: 'Sales rep',
      sheets: {
        Leads: { read: 'own', create: true, update: 'own', delete: 'none', fields: { Cost: 'hidden', Note: 'read_only' } },
        Accounts: { read: 'all', create: false, update: 'none', delete: 'none' },
      },
      otherSheets: { read: 'none', create: false, update: 'none', delete: 'none' },
    }),
  );
  const admin = await inviteMember(server, owner, ws, 'admin@example.com', 'admin');
  const editor = await inviteMember(server, owner, ws, 'editor@example.com', 'editor');
  const viewer = await inviteMember(server, owner, ws, 'viewer@example.com', 'viewer');
  const rep = await inviteMember(server, owner, ws, 'rep@example.com', 'Sales rep');
  const rep2 = await inviteMember(server, owner, ws, 'rep2@example.com', 'Sales rep');

  const file = async (name: string) => (await ok(upload(owner, ws, name, 'text/plain', `contents of ${name}`))).id as string;
  const files = { repLead: await file('rep-quote.txt'), otherLead: await file('other-quote.txt') };
  const payroll = (await ok(owner.post(`${sheetsUrl}/Payroll/records`, { fields: { Name: 'Alice', Salary: 5000 } }))).id as string;
  const acme = (await ok(owner.post(`${sheetsUrl}/Accounts/records`, { fields: { Name: 'Acme', Region: 'North', Payroll: [payroll] } }))).id as string;
  const created = await ok<{ records: { id: string }[] }>(
    owner.post(`${sheetsUrl}/Leads/records`, {
      records: [
        { fields: { Name: 'Rep lead', Owner: rep.userId, Cost: 100, Note: 'from the fair', Status: 'New', Account: [acme], Files: [files.repLead] } },
        { fields: { Name: 'Other lead', Owner: rep2.userId, Cost: 900, Note: 'secret plan', Status: 'Qualified', Account: [acme], Files: [files.otherLead] } },
        { fields: { Name: 'Owner lead', Cost: 5, Status: 'New' } },
      ],
    }),
  );
  const [repLead, otherLead, ownerLead] = created.records.map((r) => r.id) as [string, string, string];

  const costView = (await ok(owner.post(`${sheetsUrl}/Leads/views`, { name: 'Costly', config: { filter: { '>': [{ var: 'Cost' }, 50] }, sort: '-Cost' } }))).id as string;
  const costRule = (await ok(owner.post(`${sheetsUrl}/Leads/rules`, { condition: { '>=': [{ var: 'Cost' }, 0] }, message: 'Cost cannot be negative' }))).id as string;
  const nameRule = (await ok(owner.post(`${sheetsUrl}/Leads/rules`, { condition: { '!=': [{ var: 'Name' }, 'forbidden'] }, message: 'Name cannot be "forbidden"' }))).id as string;
  const document = (await ok(owner.post(`${sheetsUrl}/Leads/documents`, { name: 'Lead sheet', template: '<h1>{{Name}}</h1><p>Cost: {{Cost}}</p><p>Double: {{[Double cost]}}</p>' }))).id as string;
  const conversion = (
    await ok(
      owner.post(`${sheetsUrl}/Leads/conversions`, {
        name: 'To account',
        mark: { field: 'Status', value: 'Converted' },
        targets: [{ key: 'account', sheet: 'Accounts', fields: { Name: 'Name', Budget: 'Cost' } }],
        backLinks: { Account: 'account' },
      }),
    )
  ).id as string;
  const form = (await ok(owner.post(`${sheetsUrl}/Leads/forms`, { name: 'Intake' }))).id as string;
  await ok(owner.post(`${sheetsUrl}/Leads/forms/${form}/publish`, {}), 200);
  const formToken = (await ok(owner.request('PUT', `${sheetsUrl}/Leads/forms/${form}/public`, { enabled: true }), 200)).public.token as string;

  return {
    server,
    ws,
    as: { owner, admin: admin.client, editor: editor.client, viewer: viewer.client, rep: rep.client },
    rep2: rep2.client,
    users: { owner: ownerId, admin: admin.userId, editor: editor.userId, viewer: viewer.userId, rep: rep.userId, rep2: rep2.userId },
    sheets,
    leads: { rep: repLead, other: otherLead, owner: ownerLead },
    acme,
    payroll,
    files,
    costView,
    costRule,
    nameRule,
    document,
    conversion,
    form,
    formToken,
    fieldId,
  };
}
