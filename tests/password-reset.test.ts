import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../schema-engine/index.js';
import { hashPassword } from '../server/auth/passwords.js';
import { listMails } from '../server/mail/read.js';
import { RESET_ANSWER_MS } from '../server/routes/password-reset.js';
import { fingerprint } from './helpers/fingerprint.js';
import { clientOf, sessionCookie, startTestServer, type TestServer } from './helpers/server.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The one-time link in a reset mail, and its token. */
function linkOf(mail: ReceivedMail): { url: string; token: string } {
  const url = /https?:\/\/\S+\/reset\/([A-Za-z0-9_-]+)/.exec(mail.mail.text ?? '');
  if (!url) throw new Error(`no reset link in: ${mail.mail.text}`);
  return { url: url[0], token: url[1]! };
}

async function addUser(server: TestServer, email: string, password: string): Promise<string> {
  const id = newId('usr');
  await server.db.insertInto('users').values({ id, email, name: email.split('@')[0]!, password_hash: await hashPassword(password) }).execute();
  return id;
}

const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};

describe('password reset by email through SMTP', () => {
  let smtp: TestSmtpServer;
  let server: TestServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ jobs: true, smtpUrl: smtp.url, attemptLimits: { perAccountAddress: { max: 3, windowMs: 60_000 } } });
    await server.setup('owner@example.com');
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
    smtp.received.length = 0;
  });

  it('mails a one-time link, storing only its hash; the link sets the password, ends every session and signs in', async () => {
    const userId = await addUser(server, 'ana@example.com', 'old password');
    const first = await server.signIn('ana@example.com', 'old password');
    const second = await server.signIn('ana@example.com', 'old password');

    const asked = await server.anonymous.post('/api/auth/reset', { email: ' Ana@Example.com ' });
    expect(asked.status).toBe(202);
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.envelope.to).toEqual(['ana@example.com']);
    expect(arrived!.mail.subject).toBe('Reset your password');
    expect(arrived!.mail.text).toContain('expires in 60 minutes');
    const { url, token } = linkOf(arrived!);
    expect(url).toBe(`http://localhost/reset/${token}`);
    expect(arrived!.mail.html).toContain(`href="${url}"`);

    const rows = await server.db.selectFrom('password_resets').selectAll().where('user_id', '=', userId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const minutes = (rows[0]!.expires_at.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);

    const check = await server.anonymous.get(`/api/auth/reset/${token}`);
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ expiresAt: rows[0]!.expires_at.toISOString() });

    const reset = await server.anonymous.post(`/api/auth/reset/${token}`, { password: 'brand new password' });
    expect(reset.status).toBe(200);
    expect(reset.body.user).toEqual({ id: userId, name: 'ana', email: 'ana@example.com' });
    // This browser is signed in; every session from before is over.
    const fresh = clientOf(server.app, sessionCookie(reset.headers));
    expect((await fresh.get('/api/me')).body.user.id).toBe(userId);
    expect((await first.get('/api/me')).status).toBe(401);
    expect((await second.get('/api/me')).status).toBe(401);
    expect(await server.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).toHaveLength(1);
    // The new password signs in, the old one no longer does.
    expect((await server.anonymous.post('/api/auth/login', { email: 'ana@example.com', password: 'old password' })).status).toBe(401);
    expect((await server.anonymous.post('/api/auth/login', { email: 'ana@example.com', password: 'brand new password' })).status).toBe(200);
  });

  it('answers 404 to a used, expired or unknown link, and changes nothing', async () => {
    const userId = await addUser(server, 'ben@example.com', 'ben password');
    await server.anonymous.post('/api/auth/reset', { email: 'ben@example.com' });
    await server.anonymous.post('/api/auth/reset', { email: 'ben@example.com' });
    const [a, b] = (await smtp.waitFor(2)).map(linkOf);
    expect(a!.token).not.toBe(b!.token);
    expect((await server.anonymous.post(`/api/auth/reset/${a!.token}`, { password: 'ben new password' })).status).toBe(200);
    const session = await server.signIn('ben@example.com', 'ben new password');

    const before = await fingerprint(server.db);
    // The same link again, and the other link of the same user (a new password ends every link of theirs).
    for (const token of [a!.token, b!.token, 'A'.repeat(43)]) {
      const again = await server.anonymous.post(`/api/auth/reset/${token}`, { password: 'someone else password' });
      expect(again.status).toBe(404);
      expect(again.body.error.message).toMatch(/used already, has expired, or was never sent/);
      expect((await server.anonymous.get(`/api/auth/reset/${token}`)).status).toBe(404);
    }
    expect(await fingerprint(server.db)).toBe(before);
    expect((await session.get('/api/me')).status).toBe(200);

    // An expired link.
    await server.anonymous.post('/api/auth/reset', { email: 'ben@example.com' });
    const [, , c] = (await smtp.waitFor(3)).map(linkOf);
    await server.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(c!.token)).execute();
    const snapshot = await fingerprint(server.db);
    expect((await server.anonymous.post(`/api/auth/reset/${c!.token}`, { password: 'too late password' })).status).toBe(404);
    expect(await fingerprint(server.db)).toBe(snapshot);
    expect((await server.anonymous.post('/api/auth/login', { email: 'ben@example.com', password: 'ben new password' })).status).toBe(200);
    expect(await server.db.selectFrom('users').select('id').where('id', '=', userId).execute()).toHaveLength(1);
  });

  it('refuses a weak password naming the field, leaving the link usable', async () => {
    await addUser(server, 'cy@example.com', 'cy password');
    await server.anonymous.post('/api/auth/reset', { email: 'cy@example.com' });
    const { token } = linkOf((await smtp.waitFor(1))[0]!);
    const before = await fingerprint(server.db);
    const weak = await server.anonymous.post(`/api/auth/reset/${token}`, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details.fields).toEqual({ password: expect.stringMatching(/at least 8/) });
    const missing = await server.anonymous.post(`/api/auth/reset/${token}`, {});
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.details.fields)).toEqual(['password']);
    expect(await fingerprint(server.db)).toBe(before);
    expect((await server.anonymous.post(`/api/auth/reset/${token}`, { password: 'long enough now' })).status).toBe(200);
  });

  it('answers an unknown email as a known one, in comparable time, and mails nothing', async () => {
    await addUser(server, 'dee@example.com', 'dee password');
    const [known, knownMs] = await timed(() => server.anonymous.post('/api/auth/reset', { email: 'dee@example.com' }));
    await smtp.waitFor(1);
    const mailsBefore = (await listMails(server.db)).length;
    const resetsBefore = await server.db.selectFrom('password_resets').select('token_hash').execute();
    const [unknown, unknownMs] = await timed(() => server.anonymous.post('/api/auth/reset', { email: 'nobody@example.com' }));
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.status).toBe(202);
    expect(knownMs).toBeGreaterThanOrEqual(RESET_ANSWER_MS - 5);
    expect(unknownMs).toBeGreaterThanOrEqual(RESET_ANSWER_MS - 5);
    expect(Math.abs(knownMs - unknownMs)).toBeLessThan(150);
    await pause(1000);
    expect(smtp.received).toHaveLength(1);
    expect((await listMails(server.db)).length).toBe(mailsBefore);
    expect(await server.db.selectFrom('password_resets').select('token_hash').execute()).toEqual(resetsBefore);
  });

  it('writes the mail in Traditional Chinese when the request asks for it', async () => {
    await addUser(server, 'mei@example.com', 'mei password');
    const asked = await server.anonymous.request('POST', '/api/auth/reset', { email: 'mei@example.com' }, { 'accept-language': 'zh-TW,zh;q=0.9,en;q=0.8' });
    expect(asked.status).toBe(202);
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.mail.subject).toBe('重設您的密碼');
    expect(arrived!.mail.text).toContain('60 分鐘後失效');
    expect(linkOf(arrived!).url).toMatch(/\/reset\//);
  });

  it('rate limits requests like sign-ins, known email or not, with 429 and Retry-After', async () => {
    await addUser(server, 'eve@example.com', 'eve password');
    for (const email of ['eve@example.com', 'ghost@example.com']) {
      for (let i = 0; i < 3; i++) expect((await server.anonymous.post('/api/auth/reset', { email })).status).toBe(202);
      const refused = await server.anonymous.post('/api/auth/reset', { email });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    await smtp.waitFor(3);
    await pause(500);
    expect(smtp.received).toHaveLength(3); // eve's three, ghost none
  });

  it('refuses a bad email naming the field, writing nothing', async () => {
    const before = await fingerprint(server.db);
    for (const body of [{ email: 'not an address' }, {}, { email: 'a@example.com', extra: 1 }]) {
      const refused = await server.anonymous.post('/api/auth/reset', body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
    }
    expect((await server.anonymous.post('/api/auth/reset', { email: 'not an address' })).body.error.details.fields).toHaveProperty('email');
    expect(await fingerprint(server.db)).toBe(before);
  });

  it('never resets the public form system user', async () => {
    const system = await sql<{ email: string }>`SELECT email FROM users WHERE id = 'usrpublicform00'`.execute(server.db);
    if (!system.rows[0]) return; // no such row in this installation
    expect((await server.anonymous.post('/api/auth/reset', { email: system.rows[0].email })).status).toBe(202);
    await pause(800);
    expect(smtp.received).toHaveLength(0);
  });
});

