import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let formId: string;
let acme: string;
let shop: string;
const forms = (path = '') => `/api/w/${ws}/sheets/Leads/forms${path}`;
const el = (id: string, ref: string, extra: Record<string, unknown> = {}) => ({ kind: 'field', id, field: ref, ...extra });
const layout = {
  tabs: [
    {
      id: 't',
      title: 'Contact us',
      sections: [
        {
          id: 's',
          rows: [
            { id: 'r1', columns: [{ id: 'c1', elements: [el('name', 'Name', { required: true }), el('email', 'Email')] }] },
            { id: 'r2', columns: [{ id: 'c2', elements: [el('status', 'Status'), el('why', 'Why lost', { visibleWhen: { '==': [{ var: 'Status' }, 'Lost'] } })] }] },
            { id: 'r3', columns: [{ id: 'c3', elements: [el('source', 'Source', { hidden: true, defaultValue: 'Website' }), el('account', 'Account'), el('owner', 'Owner')] }] },
          ],
        },
      ],
    },
  ],
};

const leads = async () => (await client.get(`/api/w/${ws}/sheets/Leads/records?sort=Name`)).body.records as { fields: Record<string, unknown>; id: string }[];
const publicPath = (token: string) => `/api/public/forms/${token}`;

beforeAll(async () => {
  server = await startTestServer({ publicFormRateLimit: 1000 });
  ({ client, workspaceId: ws } = await server.setup('owner@example.com'));
  await client.post(`/api/w/${ws}/sheets`, { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] });
  const accounts = await client.post(`/api/w/${ws}/sheets/Accounts/records`, { records: [{ fields: { Name: 'Acme' } }, { fields: { Name: 'Shop' } }] });
  [acme, shop] = accounts.body.records.map((r: { id: string }) => r.id);
  await client.post(`/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Email', type: 'email' },
      { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Lost' }] } },
      { name: 'Why lost', type: 'text' },
      { name: 'Source', type: 'text' },
      { name: 'Internal notes', type: 'long_text' },
    ],
  });
  await client.post(`/api/w/${ws}/sheets/Leads/fields`, { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
  await client.post(`/api/w/${ws}/sheets/Leads/fields`, { name: 'Owner', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
  await client.post(`/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'Existing', 'Internal notes': 'confidential' } });
  formId = (await client.post(forms(), { name: 'Web to lead', layout })).body.id;
});
afterAll(() => server.close());

