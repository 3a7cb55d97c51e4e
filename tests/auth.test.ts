import { joinWorkspace } from './helpers/members.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/auth/passwords.js';
import { newId } from '../schema-engine/index.js';
import { clientOf, startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let owner: Client;
let workspaceId: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('first-run setup', () => {
  it('refuses workspace routes before anyone signs in', async () => {
    expect((await server.anonymous.get('/api/me')).status).toBe(401);
    expect((await server.anonymous.get('/api/workspaces')).status).toBe(401);
  });

  it('creates the owner and a first workspace, signed in', async () => {
    const res = await server.anonymous.post('/api/setup', { email: 'Owner@Example.com', password: 'correct horse', name: 'Olivia' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'Olivia', email: 'owner@example.com' });
    expect(res.body.workspace.id).toMatch(/^wsp/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    owner = clientOf(server.app, cookie.split(';')[0]);
    workspaceId = res.body.workspace.id;
    const me = await owner.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('owner@example.com');
    expect(me.body.workspaces).toEqual([expect.objectContaining({ id: workspaceId, name: 'My workspace' })]);
  });

  it('answers 409 once the installation is set up', async () => {
    const res = await server.anonymous.post('/api/setup', { email: 'other@example.com', password: 'correct horse' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('stores a scrypt hash, never the password', async () => {
    const row = await server.db.selectFrom('users').select('password_hash').where('email', '=', 'owner@example.com').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  it('checks the setup input and names the bad field', async () => {
    const res = await server.anonymous.post('/api/setup', { email: 'not-an-email', password: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toHaveProperty('email');
  });
});

describe('login and logout', () => {
  it('signs in with the right password and refuses a wrong one', async () => {
    expect((await server.anonymous.post('/api/auth/login', { email: 'owner@example.com', password: 'wrong one' })).status).toBe(401);
    expect((await server.anonymous.post('/api/auth/login', { email: 'nobody@example.com', password: 'correct horse' })).status).toBe(401);
    const client = await server.signIn('OWNER@example.com', 'correct horse');
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('logs out: the session cookie stops working', async () => {
    const client = await server.signIn('owner@example.com', 'correct horse');
    expect((await client.post('/api/auth/logout')).status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(401);
  });
});

describe('behind a reverse proxy', () => {
  it('marks the session cookie Secure when the proxy says the request came over https, and only when trusted', async () => {
    const login = (client: TestServer) =>
      client.anonymous.request('POST', '/api/auth/login', { email: 'owner@example.com', password: 'correct horse' }, { 'x-forwarded-proto': 'https' });
    expect(String((await login(server)).headers['set-cookie'])).not.toContain('Secure');
    const proxied = await startTestServer({ trustProxy: true });
    try {
      await proxied.setup();
      expect(String((await login(proxied)).headers['set-cookie'])).toContain('Secure');
    } finally {
      await proxied.close();
    }
  });
});

describe('API tokens', () => {
  it('creates a token shown once, usable as a Bearer token, stored only as a hash', async () => {
    const res = await owner.post('/api/tokens', { name: 'Zapier' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Zapier', id: expect.stringMatching(/^tok/) });
    const token: string = res.body.token;
    const me = await server.anonymous.request('GET', '/api/me', undefined, { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('owner@example.com');
    const stored = await server.db.selectFrom('api_tokens').select('token_hash').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(token);
    const bad = await server.anonymous.request('GET', '/api/me', undefined, { authorization: 'Bearer crm_nope' });
    expect(bad.status).toBe(401);
  });
});

describe('workspaces and membership', () => {
  it('creates and lists workspaces', async () => {
    const res = await owner.post('/api/workspaces', { name: '業務部 Sales' });
    expect(res.status).toBe(201);
    const list = await owner.get('/api/workspaces');
    expect(list.body.map((w: { name: string }) => w.name)).toEqual(['My workspace', '業務部 Sales']);
  });

  it('keeps non-members out of a workspace', async () => {
    const id = newId('usr');
    await server.db.insertInto('users').values({ id, email: 'stranger@example.com', name: 'Stranger', password_hash: await hashPassword('stranger pass') }).execute();
    const stranger = await server.signIn('stranger@example.com', 'stranger pass');
    const res = await stranger.get(`/api/w/${workspaceId}/sheets`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await stranger.post(`/api/w/${workspaceId}/sheets`, { name: 'Hack' })).status).toBe(403);
    expect((await server.anonymous.get(`/api/w/${workspaceId}/sheets`)).status).toBe(401);
  });

  it('lets a viewer read but not write or change the schema', async () => {
    const id = newId('usr');
    await server.db.insertInto('users').values({ id, email: 'viewer@example.com', name: 'Viewer', password_hash: await hashPassword('viewer pass') }).execute();
    await joinWorkspace(server.db, workspaceId, id, 'viewer');
    const viewer = await server.signIn('viewer@example.com', 'viewer pass');
    expect((await viewer.get(`/api/w/${workspaceId}/sheets`)).status).toBe(200);
    expect((await viewer.post(`/api/w/${workspaceId}/sheets`, { name: 'Nope' })).status).toBe(403);
  });
});

describe('health and OpenAPI', () => {
  it('answers health and serves its OpenAPI document', async () => {
    const health = await server.anonymous.get('/api/health');
    expect(health.body).toEqual({ ok: true });
    expect(health.headers['content-security-policy']).toContain("default-src 'self'");
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    const doc = await server.anonymous.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/w/{ws}/sheets/{sheet}/records');
  });
});