describe('password reset without SMTP_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ jobs: true, publicUrl: 'https://crm.example.com/' });
    await server.setup('owner@example.com');
  });
  afterAll(() => server?.close());

  it('keeps the mail, not sent, with a working link', async () => {
    const asked = await server.anonymous.post('/api/auth/reset', { email: 'owner@example.com' });
    expect(asked.status).toBe(202);
    const [kept] = await listMails(server.db, { kind: 'password_reset', to: 'owner@example.com' });
    expect(kept).toMatchObject({ status: 'kept', attempts: 0, sentAt: null, subject: 'Reset your password' });
    expect(Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs`.execute(server.db)).rows[0]!.n)).toBe(0);
    const token = /\/reset\/([A-Za-z0-9_-]+)/.exec(kept!.text)![1]!;
    expect(kept!.text).toContain(`https://crm.example.com/reset/${token}`);
    expect((await server.anonymous.post(`/api/auth/reset/${token}`, { password: 'from the kept mail' })).status).toBe(200);
    expect((await server.anonymous.post('/api/auth/login', { email: 'owner@example.com', password: 'from the kept mail' })).status).toBe(200);
  });

  it('starts links with PUBLIC_URL whatever Host the request names', async () => {
    const asked = await server.anonymous.request('POST', '/api/auth/reset', { email: 'owner@example.com' }, { host: 'evil.example' });
    expect(asked.status).toBe(202);
    const [latest] = await listMails(server.db, { kind: 'password_reset', to: 'owner@example.com', limit: 1 });
    expect(latest!.text).toMatch(/https:\/\/crm\.example\.com\/reset\/[A-Za-z0-9_-]{43}/);
    expect(latest!.text).not.toContain('evil.example');
  });
});