describe('public forms', () => {
  let token: string;

  it('is not reachable until published and enabled', async () => {
    const settings = await client.request('PUT', forms(`/${formId}/public`), { enabled: true, thankYou: 'Thanks!', allowedLinks: { Account: [acme] } });
    expect(settings.status).toBe(200);
    token = settings.body.public.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(settings.body.public).toMatchObject({ enabled: true, hasPassword: false, thankYou: 'Thanks!', allowedLinks: { [settings.body.draft.tabs[0].sections[0].rows[2].columns[0].elements[1].field]: [acme] } });
    // Not published yet.
    expect((await server.anonymous.get(publicPath(token))).status).toBe(404);
    expect((await client.post(forms(`/${formId}/publish`), {})).status).toBe(200);
    expect((await server.anonymous.get(publicPath('nope'))).status).toBe(404);
  });

  it('shows anonymous visitors the form, only its own fields, and only the allowed link records', async () => {
    const res = await server.anonymous.get(publicPath(token));
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Web to lead');
    expect(res.body.fields.map((x: { name: string }) => x.name).sort()).toEqual(['Account', 'Email', 'Name', 'Source', 'Status', 'Why lost']);
    expect(Object.values(res.body.links)).toEqual([[{ id: acme, title: 'Acme' }]]);
    // Owner (a link without an allowed list) is left off the public layout.
    expect(JSON.stringify(res.body.layout)).not.toContain('"owner"');
    expect(JSON.stringify(res.body)).not.toContain('confidential');
  });

  it('creates one record as the Public form user, with hidden defaults and conditions enforced', async () => {
    const res = await server.anonymous.post(publicPath(token), { fields: { Name: 'Ann', Email: 'ann@example.com', Status: 'New', 'Why lost': 'sneaky', Account: [acme] } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ thankYou: 'Thanks!', redirectUrl: null });
    const ann = (await leads()).find((r) => r.fields.Name === 'Ann')!;
    expect(ann.fields).toMatchObject({ Email: 'ann@example.com', Source: 'Website', Account: [{ id: acme, title: 'Acme' }] });
    expect(ann.fields['Why lost']).toBeUndefined();
    const history = await client.get(`/api/w/${ws}/sheets/Leads/records/${ann.id}/history`);
    expect(history.body[0].by).toMatchObject({ name: 'Public form' });
    // That user exists only to sign records: nobody can sign in as it.
    for (const password of ['!', '', 'public']) expect((await server.anonymous.post('/api/auth/login', { email: 'public-form@system.invalid', password })).status).not.toBe(200);
  });

  it('refuses what the public may not write, naming the field, and stores nothing', async () => {
    const before = (await leads()).length;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ Name: 'x', 'Internal notes': 'hi' }, 'Internal notes', /not on the form/],
      [{ Name: 'x', Account: [shop] }, 'Account', /only pick the records this form offers/],
      [{ Name: 'x', Owner: [shop] }, 'Owner', /not on the form/],
      [{ Name: 'x', Account: [{ fields: { Name: 'New co' } }] }, 'Account', /only pick/],
      [{ Email: 'a@b.co' }, 'Name', /is required/],
      [{ Name: 'x', Email: 'not an email' }, 'Email', /email/],
    ];
    for (const [fields, name, message] of cases) {
      const res = await server.anonymous.post(publicPath(token), { fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error.details.fields[name]).toMatch(message);
    }
    expect((await leads()).length).toBe(before);
  });

  it('thanks a bot that fills the honeypot and stores nothing', async () => {
    const before = (await leads()).length;
    const res = await server.anonymous.post(publicPath(token), { fields: { Name: 'Bot' }, website: 'http://spam.example' });
    expect(res.status).toBe(201);
    expect((await leads()).length).toBe(before);
  });

  it('asks for the password when one is set, and closes at its closing date', async () => {
    await client.request('PUT', forms(`/${formId}/public`), { enabled: true, password: 'open sesame' });
    expect((await server.anonymous.get(publicPath(token))).body.error.code).toBe('password_required');
    expect((await server.anonymous.request('GET', publicPath(token), undefined, { 'x-form-password': 'wrong' })).status).toBe(401);
    expect((await server.anonymous.request('GET', publicPath(token), undefined, { 'x-form-password': 'open sesame' })).status).toBe(200);
    expect((await server.anonymous.post(publicPath(token), { fields: { Name: 'NoPass' } })).status).toBe(401);
    expect((await server.anonymous.post(publicPath(token), { fields: { Name: 'WithPass' }, password: 'open sesame' })).status).toBe(201);
    const closed = await client.request('PUT', forms(`/${formId}/public`), { enabled: true, password: null, closesAt: '2020-01-01T00:00:00Z' });
    expect(closed.body.public).toMatchObject({ hasPassword: false, closesAt: '2020-01-01T00:00:00.000Z', thankYou: 'Thanks!' });
    const res = await server.anonymous.get(publicPath(token));
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual({ closed: true });
    await client.request('PUT', forms(`/${formId}/public`), { enabled: false, closesAt: null });
    expect((await server.anonymous.get(publicPath(token))).status).toBe(404);
  });

  it('refuses bad settings naming them', async () => {
    const res = await client.request('PUT', forms(`/${formId}/public`), { enabled: true, allowedLinks: { Account: ['999999'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ 'allowedLinks.Account': '"Accounts" has no record 999999' });
    const notLink = await client.request('PUT', forms(`/${formId}/public`), { enabled: true, allowedLinks: { Name: [acme] } });
    expect(notLink.body.error.details.fields['allowedLinks.Name']).toMatch(/no link field/);
    expect((await client.request('PUT', forms(`/${formId}/public`), { enabled: true, redirectUrl: 'javascript:alert(1)' })).status).toBe(400);
  });
});

describe('public form links', () => {
  it('titles the records a link may pick as the app shows them: the primary field formatted', async () => {
    await client.post(`/api/w/${ws}/sheets`, { name: 'Plans', fields: [{ name: 'Price', type: 'currency', options: { currency: 'USD', precision: 2 } }] });
    const plan = (await client.post(`/api/w/${ws}/sheets/Plans/records`, { fields: { Price: 1200 } })).body.id;
    await client.post(`/api/w/${ws}/sheets/Leads/fields`, { name: 'Plan', type: 'link', options: { sheet: 'Plans', relationship: 'many_to_one' } });
    const planLayout = { tabs: [{ id: 't', title: 'Plan', sections: [{ id: 's', rows: [{ id: 'r', columns: [{ id: 'c', elements: [el('name', 'Name'), el('plan', 'Plan')] }] }] }] }] };
    const form = (await client.post(forms(), { name: 'Pick a plan', layout: planLayout })).body;
    await client.post(forms(`/${form.id}/publish`), {});
    const { token } = (await client.request('PUT', forms(`/${form.id}/public`), { enabled: true, allowedLinks: { Plan: [plan] } })).body.public;
    const res = await server.anonymous.get(publicPath(token));
    expect(Object.values(res.body.links)).toEqual([[{ id: plan, title: '$1,200.00' }]]);
  });
});

describe('public form rate limit', () => {
  it('answers 429 once an address submits too often', async () => {
    const limited = await startTestServer({ publicFormRateLimit: 3 });
    try {
      const { client: owner, workspaceId } = await limited.setup();
      await owner.post(`/api/w/${workspaceId}/sheets`, { name: 'Leads', fields: [{ name: 'Name', type: 'text' }] });
      const form = (await owner.post(`/api/w/${workspaceId}/sheets/Leads/forms`, { name: 'F' })).body;
      await owner.post(`/api/w/${workspaceId}/sheets/Leads/forms/${form.id}/publish`, {});
      const { token } = (await owner.request('PUT', `/api/w/${workspaceId}/sheets/Leads/forms/${form.id}/public`, { enabled: true })).body.public;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.anonymous.post(publicPath(token), { fields: { Name: `n${i}` } })).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});
