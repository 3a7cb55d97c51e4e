import { joinWorkspace } from './helpers/members.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrations, migrateToLatest } from '../migrations/index.js';
import { createEngine, newId, type Database, type Engine } from '../schema-engine/index.js';
import { buildApp, IDENTITY_TTL_MS } from '../server/app.js';
import { IdentityCache } from '../server/auth/identity-cache.js';
import { hashPassword } from '../server/auth/passwords.js';
import { listenForRevocations } from '../server/auth/revocation.js';
import { NotificationListener } from '../server/notification-listener.js';
import { newToken, tokenHash } from '../server/auth/tokens.js';
import { listenForCatalogChanges } from '../server/catalog-listener.js';
import { createDb, createPool } from '../server/database.js';
import { fingerprint } from './helpers/fingerprint.js';
import { adminQuery, withDatabase } from './helpers/postgres.js';
import { clientOf, sessionCookie, startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let owner: Client;
let workspaceId: string;
let ownerId: string;

const AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId, userId: ownerId } = await server.setup('owner@example.com'));
});
afterAll(() => server.close());

async function addUser(email: string, password: string, role?: 'viewer' | 'editor'): Promise<string> {
  const id = newId('usr');
  await server.db.insertInto('users').values({ id, email, name: email.split('@')[0]!, password_hash: await hashPassword(password) }).execute();
  if (role) await joinWorkspace(server.db, workspaceId, id, role);
  return id;
}

/** Signs in with a browser's User-Agent and answers the client and its raw cookie. */
async function signIn(app: FastifyInstance, email: string, password: string): Promise<{ client: Client; cookie: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers: { 'user-agent': AGENT } });
  expect(res.statusCode).toBe(200);
  const cookie = sessionCookie(res.headers);
  return { client: clientOf(app, cookie), cookie };
}

/** A request with `Authorization: Bearer <token>` and no cookie. */
function withToken(app: FastifyInstance, token: string, method: 'GET' | 'POST' | 'DELETE' = 'GET', url = '/api/me', body?: unknown) {
  return clientOf(app).request(method, url, body, { authorization: `Bearer ${token}` });
}

