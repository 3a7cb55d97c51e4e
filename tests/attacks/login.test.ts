import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, newId } from '../../schema-engine/index.js';
import { buildApp } from '../../server/app.js';
import { DEFAULT_ATTEMPT_LIMITS } from '../../server/auth/attempts.js';
import { addressKey } from '../../server/auth/client-address.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { createDb, createPool } from '../../server/database.js';
import { fingerprint } from '../helpers/fingerprint.js';
import { clientOf, sessionCookie, startTestServer, type TestServer } from '../helpers/server.js';

/** One sign-in from a given client address (app.inject: nothing leaves the process). */
async function login(app: FastifyInstance, email: string, password: string, address = '127.0.0.1', headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: address, headers });
  const ms = performance.now() - started;
  expect(res.statusCode, res.body).not.toBe(500);
  return { status: res.statusCode, body: res.json(), headers: res.headers, ms };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function addUser(server: TestServer, email: string, password: string): Promise<string> {
  const id = newId('usr');
  await server.db.insertInto('users').values({ id, email, name: email.split('@')[0]!, password_hash: await hashPassword(password) }).execute();
  return id;
}

describe('sign-in with the default limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.setup('owner@example.com');
    await addUser(server, 'victim@example.com', 'victims password');
  });
  afterAll(() => server.close());

  it('takes as long for an unknown email as for a known one with a wrong password (no account enumeration by timing)', async () => {
    const unknown: number[] = [];
    const known: number[] = [];
    // Interleaved, each from its own address so no limit is reached; the first of each warms up and is not counted.
    for (let i = 0; i <= 15; i++) {
      const a = await login(server.app, `nobody${i}@example.com`, 'wrong password', `127.0.1.${i + 1}`);
      const b = await login(server.app, 'victim@example.com', 'wrong password', `127.0.2.${i + 1}`);
      expect([a.status, b.status]).toEqual([401, 401]);
      expect(a.body).toEqual(b.body);
      if (i === 0) continue;
      unknown.push(a.ms);
      known.push(b.ms);
    }
    const ratio = median(unknown) / median(known);
    console.log(`login timing: unknown email median ${median(unknown).toFixed(1)} ms, known email ${median(known).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 60_000);

  it(`locks (account, address) after ${DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max} failures with 429 and Retry-After, changing nothing, while the owner signs in from another address`, async () => {
    const attacker = '127.0.3.1';
    const before = await fingerprint(server.db);
    for (let i = 0; i < DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max; i++) {
      expect((await login(server.app, 'victim@example.com', `guess ${i}`, attacker)).status).toBe(401);
    }
    for (const password of ['guess again', 'victims password']) {
      const refused = await login(server.app, 'victim@example.com', password, attacker);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(refused.body.error.message).toMatch(/Too many failed sign-in attempts for this account from this address; try again in 15 minutes/);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(refused.body.error.details.retryAfter).toBe(retryAfter);
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    expect(await fingerprint(server.db)).toBe(before);
    // The lock is the attacker's: the owner, elsewhere, signs in.
    const owner = await login(server.app, 'victim@example.com', 'victims password', '127.0.3.2');
    expect(owner.status).toBe(200);
    expect((await clientOf(server.app, sessionCookie(owner.headers)).get('/api/me')).status).toBe(200);
    // Other accounts from the attacker's address are not locked by it.
    expect((await login(server.app, 'owner@example.com', 'correct horse', attacker)).status).toBe(200);
  });

  it('locks an unknown email exactly like a known one (the 429 tells nothing either)', async () => {
    const attacker = '127.0.3.3';
    for (let i = 0; i < DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max; i++) {
      expect((await login(server.app, 'ghost@example.com', `guess ${i}`, attacker)).status).toBe(401);
    }
    const refused = await login(server.app, 'ghost@example.com', 'guess', attacker);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/for this account from this address/);
  });

  it('starts the count over after a successful sign-in', async () => {
    const address = '127.0.3.4';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max - 1; i++) {
        expect((await login(server.app, 'victim@example.com', 'typo', address)).status).toBe(401);
      }
      expect((await login(server.app, 'victim@example.com', 'victims password', address)).status).toBe(200);
    }
  });

  it('counts by the address the request came from: a forged X-Forwarded-For does not reset it when no proxy is trusted', async () => {
    const attacker = '127.0.3.5';
    for (let i = 0; i < DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max; i++) {
      expect((await login(server.app, 'victim@example.com', `guess ${i}`, attacker, { 'x-forwarded-for': `127.9.9.${i}` })).status).toBe(401);
    }
    expect((await login(server.app, 'victim@example.com', 'guess', attacker, { 'x-forwarded-for': '127.9.9.99' })).status).toBe(429);
  });

  it('lets the address try again once the window has ended (no timer: the stored window end decides)', async () => {
    const attacker = '127.0.3.6';
    for (let i = 0; i < DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max; i++) await login(server.app, 'victim@example.com', `guess ${i}`, attacker);
    expect((await login(server.app, 'victim@example.com', 'victims password', attacker)).status).toBe(429);
    await server.db.updateTable('rate_limits').set({ window_ends_at: new Date(Date.now() - 1_000) }).execute();
    expect((await login(server.app, 'victim@example.com', 'victims password', attacker)).status).toBe(200);
  });

  it('deletes counters whose window ended a while ago as attempts come in, so sprayed emails do not pile up', async () => {
    const ended = new Date(Date.now() - 5 * 60_000);
    await server.db
      .insertInto('rate_limits')
      .values(Array.from({ length: 30 }, (_, i) => ({ scope: 'login_account', key: `old${i}`, hits: 3, window_ends_at: ended })))
      .execute();
    const old = () => server.db.selectFrom('rate_limits').select('key').where('key', 'like', 'old%').execute();
    await login(server.app, 'victim@example.com', 'typo', '127.0.3.7');
    expect((await old()).length).toBeLessThanOrEqual(10);
    await login(server.app, 'victim@example.com', 'victims password', '127.0.3.7');
    expect(await old()).toEqual([]);
    // Live counters stay.
    expect((await server.db.selectFrom('rate_limits').select('key').where('window_ends_at', '>', new Date()).execute()).length).toBeGreaterThan(0);
  });
});

describe('sign-in per address', () => {
  let server: TestServer;
  const perAddress = 8;
  beforeAll(async () => {
    server = await startTestServer({ attemptLimits: { perAddress: { max: perAddress, windowMs: 10 * 60_000 } } });
    await server.setup('owner@example.com');
  });
  afterAll(() => server.close());

  it('refuses every attempt from an address over its limit, whatever the account, and only from that address', async () => {
    const sprayer = '127.0.4.1';
    const before = await fingerprint(server.db);
    for (let i = 0; i < perAddress; i++) {
      expect((await login(server.app, `user${i}@example.com`, 'Password1', sprayer)).status).toBe(401);
    }
    const refused = await login(server.app, 'owner@example.com', 'correct horse', sprayer);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^Too many sign-in attempts from this address; try again in 10 minutes$/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(9 * 60);
    expect(await fingerprint(server.db)).toBe(before);
    expect((await login(server.app, 'owner@example.com', 'correct horse', '127.0.4.2')).status).toBe(200);
  });

  it('shares its counters with every server on the database', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-files-'));
    const db2 = createDb(createPool(server.databaseUrl, 2));
    const engine2 = createEngine(db2, () => {});
    const app2 = await buildApp({ engine: engine2, dataDir, logLevel: 'silent', clientDir: '/nonexistent', attemptLimits: { perAddress: { max: perAddress, windowMs: 10 * 60_000 } } });
    try {
      const address = '127.0.4.3';
      for (let i = 0; i < perAddress / 2; i++) {
        expect((await login(server.app, `a${i}@example.com`, 'x', address)).status).toBe(401);
        expect((await login(app2, `b${i}@example.com`, 'x', address)).status).toBe(401);
      }
      expect((await login(app2, 'owner@example.com', 'correct horse', address)).status).toBe(429);
      expect((await login(server.app, 'owner@example.com', 'correct horse', address)).status).toBe(429);
    } finally {
      await app2.close();
      await db2.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('password change guessing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.setup('owner@example.com');
  });
  afterAll(() => server.close());

  it(`refuses a signed-in session that guessed the current password ${DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max} times, from that address only`, async () => {
    const signedIn = await login(server.app, 'owner@example.com', 'correct horse', '127.0.5.1');
    const cookie = sessionCookie(signedIn.headers);
    const change = (current: string, address: string) =>
      server.app.inject({ method: 'POST', url: '/api/auth/password', payload: { current, password: 'a new password' }, remoteAddress: address, headers: { cookie } });
    const before = await fingerprint(server.db);
    for (let i = 0; i < DEFAULT_ATTEMPT_LIMITS.perAccountAddress.max; i++) {
      const res = await change(`guess ${i}`, '127.0.5.1');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.fields).toHaveProperty('current');
    }
    const refused = await change('correct horse', '127.0.5.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toMatch(/Too many failed password attempts for this account from this address/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await fingerprint(server.db)).toBe(before);
    // Signing in is counted apart: the owner is not locked out of their account by it.
    expect((await login(server.app, 'owner@example.com', 'correct horse', '127.0.5.1')).status).toBe(200);
    expect((await change('correct horse', '127.0.5.2')).statusCode).toBe(200);
  });
});

describe('the address a limit counts', () => {
  it('is an IPv4 address as is, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    expect(addressKey('127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
