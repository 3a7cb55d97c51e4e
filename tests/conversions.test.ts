import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let conversionId: string;
const sheet = (name: string) => `/api/w/${ws}/sheets/${encodeURIComponent(name)}`;
const link = (name: string, target: string) => ({ name, type: 'link', options: { sheet: target, relationship: 'many_to_one' } });

async function all(name: string) {
  return (await client.get(`${sheet(name)}/records?sort=Name`)).body.records as { id: string; fields: Record<string, unknown> }[];
}
async function lead(fields: Record<string, unknown>) {
  const res = await client.post(`${sheet('Leads')}/records`, { fields });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const convert = (id: string, body: unknown = {}) => client.post(`${sheet('Leads')}/records/${id}/convert/${conversionId}`, body);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  await client.post(`/api/w/${ws}/sheets`, { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }, { name: 'Industry', type: 'text' }] });
  await client.post(`/api/w/${ws}/sheets`, { name: 'Contacts', fields: [{ name: 'Name', type: 'text' }, { name: 'Email', type: 'email', required: true }] });
  await client.post(`${sheet('Contacts')}/fields`, link('Account', 'Accounts'));
  await client.post(`/api/w/${ws}/sheets`, { name: 'Opportunities', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } }] });
  await client.post(`${sheet('Opportunities')}/fields`, link('Account', 'Accounts'));
  await client.post(`${sheet('Opportunities')}/fields`, link('Contact', 'Contacts'));
  await client.post(`/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Company', type: 'text' },
      { name: 'Email', type: 'email' },
      { name: 'Budget', type: 'number' },
      { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Qualified' }, { name: 'Converted' }] } },
    ],
  });
  for (const [name, target] of [['Account', 'Accounts'], ['Contact', 'Contacts'], ['Opportunity', 'Opportunities']] as const) {
    expect((await client.post(`${sheet('Leads')}/fields`, { ...link(name, target), options: { sheet: target, relationship: 'many_to_one', inverseName: 'Leads' } })).status).toBe(201);
  }
  await client.post(`${sheet('Accounts')}/records`, { fields: { Name: 'Globex', Industry: 'Energy' } });
  const created = await client.post(`${sheet('Leads')}/conversions`, {
    name: 'Convert',
    requires: { field: 'Status', value: 'Qualified' },
    mark: { field: 'Status', value: 'Converted' },
    targets: [
      { key: 'account', sheet: 'Accounts', fields: { Name: 'Company' }, match: 'Name' },
      { key: 'contact', sheet: 'Contacts', fields: { Name: 'Name', Email: 'Email' }, links: { Account: 'account' } },
      { key: 'opportunity', sheet: 'Opportunities', fields: { Name: 'Company', Amount: 'Budget' }, links: { Account: 'account', Contact: 'contact' } },
    ],
    backLinks: { Account: 'account', Contact: 'contact', Opportunity: 'opportunity' },
  });
  expect(created.status).toBe(201);
  conversionId = created.body.id;
});
afterAll(() => server.close());

describe('lead conversion', () => {
  it('creates an account, a contact and an opportunity, links them, and marks the lead', async () => {
    const id = await lead({ Name: 'Ann Lee', Company: 'Acme', Email: 'ann@acme.example', Budget: 12000.5, Status: 'Qualified' });
    const res = await convert(id);
    expect(res.status).toBe(201);
    const { account, contact, opportunity } = res.body.targets;
    expect([account.created, contact.created, opportunity.created]).toEqual([true, true, true]);
    expect(res.body.record.fields).toMatchObject({
      Status: 'Converted',
      Account: [{ id: account.id, title: 'Acme' }],
      Contact: [{ id: contact.id, title: 'Ann Lee' }],
      Opportunity: [{ id: opportunity.id, title: 'Acme' }],
    });
    expect((await all('Contacts')).find((r) => r.id === contact.id)!.fields).toMatchObject({ Email: 'ann@acme.example', Account: [{ id: account.id, title: 'Acme' }] });
    expect((await all('Opportunities')).find((r) => r.id === opportunity.id)!.fields).toMatchObject({
      Amount: 12000.5,
      Account: [{ id: account.id }],
      Contact: [{ id: contact.id }],
    });
    const again = await convert(id);
    expect(again.status).toBe(409);
  });

  it('links to an existing account with the same name, or the one the user picks', async () => {
    const globex = (await all('Accounts')).find((r) => r.fields.Name === 'Globex')!;
    const matched = await convert(await lead({ Name: 'Bo', Company: 'Globex', Email: 'bo@globex.example', Status: 'Qualified' }));
    expect(matched.body.targets.account).toEqual({ sheetId: expect.any(String), id: globex.id, created: false });
    const picked = await convert(await lead({ Name: 'Cy', Company: 'Globex Energy Inc.', Email: 'cy@globex.example', Status: 'Qualified' }), { use: { account: globex.id } });
    expect(picked.body.targets.account.id).toBe(globex.id);
    expect((await all('Accounts')).filter((r) => String(r.fields.Name).startsWith('Globex'))).toHaveLength(1);
  });

  it('refuses a lead that is not qualified, naming the field', async () => {
    const res = await convert(await lead({ Name: 'Dee', Company: 'Initech', Email: 'dee@initech.example', Status: 'New' }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ Status: 'must be "Qualified" before converting (it is "New")' });
  });

  it('changes nothing when one of the records cannot be written', async () => {
    const counts = async () => [(await all('Accounts')).length, (await all('Contacts')).length, (await all('Opportunities')).length];
    const before = await counts();
    const id = await lead({ Name: 'Eve', Company: 'Hooli', Status: 'Qualified' });
    const res = await convert(id);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Contacts: /);
    expect(res.body.error.details.fields).toEqual({ Email: 'is required' });
    expect(await counts()).toEqual(before);
    const after = (await all('Leads')).find((r) => r.id === id)!;
    expect(after.fields.Status).toBe('Qualified');
    expect(after.fields.Account).toBeUndefined();
  });

  it('refuses a conversion that names what does not exist', async () => {
    const res = await client.post(`${sheet('Leads')}/conversions`, { name: 'Bad', targets: [{ key: 'x', sheet: 'Accounts', fields: { Nope: 'Name' } }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ 'targets.0.fields': '"Accounts" has no field "Nope"' });
    const back = await client.post(`${sheet('Leads')}/conversions`, { name: 'Bad', targets: [{ key: 'x', sheet: 'Accounts', fields: {} }], backLinks: { Contact: 'x' } });
    expect(back.body.error.details.fields.backLinks).toMatch(/not a link to that sheet/);
    expect((await convert('999999')).status).toBe(404);
  });
});
