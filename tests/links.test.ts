import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
const sheets = () => `/api/w/${ws}/sheets`;
const records = (sheet: string) => `${sheets()}/${encodeURIComponent(sheet)}/records`;

async function create(sheet: string, fields: Record<string, unknown>) {
  const res = await client.post(records(sheet), { fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; fields: Record<string, any> };
}
const get = async (sheet: string, id: string) => (await client.get(`${records(sheet)}/${id}`)).body.fields as Record<string, any>;
const field = async (sheet: string, name: string) => (await client.get(`${sheets()}/${encodeURIComponent(sheet)}`)).body.fields.find((f: { name: string }) => f.name === name);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  for (const name of ['Accounts', 'Contacts', 'Tags', 'Badges']) {
    expect((await client.post(sheets(), { name, fields: [{ name: 'Name', type: 'text' }] })).status).toBe(201);
  }
});
afterAll(() => server.close());

describe('creating links', () => {
  it('creates the inverse field on the linked sheet, named after this sheet', async () => {
    const res = await client.post(`${sheets()}/Contacts/fields`, { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
    expect(res.status).toBe(201);
    expect(res.body.options).toMatchObject({ relationship: 'many_to_one', inverseField: expect.any(String) });
    const inverse = await field('Accounts', 'Contacts');
    expect(inverse).toMatchObject({ id: res.body.options.inverseField, type: 'link', options: { relationship: 'one_to_many', inverseField: res.body.id } });
  });

  it('takes inverseName, and refuses one already used on the other sheet', async () => {
    const ok = await client.post(`${sheets()}/Contacts/fields`, { name: 'Tags', type: 'link', options: { sheet: 'Tags', relationship: 'many_to_many', inverseName: 'Tagged contacts' } });
    expect(ok.status).toBe(201);
    expect(await field('Tags', 'Tagged contacts')).toBeDefined();
    const clash = await client.post(`${sheets()}/Contacts/fields`, { name: 'Tags 2', type: 'link', options: { sheet: 'Tags', inverseName: 'name' } });
    expect(clash.status).toBe(400);
    expect(clash.body.error.details.fields['Tags 2']).toMatch(/already has a field named "name"/);
  });

  it('refuses a bad relationship and a link without a sheet', async () => {
    const bad = await client.post(`${sheets()}/Contacts/fields`, { name: 'X', type: 'link', options: { sheet: 'Tags', relationship: 'some' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.X).toMatch(/options.relationship/);
    const none = await client.post(`${sheets()}/Contacts/fields`, { name: 'X', type: 'link', options: {} });
    expect(none.status).toBe(400);
    expect(none.body.error.details.fields.X).toMatch(/options.sheet/);
  });

  it('makes one_to_one and self links', async () => {
    expect((await client.post(`${sheets()}/Contacts/fields`, { name: 'Badge', type: 'link', options: { sheet: 'Badges', relationship: 'one_to_one' } })).status).toBe(201);
    const self = await client.post(`${sheets()}/Accounts/fields`, { name: 'Parent account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Child accounts' } });
    expect(self.status).toBe(201);
    expect(await field('Accounts', 'Child accounts')).toMatchObject({ options: { relationship: 'one_to_many' } });
  });
});

describe('writing and reading links', () => {
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    acme = (await create('Accounts', { Name: 'Acme' })).id;
    globex = (await create('Accounts', { Name: 'Globex' })).id;
  });

  it('writes ids and reads [{id, title}] on both sides', async () => {
    const ann = await create('Contacts', { Name: 'Ann', Account: [acme] });
    expect(ann.fields.Account).toEqual([{ id: acme, title: 'Acme' }]);
    expect((await get('Accounts', acme)).Contacts).toEqual([{ id: ann.id, title: 'Ann' }]);
    // A single id is taken as a list of one; ids may be numbers.
    const bob = await create('Contacts', { Name: 'Bob', Account: Number(acme) });
    expect(bob.fields.Account).toEqual([{ id: acme, title: 'Acme' }]);
    expect((await get('Accounts', acme)).Contacts.map((c: { title: string }) => c.title)).toEqual(['Ann', 'Bob']);
  });

  it('refuses a second target on a many_to_one link, and unknown or deleted records', async () => {
    const two = await client.post(records('Contacts'), { fields: { Name: 'Cat', Account: [acme, globex] } });
    expect(two.status).toBe(400);
    expect(two.body.error.details.fields.Account).toBe('can link to one record only (the link is many_to_one), not 2');
    const missing = await client.post(records('Contacts'), { fields: { Name: 'Cat', Account: ['999999'] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields.Account).toBe('there is no record 999999 in the linked sheet');
    const gone = await create('Accounts', { Name: 'Gone' });
    expect((await client.delete(`${records('Accounts')}/${gone.id}`)).status).toBe(200);
    expect((await client.post(records('Contacts'), { fields: { Name: 'Cat', Account: [gone.id] } })).status).toBe(400);
    expect((await client.post(records('Contacts'), { fields: { Name: 'Cat', Account: ['abc'] } })).status).toBe(400);
  });

  it('moves a contact by writing its many_to_one side, and refuses to steal it from the one_to_many side', async () => {
    const dan = await create('Contacts', { Name: 'Dan', Account: [acme] });
    const moved = await client.patch(`${records('Contacts')}/${dan.id}`, { fields: { Account: [globex] } });
    expect(moved.status).toBe(200);
    expect(moved.body.fields.Account).toEqual([{ id: globex, title: 'Globex' }]);
    expect((await get('Accounts', acme)).Contacts.map((c: { id: string }) => c.id)).not.toContain(dan.id);
    const steal = await client.patch(`${records('Accounts')}/${acme}`, { fields: { Contacts: [dan.id] } });
    expect(steal.status).toBe(400);
    expect(steal.body.error.details.fields.Contacts).toMatch(new RegExp(`record ${dan.id} of the linked sheet is already linked to another record`));
    expect((await get('Contacts', dan.id)).Account).toEqual([{ id: globex, title: 'Globex' }]);
  });

  it('sets one_to_many from the "one" side and clears links with an empty list', async () => {
    const eve = await create('Contacts', { Name: 'Eve' });
    const fay = await create('Contacts', { Name: 'Fay' });
    const initech = await create('Accounts', { Name: 'Initech', Contacts: [eve.id, fay.id] });
    expect(initech.fields.Contacts).toEqual([
      { id: eve.id, title: 'Eve' },
      { id: fay.id, title: 'Fay' },
    ]);
    expect((await get('Contacts', fay.id)).Account).toEqual([{ id: initech.id, title: 'Initech' }]);
    const cleared = await client.patch(`${records('Accounts')}/${initech.id}`, { fields: { Contacts: [] } });
    expect(cleared.body.fields).not.toHaveProperty('Contacts');
    expect(await get('Contacts', fay.id)).not.toHaveProperty('Account');
  });

  it('keeps one_to_one to one on both sides', async () => {
    const gold = await create('Badges', { Name: 'Gold' });
    const gil = await create('Contacts', { Name: 'Gil', Badge: [gold.id] });
    expect((await get('Badges', gold.id)).Contacts).toEqual([{ id: gil.id, title: 'Gil' }]);
    const again = await client.post(records('Contacts'), { fields: { Name: 'Hal', Badge: [gold.id] } });
    expect(again.status).toBe(400);
    expect(again.body.error.details.fields.Badge).toMatch(/already linked to another record/);
    const fromBadge = await client.post(records('Badges'), { fields: { Name: 'Silver', Contacts: [gil.id] } });
    expect(fromBadge.status).toBe(400);
  });

  it('links many_to_many in order, both ways', async () => {
    const vip = await create('Tags', { Name: 'VIP' });
    const lead = await create('Tags', { Name: 'Lead' });
    const ivy = await create('Contacts', { Name: 'Ivy', Tags: [lead.id, vip.id] });
    const jon = await create('Contacts', { Name: 'Jon', Tags: [vip.id] });
    expect(ivy.fields.Tags.map((t: { title: string }) => t.title)).toEqual(['Lead', 'VIP']);
    expect((await get('Tags', vip.id))['Tagged contacts'].map((c: { id: string }) => c.id)).toEqual([ivy.id, jon.id]);
    const dup = await client.post(records('Contacts'), { fields: { Name: 'Kim', Tags: [vip.id, vip.id] } });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields.Tags).toBe('names a record more than once');
  });

  it('links a sheet to itself', async () => {
    const parent = await create('Accounts', { Name: 'Holding' });
    const child = await create('Accounts', { Name: 'Subsidiary', 'Parent account': [parent.id] });
    expect(child.fields['Parent account']).toEqual([{ id: parent.id, title: 'Holding' }]);
    expect((await get('Accounts', parent.id))['Child accounts']).toEqual([{ id: child.id, title: 'Subsidiary' }]);
  });

  it('sets links in a batch all or nothing', async () => {
    const before = (await client.get(`${records('Contacts')}?count=true`)).body.total;
    const res = await client.post(records('Contacts'), {
      records: [{ fields: { Name: 'L1', Account: [acme] } }, { fields: { Name: 'L2', Account: ['987654'] } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Record 2 of 2/);
    expect(res.body.error.details.records).toEqual([{ index: 1, fields: { Account: 'there is no record 987654 in the linked sheet' } }]);
    expect((await client.get(`${records('Contacts')}?count=true`)).body.total).toBe(before);
    const ok = await client.post(records('Contacts'), { records: [{ fields: { Name: 'L1', Account: [acme] } }, { fields: { Name: 'L2', Account: [globex] } }] });
    expect(ok.status).toBe(201);
    expect(ok.body.records.map((r: { fields: { Account: { title: string }[] } }) => r.fields.Account[0]!.title)).toEqual(['Acme', 'Globex']);
  });

  it('titles a link with the primary field, formatted, and follows a change of primary field', async () => {
    expect((await client.post(`${sheets()}/Badges/fields`, { name: 'Rank', type: 'number', options: { precision: 1 } })).status).toBe(201);
    const badge = await create('Badges', { Name: 'Bronze', Rank: 1234.5 });
    const kay = await create('Contacts', { Name: 'Kay', Badge: [badge.id] });
    expect((await client.patch(`${sheets()}/Badges`, { primaryField: 'Rank' })).status).toBe(200);
    expect((await get('Contacts', kay.id)).Badge).toEqual([{ id: badge.id, title: '1,234.5' }]);
    expect((await client.patch(`${sheets()}/Badges`, { primaryField: 'Name' })).status).toBe(200);
  });

  it('records link changes in history, and computed ones not', async () => {
    const lee = await create('Contacts', { Name: 'Lee', Account: [acme] });
    await client.patch(`${records('Contacts')}/${lee.id}`, { fields: { Account: [globex] } });
    const history = (await client.get(`${records('Contacts')}/${lee.id}/history`)).body;
    expect(history[0]).toMatchObject({ action: 'update', changes: { Account: { from: [{ id: acme, title: 'Acme' }], to: [{ id: globex, title: 'Globex' }] } } });
    expect(history[1].changes.Account.to).toEqual([{ id: acme, title: 'Acme' }]);
  });
});

describe('deleting', () => {
  it('removes a deleted record from the records it was linked to, and links it again on restore', async () => {
    const wayne = await create('Accounts', { Name: 'Wayne' });
    const max = await create('Contacts', { Name: 'Max', Account: [wayne.id] });
    expect((await client.delete(`${records('Contacts')}/${max.id}`)).status).toBe(200);
    expect(await get('Accounts', wayne.id)).not.toHaveProperty('Contacts');
    const history = (await client.get(`${records('Contacts')}/${max.id}/history`)).body;
    expect(history[0]).toMatchObject({ action: 'delete', changes: { Account: { from: [{ id: wayne.id, title: 'Wayne' }], to: null } } });
    const restored = await client.post(`${records('Contacts')}/${max.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.fields.Account).toEqual([{ id: wayne.id, title: 'Wayne' }]);
    expect((await get('Accounts', wayne.id)).Contacts).toEqual([{ id: max.id, title: 'Max' }]);
  });

  it('deletes both sides of a link to the trash and restores them with their links', async () => {
    const stark = await create('Accounts', { Name: 'Stark' });
    const ned = await create('Contacts', { Name: 'Ned', Account: [stark.id] });
    const del = await client.delete(`${sheets()}/Accounts/fields/Contacts`);
    expect(del.status).toBe(200);
    expect(await field('Contacts', 'Account')).toBeUndefined();
    expect(await field('Accounts', 'Contacts')).toBeUndefined();
    expect(await get('Contacts', ned.id)).not.toHaveProperty('Account');
    const trash = (await client.get(`/api/w/${ws}/trash`)).body;
    const item = trash.find((t: { name: string }) => t.name === 'Contacts');
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await get('Contacts', ned.id)).Account).toEqual([{ id: stark.id, title: 'Stark' }]);
    expect((await get('Accounts', stark.id)).Contacts).toEqual([{ id: ned.id, title: 'Ned' }]);
  });

  it('takes the other side of links along when a sheet is deleted, and brings it back', async () => {
    const tmp = await client.post(sheets(), { name: 'Temp', fields: [{ name: 'Name', type: 'text' }, { name: 'Contact', type: 'link', options: { sheet: 'Contacts', relationship: 'many_to_one' } }] });
    expect(tmp.status).toBe(201);
    expect(await field('Contacts', 'Temp')).toBeDefined();
    const zed = await create('Contacts', { Name: 'Zed' });
    await create('Temp', { Name: 't1', Contact: [zed.id] });
    expect((await client.delete(`${sheets()}/Temp`)).status).toBe(200);
    expect(await field('Contacts', 'Temp')).toBeUndefined();
    const item = (await client.get(`/api/w/${ws}/trash`)).body.find((t: { name: string; kind: string }) => t.name === 'Temp' && t.kind === 'sheet');
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await get('Contacts', zed.id)).Temp).toEqual([{ id: expect.any(String), title: 't1' }]);
  });

  it('deletes records of a linked table physically only through PostgreSQL cascades', async () => {
    const account = await create('Accounts', { Name: 'Cascade' });
    const contact = await create('Contacts', { Name: 'Cas', Account: [account.id] });
    const table = (await field('Contacts', 'Account')).options.junction;
    const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(`ws_${ws}`, `j_${table}`)} WHERE a = ${contact.id}`.execute(server.db)).rows[0]!.n);
    expect(await count()).toBe(1);
    const accounts = (await client.get(`${sheets()}/Accounts`)).body.id;
    await sql`DELETE FROM ${sql.id(`ws_${ws}`, `s_${accounts}`)} WHERE id = ${account.id}`.execute(server.db);
    expect(await count()).toBe(0);
  });
});

describe('changing a link', () => {
  it('turns many_to_one into many_to_many and back, refusing when links break the rule', async () => {
    const res = await client.patch(`${sheets()}/Contacts/fields/Account`, { options: { relationship: 'many_to_many' } });
    expect(res.status).toBe(200);
    expect(await field('Accounts', 'Contacts')).toMatchObject({ options: { relationship: 'many_to_many' } });
    const a = await create('Accounts', { Name: 'M1' });
    const b = await create('Accounts', { Name: 'M2' });
    const both = await create('Contacts', { Name: 'Both', Account: [a.id, b.id] });
    const back = await client.patch(`${sheets()}/Contacts/fields/Account`, { options: { relationship: 'many_to_one' } });
    expect(back.status).toBe(400);
    expect(back.body.error.details.fields).toHaveProperty('Account');
    await client.patch(`${records('Contacts')}/${both.id}`, { fields: { Account: [a.id] } });
    expect((await client.patch(`${sheets()}/Contacts/fields/Account`, { options: { relationship: 'many_to_one' } })).status).toBe(200);
    expect((await client.post(records('Contacts'), { fields: { Name: 'Two', Account: [a.id, b.id] } })).status).toBe(400);
  });

  it('refuses to move a link to another sheet or to change its type', async () => {
    const move = await client.patch(`${sheets()}/Contacts/fields/Account`, { options: { sheet: 'Tags' } });
    expect(move.status).toBe(400);
    const retype = await client.patch(`${sheets()}/Contacts/fields/Account`, { type: 'text' });
    expect(retype.status).toBe(400);
    expect(retype.body.error.details.fields.Account).toMatch(/cannot become a text field/);
  });
});