describe('changing the password', () => {
  const email = 'pat@example.com';
  beforeAll(() => addUser(email, 'first password'));

  it('needs a signed-in session: 401 anonymous, 403 with an API token', async () => {
    expect((await server.anonymous.post('/api/auth/password', { current: 'first password', password: 'second password' })).status).toBe(401);
    const { client } = await signIn(server.app, email, 'first password');
    const token = (await client.post('/api/tokens', { name: 'script' })).body.token as string;
    const res = await withToken(server.app, token, 'POST', '/api/auth/password', { current: 'first password', password: 'second password' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/session/);
  });

  it('refuses a wrong current password naming `current`, and a too short new one naming `password`, changing nothing', async () => {
    const { client } = await signIn(server.app, email, 'first password');
    const before = await fingerprint(server.db);
    const hashBefore = (await server.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
    const wrong = await client.post('/api/auth/password', { current: 'not it at all', password: 'second password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields).toEqual({ current: 'is not your current password' });
    const short = await client.post('/api/auth/password', { current: 'first password', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.details.fields.password).toMatch(/at least 8/);
    const missing = await client.post('/api/auth/password', { password: 'second password' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields).toHaveProperty('current');
    const extra = await client.post('/api/auth/password', { current: 'first password', password: 'second password', admin: true });
    expect(extra.status).toBe(400);
    expect(await fingerprint(server.db)).toBe(before);
    const hashAfter = (await server.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
    expect(hashAfter).toBe(hashBefore);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('changes it, ends every other session of the user at once and keeps this one and the API tokens', async () => {
    const here = await signIn(server.app, email, 'first password');
    const laptop = await signIn(server.app, email, 'first password');
    const phone = await signIn(server.app, email, 'first password');
    const token = (await here.client.post('/api/tokens', { name: 'kept' })).body.token as string;
    // Each is cached now: ending them must not wait for the cache.
    for (const c of [here.client, laptop.client, phone.client]) expect((await c.get('/api/me')).status).toBe(200);
    const others = await owner.get('/api/auth/sessions');
    const res = await here.client.post('/api/auth/password', { current: 'first password', password: 'second password' });
    expect(res.status).toBe(200);
    expect(res.body.endedSessions).toBeGreaterThanOrEqual(2);
    expect((await laptop.client.get('/api/me')).status).toBe(401);
    expect((await phone.client.get('/api/me')).status).toBe(401);
    expect((await here.client.get('/api/me')).status).toBe(200);
    expect((await here.client.get('/api/auth/sessions')).body).toHaveLength(1);
    expect((await withToken(server.app, token)).status).toBe(200);
    // Another user's sessions are untouched.
    expect((await owner.get('/api/auth/sessions')).body).toEqual(others.body);
    expect((await server.anonymous.post('/api/auth/login', { email, password: 'first password' })).status).toBe(401);
    expect((await server.anonymous.post('/api/auth/login', { email, password: 'second password' })).status).toBe(200);
  });
});

describe('sessions', () => {
  const email = 'sam@example.com';
  beforeAll(() => addUser(email, 'sams password'));

  it('lists the user’s sessions with this one marked, ids that are neither the cookie nor its hash and grant nothing', async () => {
    const a = await signIn(server.app, email, 'sams password');
    const b = await signIn(server.app, email, 'sams password');
    const res = await a.client.get('/api/auth/sessions');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    const current = res.body.find((s: { current: boolean }) => s.current);
    expect(res.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(current).toEqual({ id: expect.stringMatching(/^ses[a-z0-9]{12}$/), createdAt: expect.any(String), lastSeenAt: expect.any(String), userAgent: AGENT, current: true });
    const cookies = [a.cookie, b.cookie].map((c) => c.split('=')[1]!);
    const hashes = (await server.db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    for (const s of res.body as { id: string }[]) {
      expect(cookies).not.toContain(s.id);
      expect(hashes).not.toContain(s.id);
      expect(hashes).not.toContain(tokenHash(s.id));
      expect((await clientOf(server.app, `crm_session=${s.id}`).get('/api/me')).status).toBe(401);
      expect((await withToken(server.app, s.id)).status).toBe(401);
    }
    // From the other session, the other one is current.
    const fromB = await b.client.get('/api/auth/sessions');
    expect(fromB.body.find((s: { current: boolean }) => s.current).id).not.toBe(current.id);
  });

  it('ends another session at once, even one cached a moment ago', async () => {
    const a = await signIn(server.app, email, 'sams password');
    const b = await signIn(server.app, email, 'sams password');
    expect((await b.client.get('/api/me')).status).toBe(200);
    const bId = (await b.client.get('/api/auth/sessions')).body.find((s: { current: boolean }) => s.current).id;
    const res = await a.client.delete(`/api/auth/sessions/${bId}`);
    expect(res.status).toBe(204);
    expect((await b.client.get('/api/me')).status).toBe(401);
    expect((await a.client.get('/api/me')).status).toBe(200);
    expect((await a.client.get('/api/auth/sessions')).body.map((s: { id: string }) => s.id)).not.toContain(bId);
  });

  it('answers 404 for an unknown session and for another user’s, which keeps working', async () => {
    const { client } = await signIn(server.app, email, 'sams password');
    const ownerSession = (await owner.get('/api/auth/sessions')).body[0].id as string;
    const before = await fingerprint(server.db);
    for (const id of ['sesunknown00000', ownerSession, 'x'.repeat(100), "'; DROP TABLE sessions; --"]) {
      const res = await client.delete(`/api/auth/sessions/${encodeURIComponent(id)}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await client.delete(`/api/auth/sessions/${'y'.repeat(101)}`)).status).toBe(400);
    expect(await fingerprint(server.db)).toBe(before);
    expect((await owner.get('/api/me')).status).toBe(200);
    expect((await owner.get('/api/auth/sessions')).body.map((s: { id: string }) => s.id)).toContain(ownerSession);
  });

  it('ending the current session signs this browser out and clears its cookie', async () => {
    const { client } = await signIn(server.app, email, 'sams password');
    const id = (await client.get('/api/auth/sessions')).body.find((s: { current: boolean }) => s.current).id;
    const res = await client.delete(`/api/auth/sessions/${id}`);
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/crm_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('signs out everywhere: every session of the user ends, other users’ stay', async () => {
    const sessions = [await signIn(server.app, email, 'sams password'), await signIn(server.app, email, 'sams password'), await signIn(server.app, email, 'sams password')];
    for (const s of sessions) expect((await s.client.get('/api/me')).status).toBe(200);
    const res = await sessions[0]!.client.delete('/api/auth/sessions');
    expect(res.status).toBe(204);
    for (const s of sessions) expect((await s.client.get('/api/me')).status).toBe(401);
    const left = await server.db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').select('s.id').where('u.email', '=', email).execute();
    expect(left).toEqual([]);
    expect((await owner.get('/api/me')).status).toBe(200);
  });

  it('needs a session: an API token cannot list or end sessions', async () => {
    const token = (await owner.post('/api/tokens', { name: 'no sessions' })).body.token as string;
    expect((await withToken(server.app, token, 'GET', '/api/auth/sessions')).status).toBe(403);
    expect((await withToken(server.app, token, 'DELETE', '/api/auth/sessions')).status).toBe(403);
    expect((await owner.get('/api/me')).status).toBe(200);
    expect((await server.anonymous.get('/api/auth/sessions')).status).toBe(401);
  });
});

describe('API tokens', () => {
  const email = 'tia@example.com';
  let tia: Client;
  beforeAll(async () => {
    await addUser(email, 'tias password', 'viewer');
    tia = (await signIn(server.app, email, 'tias password')).client;
  });

  it('creates a token shown once, lists it without the secret, and refuses bad input naming the field', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await tia.post('/api/tokens', { name: ' CI deploy ', expiresAt });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^tok/), name: 'CI deploy', token: expect.stringMatching(/^crm_/), createdAt: expect.any(String), lastUsedAt: null, expiresAt });
    const list = await tia.get('/api/tokens');
    expect(list.body).toEqual([{ id: res.body.id, name: 'CI deploy', createdAt: res.body.createdAt, lastUsedAt: null, expiresAt }]);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect((await withToken(server.app, res.body.token)).body.user.email).toBe(email);

    const before = await fingerprint(server.db);
    const count = async () => (await server.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const tokensBefore = await count();
    const cases: [unknown, string][] = [
      [{ name: 'old', expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'expiresAt'],
      [{ name: 'now', expiresAt: new Date().toISOString() }, 'expiresAt'],
      [{ name: 'bad date', expiresAt: 'next tuesday' }, 'expiresAt'],
      [{ name: 'day only', expiresAt: '2099-13-01T00:00:00Z' }, 'expiresAt'],
      [{ name: 'number', expiresAt: 4102444800000 }, 'expiresAt'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{}, 'name'],
    ];
    for (const [body, field] of cases) {
      const bad = await tia.post('/api/tokens', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.details.fields, JSON.stringify(body)).toHaveProperty(field);
    }
    expect((await tia.post('/api/tokens', { name: 'extra', userId: ownerId })).status).toBe(400);
    expect(await count()).toBe(tokensBefore);
    expect(await fingerprint(server.db)).toBe(before);
  });

  it('creates a token that never expires when expiresAt is left out or null', async () => {
    const res = await tia.post('/api/tokens', { name: 'forever', expiresAt: null });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBeNull();
  });

  it('stops an expired token, even one cached a moment before it expired', async () => {
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    const res = await tia.post('/api/tokens', { name: 'short lived', expiresAt });
    expect(res.status).toBe(201);
    expect((await withToken(server.app, res.body.token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 50));
    const after = await withToken(server.app, res.body.token);
    expect(after.status).toBe(401);
    // Still listed (so its owner sees it expired and can delete it).
    expect((await tia.get('/api/tokens')).body.find((t: { id: string }) => t.id === res.body.id).expiresAt).toBe(expiresAt);
  });

  it('revokes a token at once, even one cached a moment ago', async () => {
    const res = await tia.post('/api/tokens', { name: 'revoke me' });
    expect((await withToken(server.app, res.body.token)).status).toBe(200);
    expect((await tia.delete(`/api/tokens/${res.body.id}`)).status).toBe(204);
    expect((await withToken(server.app, res.body.token)).status).toBe(401);
    expect((await tia.get('/api/tokens')).body.map((t: { id: string }) => t.id)).not.toContain(res.body.id);
    expect((await tia.delete(`/api/tokens/${res.body.id}`)).status).toBe(404);
  });

  it('answers 404 for unknown tokens and other users’ tokens, which keep working and stay unlisted for others', async () => {
    const ownersToken = await owner.post('/api/tokens', { name: 'owner only' });
    const before = await fingerprint(server.db);
    for (const id of [ownersToken.body.id, 'tokunknown00000', '%00', 'tok' + 'a'.repeat(90)]) {
      const res = await tia.delete(`/api/tokens/${encodeURIComponent(id)}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect(await fingerprint(server.db)).toBe(before);
    expect((await withToken(server.app, ownersToken.body.token)).status).toBe(200);
    expect((await tia.get('/api/tokens')).body.map((t: { id: string }) => t.id)).not.toContain(ownersToken.body.id);
  });

  it('acts with its user’s access, never more: a viewer’s token reads but cannot write, nor manage tokens', async () => {
    const { body } = await tia.post('/api/tokens', { name: 'viewer script' });
    expect((await withToken(server.app, body.token, 'GET', `/api/w/${workspaceId}/sheets`)).status).toBe(200);
    const before = await fingerprint(server.db);
    expect((await withToken(server.app, body.token, 'POST', `/api/w/${workspaceId}/sheets`, { name: 'Nope' })).status).toBe(403);
    expect((await withToken(server.app, body.token, 'POST', '/api/tokens', { name: 'child' })).status).toBe(403);
    expect((await withToken(server.app, body.token, 'GET', '/api/tokens')).status).toBe(403);
    expect((await withToken(server.app, body.token, 'DELETE', `/api/tokens/${body.id}`)).status).toBe(403);
    expect(await fingerprint(server.db)).toBe(before);
    expect((await withToken(server.app, body.token)).status).toBe(200);
  });
});

describe('last use', () => {
  it('writes lastSeenAt and lastUsedAt at most once a minute, not on every request', async () => {
    const email = 'lu@example.com';
    await addUser(email, 'lus password');
    const { client } = await signIn(server.app, email, 'lus password');
    const { body: created } = await client.post('/api/tokens', { name: 'used' });
    const read = async () => {
      const session = (await client.get('/api/auth/sessions')).body[0].lastSeenAt as string;
      const token = (await client.get('/api/tokens')).body[0].lastUsedAt as string | null;
      return { session, token };
    };
    // First use of the token writes lastUsedAt; the session was just created (lastSeenAt = its start).
    await withToken(server.app, created.token);
    const first = await read();
    expect(first.token).not.toBeNull();
    for (let i = 0; i < 5; i++) {
      await client.get('/api/me');
      await withToken(server.app, created.token);
    }
    expect(await read()).toEqual(first);

    // A minute later (set back in the database, cache dropped as after its 10 s), the next use writes it once.
    const old = new Date(Date.now() - 90_000);
    await server.db.updateTable('sessions').set({ last_seen_at: old }).where('public_id', '=', (await client.get('/api/auth/sessions')).body[0].id).execute();
    await server.db.updateTable('api_tokens').set({ last_used_at: old }).where('id', '=', created.id).execute();
    server.app.ctx.identities.clear();
    await client.get('/api/me');
    await withToken(server.app, created.token);
    const second = await read();
    expect(Date.parse(second.session)).toBeGreaterThan(Date.now() - 10_000);
    expect(Date.parse(second.token!)).toBeGreaterThan(Date.now() - 10_000);
    await client.get('/api/me');
    await withToken(server.app, created.token);
    expect(await read()).toEqual(second);
  });
});

describe('revocation on another server sharing the database', () => {
  let app2: FastifyInstance;
  let engine2: Engine;
  let db2: Kysely<Database>;
  let listener: NotificationListener;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-files-'));
    db2 = createDb(createPool(server.databaseUrl, 4));
    engine2 = createEngine(db2, () => {});
    app2 = await buildApp({ engine: engine2, dataDir, logLevel: 'silent', clientDir: '/nonexistent' });
    listener = new NotificationListener(server.databaseUrl);
    await listenForCatalogChanges(listener, engine2);
    await listenForRevocations(listener, app2.ctx);
    await listener.start();
  });
  afterAll(async () => {
    await app2.close();
    await listener.close();
    await db2.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the other server caches identities (a row deleted behind its back still answers), so the notice is what ends them', async () => {
    const { body } = await owner.post('/api/tokens', { name: 'cached elsewhere' });
    expect((await withToken(app2, body.token)).status).toBe(200);
    await server.db.deleteFrom('api_tokens').where('id', '=', body.id).execute();
    expect((await withToken(app2, body.token)).status).toBe(200);
    expect(IDENTITY_TTL_MS).toBeGreaterThanOrEqual(5_000);
  });

  it('drops a token revoked on the first server well before its cache would expire', async () => {
    const { body } = await owner.post('/api/tokens', { name: 'revoked elsewhere' });
    expect((await withToken(app2, body.token)).status).toBe(200);
    const revokedAt = Date.now();
    expect((await owner.delete(`/api/tokens/${body.id}`)).status).toBe(204);
    await expect.poll(async () => (await withToken(app2, body.token)).status, { timeout: 3_000, interval: 20 }).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(IDENTITY_TTL_MS / 2);
  });

  it('drops sessions ended on the first server (sign out everywhere) and after a password change', async () => {
    const email = 'multi@example.com';
    await addUser(email, 'multi password');
    const there = await signIn(app2, email, 'multi password');
    const here = await signIn(server.app, email, 'multi password');
    expect((await there.client.get('/api/me')).status).toBe(200);
    expect((await here.client.post('/api/auth/password', { current: 'multi password', password: 'multi password 2' })).status).toBe(200);
    await expect.poll(async () => (await there.client.get('/api/me')).status, { timeout: 3_000, interval: 20 }).toBe(401);

    const again = await signIn(app2, email, 'multi password 2');
    expect((await again.client.get('/api/me')).status).toBe(200);
    expect((await here.client.delete('/api/auth/sessions')).status).toBe(204);
    await expect.poll(async () => (await again.client.get('/api/me')).status, { timeout: 3_000, interval: 20 }).toBe(401);
  });
});

describe('the identity cache', () => {
  it('does not keep an answer looked up before a revocation', () => {
    const cache = new IdentityCache(10_000);
    const identity = { user: { id: 'usr1', name: 'A', email: 'a@example.com' }, credential: { kind: 'session' as const, id: 'ses1' }, expiresAt: null, lastSeenAt: null };
    const mark = cache.mark();
    cache.dropUser('usr1');
    cache.set('s:x', identity, mark);
    expect(cache.get('s:x')).toBeUndefined();
    cache.set('s:x', identity, cache.mark());
    expect(cache.get('s:x')).toBe(identity);
    cache.dropUser('usr2');
    expect(cache.get('s:x')).toBe(identity);
    cache.dropUser('usr1');
    expect(cache.get('s:x')).toBeUndefined();
  });
});

describe('migration 008 on a database with sessions and tokens', () => {
  it('keeps existing sessions and API tokens working, with public ids and no expiry', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = `crm_t_mig_${Date.now().toString(36)}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    const url = withDatabase(adminUrl, name);
    const db = createDb(createPool(url, 4));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-files-'));
    let app: FastifyInstance | undefined;
    const engine = createEngine(db, () => {});
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
      const to007 = await migrator.migrateTo('007_conversions');
      expect(to007.error).toBeUndefined();
      const userId = newId('usr');
      const cookie = newToken('ses');
      const token = newToken('crm');
      await db.insertInto('users').values({ id: userId, email: 'old@example.com', name: 'Old', password_hash: await hashPassword('old password') }).execute();
      // As the code before 008 wrote them (its columns only).
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('sessions')
        .values({ id: tokenHash(cookie), user_id: userId, expires_at: new Date(Date.now() + 86_400_000) })
        .execute();
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('api_tokens')
        .values({ id: newId('tok'), user_id: userId, name: 'old script', token_hash: tokenHash(token) })
        .execute();
      await migrateToLatest(db);
      app = await buildApp({ engine, dataDir, logLevel: 'silent', clientDir: '/nonexistent' });
      const session = clientOf(app, `crm_session=${cookie}`);
      expect((await session.get('/api/me')).body.user.email).toBe('old@example.com');
      const sessions = await session.get('/api/auth/sessions');
      expect(sessions.body).toEqual([{ id: expect.stringMatching(/^ses[a-z0-9]{12}$/), createdAt: expect.any(String), lastSeenAt: expect.any(String), userAgent: null, current: true }]);
      expect((await withToken(app, token)).status).toBe(200);
      expect((await session.get('/api/tokens')).body).toEqual([expect.objectContaining({ name: 'old script', expiresAt: null })]);
    } finally {
      await app?.close();
      await db.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
