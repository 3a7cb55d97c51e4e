import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from '../helpers/files.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { clientOf, sessionCookie, startTestServer, type Client, type Response, type TestServer } from '../helpers/server.js';

let server: TestServer;
let victim: Client;
let ws: string;
let recordId: string;
let trashId: string;
let publicToken: string;
let apiToken: string;

/** The app as the browser reached it, and a page of the same host on another port (same site, another origin). */
const HOST = '127.0.0.1:4010';
const SAME_ORIGIN = { host: HOST, origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' };
const CROSS_ORIGIN = { host: HOST, origin: 'http://127.0.0.1:4011', 'sec-fetch-site': 'same-site' };

const count = async (table: 'api_tokens' | 'sessions' | 'attachments') => Number((await server.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const storedFiles = async () => readdir(path.join(server.app.ctx.dataDir, 'files', ws)).catch(() => []);

beforeAll(async () => {
  server = await startTestServer();
  ({ client: victim, workspaceId: ws } = await server.setup('victim@example.com'));
  await victim.post(`/api/w/${ws}/sheets`, { name: 'Leads', fields: [{ name: 'Name', type: 'text' }] });
  recordId = (await victim.post(`/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'Ann' } })).body.id;
  await victim.post(`/api/w/${ws}/sheets`, { name: 'Old', fields: [{ name: 'Name', type: 'text' }] });
  await victim.delete(`/api/w/${ws}/sheets/Old`);
  trashId = (await victim.get(`/api/w/${ws}/trash`)).body[0].id;
  const form = await victim.post(`/api/w/${ws}/sheets/Leads/forms`, { name: 'Web' });
  await victim.post(`/api/w/${ws}/sheets/Leads/forms/${form.body.id}/publish`, {});
  publicToken = (await victim.request('PUT', `/api/w/${ws}/sheets/Leads/forms/${form.body.id}/public`, { enabled: true })).body.public.token;
  apiToken = (await victim.post('/api/tokens', { name: 'script' })).body.token;
});
afterAll(() => server.close());

/** Requests a page of another origin can make the victim's browser send with the session cookie. */
function forgedRequests(headers: Record<string, string>): [string, () => Promise<Response>][] {
  const json = { ...headers, 'content-type': 'application/json' };
  return [
    ['JSON POST (API token)', () => victim.request('POST', '/api/tokens', JSON.stringify({ name: 'stolen' }), json)],
    ['JSON POST (sheet)', () => victim.request('POST', `/api/w/${ws}/sheets`, JSON.stringify({ name: 'Forged' }), json)],
    ['JSON PATCH (record)', () => victim.request('PATCH', `/api/w/${ws}/sheets/Leads/records/${recordId}`, JSON.stringify({ fields: { Name: 'Forged' } }), json)],
    ['multipart upload', () => upload(victim, ws, 'forged.txt', 'text/plain', 'forged', headers)],
    ['form-urlencoded POST', () => victim.request('POST', `/api/w/${ws}/sheets`, 'name=Forged', { ...headers, 'content-type': 'application/x-www-form-urlencoded' })],
    ['text/plain POST', () => victim.request('POST', '/api/tokens', '{"name": "stolen"}', { ...headers, 'content-type': 'text/plain' })],
    ['POST without a body (restore from trash)', () => victim.request('POST', `/api/w/${ws}/trash/${trashId}/restore`, undefined, headers)],
    ['DELETE (record)', () => victim.request('DELETE', `/api/w/${ws}/sheets/Leads/records/${recordId}`, undefined, headers)],
    ['DELETE (sheet)', () => victim.request('DELETE', `/api/w/${ws}/sheets/Leads`, undefined, headers)],
    ['sign out', () => victim.request('POST', '/api/auth/logout', undefined, headers)],
  ];
}

function expectCsrf(res: Response, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(403);
  expect(res.body.error.code, what).toBe('csrf');
  expect(res.body.error.message, what).toMatch(/came from another site.*nothing was changed/);
}

describe('cross-site requests with the victim cookie', () => {
  it('refuses every state-changing one, of any body type, and changes nothing', async () => {
    const before = await fingerprint(server.db);
    const tokens = await count('api_tokens');
    const sessions = await count('sessions');
    for (const [what, send] of forgedRequests(CROSS_ORIGIN)) expectCsrf(await send(), what);
    expect(await fingerprint(server.db)).toBe(before);
    expect(await count('api_tokens')).toBe(tokens);
    expect(await count('sessions')).toBe(sessions);
    expect(await storedFiles()).toEqual([]);
    expect((await victim.get('/api/me')).status).toBe(200);
  });

  it('refuses on either header alone: Origin of another site, or Sec-Fetch-Site other than same-origin or none', async () => {
    const before = await fingerprint(server.db);
    const variants: Record<string, string>[] = [
      { host: HOST, origin: 'http://127.0.0.1:4011' },
      { host: HOST, origin: 'https://127.0.0.1:4010' },
      { host: HOST, origin: 'http://evil.example' },
      { host: HOST, origin: 'null' },
      { host: HOST, origin: 'garbage' },
      { host: HOST, 'sec-fetch-site': 'cross-site' },
      { host: HOST, 'sec-fetch-site': 'same-site' },
      { host: HOST, origin: `http://${HOST}`, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of variants) {
      const res = await victim.request('POST', `/api/w/${ws}/sheets`, JSON.stringify({ name: 'Forged' }), { ...headers, 'content-type': 'application/json' });
      expectCsrf(res, JSON.stringify(headers));
    }
    expect(await fingerprint(server.db)).toBe(before);
  });

  it('lets reads through: only state-changing methods are checked', async () => {
    const res = await victim.request('GET', `/api/w/${ws}/sheets/Leads/records`, undefined, CROSS_ORIGIN);
    expect(res.status).toBe(200);
  });
});

describe('without a session', () => {
  it('refuses cross-site sign-in (login CSRF), setup and public form submissions', async () => {
    const before = await fingerprint(server.db);
    const sessions = await count('sessions');
    const json = { ...CROSS_ORIGIN, 'content-type': 'application/json' };
    const login = await server.anonymous.request('POST', '/api/auth/login', JSON.stringify({ email: 'victim@example.com', password: 'correct horse' }), json);
    expectCsrf(login, 'login');
    expect(login.headers['set-cookie']).toBeUndefined();
    expectCsrf(await server.anonymous.request('POST', '/api/setup', JSON.stringify({ email: 'a@example.com', password: 'long enough' }), json), 'setup');
    expectCsrf(await server.anonymous.request('POST', `/api/public/forms/${publicToken}`, JSON.stringify({ fields: { Name: 'Spam' } }), json), 'public form');
    expect(await fingerprint(server.db)).toBe(before);
    expect(await count('sessions')).toBe(sessions);
  });

  it('accepts them from our own origin (the public form page is served at /f/<token>)', async () => {
    const json = { ...SAME_ORIGIN, 'content-type': 'application/json' };
    const login = await server.anonymous.request('POST', '/api/auth/login', JSON.stringify({ email: 'victim@example.com', password: 'correct horse' }), json);
    expect(login.status).toBe(200);
    expect(sessionCookie(login.headers)).toMatch(/^crm_session=/);
    expect((await server.anonymous.request('POST', `/api/public/forms/${publicToken}`, JSON.stringify({ fields: { Name: 'Lead' } }), json)).status).toBe(201);
  });
});

describe('requests that are not cross-site', () => {
  it('accepts the same requests from our own origin, from a typed URL (Sec-Fetch-Site none) and with neither header', async () => {
    const origins: Record<string, string>[] = [SAME_ORIGIN, { host: HOST, origin: `http://${HOST}` }, { host: HOST, 'sec-fetch-site': 'none' }, { host: '127.0.0.1:80', origin: 'http://127.0.0.1' }, {}];
    for (const headers of origins) {
      const json = { ...headers, 'content-type': 'application/json' };
      const sheet = await victim.request('POST', `/api/w/${ws}/sheets`, JSON.stringify({ name: `Own ${JSON.stringify(headers)}` }), json);
      expect(sheet.status, JSON.stringify(headers)).toBe(201);
      expect((await upload(victim, ws, 'own.txt', 'text/plain', 'mine', headers)).status).toBe(201);
      expect((await victim.request('DELETE', `/api/w/${ws}/sheets/${sheet.body.id}`, undefined, headers)).status).toBe(200);
    }
  });

  it('accepts Authorization: Bearer whatever the browser headers say: no cookie is involved', async () => {
    const bearer = clientOf(server.app);
    const headers = { ...CROSS_ORIGIN, authorization: `Bearer ${apiToken}` };
    const sheet = await bearer.request('POST', `/api/w/${ws}/sheets`, JSON.stringify({ name: 'By token' }), { ...headers, 'content-type': 'application/json' });
    expect(sheet.status).toBe(201);
    expect((await upload(bearer, ws, 'token.txt', 'text/plain', 'by token', headers)).status).toBe(201);
    expect((await bearer.request('DELETE', `/api/w/${ws}/sheets/${sheet.body.id}`, undefined, headers)).status).toBe(200);
  });

  it('behind TRUST_PROXY, compares with the origin the proxy forwards (scheme and host)', async () => {
    const proxied = await startTestServer({ trustProxy: true });
    const plain = await startTestServer({ trustProxy: false });
    try {
      const forwarded = { host: '10.0.0.5:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example.com', 'content-type': 'application/json' };
      const body = JSON.stringify({ email: 'owner@example.com', password: 'correct horse' });
      const send = (s: TestServer, origin: string) => s.anonymous.request('POST', '/api/auth/login', body, { ...forwarded, origin, 'sec-fetch-site': 'same-origin' });
      await proxied.setup();
      await plain.setup();
      expect((await send(proxied, 'https://crm.example.com')).status).toBe(200);
      expectCsrf(await send(proxied, 'http://crm.example.com'), 'http behind an https proxy');
      expectCsrf(await send(proxied, 'https://10.0.0.5:3000'), 'the internal address');
      // Without TRUST_PROXY the forwarded headers are anybody's: the Host the request reached us with decides.
      expectCsrf(await send(plain, 'https://crm.example.com'), 'forwarded headers not trusted');
      expect((await send(plain, 'http://10.0.0.5:3000')).status).toBe(200);
    } finally {
      await proxied.close();
      await plain.close();
    }
  });
});
