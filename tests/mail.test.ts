import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Database } from '../schema-engine/index.js';
import { loadConfig } from '../server/config.js';
import { enqueue } from '../server/jobs/enqueue.js';
import { JOBS_APPLICATION_NAME } from '../server/jobs/runner.js';
import { listMails } from '../server/mail/read.js';
import { startServer, type RunningServer } from '../server/start.js';
import { adminQuery, TEMPLATE_DB, withDatabase } from './helpers/postgres.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

const FROM = 'Acme CRM <crm@acme.test>';

async function mailRow(db: Kysely<Database>, id: string) {
  return db.selectFrom('mails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function jobCount(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs`.execute(db);
  return rows[0]!.n;
}

/** Where a mail is in its life: `queued` with attempts > 0 once an attempt failed and the row was put back. */
const pick = (row: { status: string; attempts: number }) => ({ status: row.status, attempts: row.attempts });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mail sent through SMTP by the job queue', () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  let workspaceId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: 'crm', pass: 'pa:ss w/ord' } });
    server = await startTestServer({ jobs: true, smtpUrl: smtp.url, mailFrom: FROM });
    workspaceId = (await server.setup()).workspaceId;
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
    smtp.received.length = 0;
  });

  it('delivers a queued mail with its subject, body, from and to, once its transaction commits', async () => {
    const queued = await server.db.transaction().execute((trx) =>
      server.mailer.queueMail(trx, {
        kind: 'invitation',
        refId: 'inv123',
        workspaceId,
        to: ['mei@example.com'],
        cc: ['boss@example.com'],
        subject: '邀請 Invitation to Acme',
        text: 'Join us: http://127.0.0.1:3000/invite/abc',
        html: '<p>Join us: <a href="http://127.0.0.1:3000/invite/abc">accept</a></p>',
      }),
    );
    expect(queued.status).toBe('queued');
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.user).toBe('crm');
    expect(arrived!.envelope).toEqual({ from: 'crm@acme.test', to: ['mei@example.com', 'boss@example.com'] });
    expect(arrived!.mail.subject).toBe('邀請 Invitation to Acme');
    expect(arrived!.mail.text?.trim()).toBe('Join us: http://127.0.0.1:3000/invite/abc');
    expect(arrived!.mail.html).toContain('href="http://127.0.0.1:3000/invite/abc"');
    expect(arrived!.mail.from?.value).toEqual([{ name: 'Acme CRM', address: 'crm@acme.test' }]);
    expect(arrived!.mail.to).toMatchObject({ value: [{ address: 'mei@example.com' }] });
    expect(arrived!.mail.cc).toMatchObject({ value: [{ address: 'boss@example.com' }] });
    await expect.poll(async () => (await mailRow(server.db, queued.id)).status).toBe('sent');
    const row = await mailRow(server.db, queued.id);
    expect(row).toMatchObject({ attempts: 1, last_error: null, kind: 'invitation', ref_id: 'inv123', workspace_id: workspaceId });
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(row.message_id).toBe(arrived!.mail.messageId);
    await expect.poll(() => jobCount(server.db)).toBe(0); // the job ends once its handler has returned
  });

  it('leaves no mail and no job when the transaction rolls back', async () => {
    const before = await server.db.selectFrom('mails').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    await expect(
      server.db.transaction().execute(async (trx) => {
        await server.mailer.queueMail(trx, { kind: 'invitation', workspaceId, to: ['gone@example.com'], subject: 'Never', text: 'never sent' });
        expect(await jobCount(trx)).toBe(1); // it was there, inside the transaction
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    const after = await server.db.selectFrom('mails').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await jobCount(server.db)).toBe(0);
    await pause(500);
    expect(smtp.received).toHaveLength(0);
  });

  it('retries while the SMTP server is down and delivers once when it is back', async () => {
    await smtp.down();
    const { id } = await server.mailer.queueMail(server.db, { kind: 'password_reset', to: ['ana@example.com'], subject: 'Reset', text: 'link' });
    await expect.poll(async () => pick(await mailRow(server.db, id))).toEqual({ status: 'queued', attempts: 1 });
    expect((await mailRow(server.db, id)).last_error).toMatch(/ECONNREFUSED/);
    await smtp.up();
    await smtp.waitFor(1);
    await expect.poll(async () => (await mailRow(server.db, id)).status, { timeout: 15_000 }).toBe('sent');
    expect((await mailRow(server.db, id)).attempts).toBe(2);
    await expect.poll(() => jobCount(server.db)).toBe(0); // the job ends once its handler has returned
    await pause(500);
    expect(smtp.received).toHaveLength(1);
  });

  it('retries a mail the server answered 451 to, and delivers it once', async () => {
    smtp.mode = 'temporary';
    const { id } = await server.mailer.queueMail(server.db, { kind: 'workflow', workspaceId, to: ['li@example.com'], subject: 'Later', text: 'body' });
    await expect.poll(async () => pick(await mailRow(server.db, id))).toEqual({ status: 'queued', attempts: 1 });
    expect((await mailRow(server.db, id)).last_error).toMatch(/451/);
    smtp.mode = 'accept';
    await expect.poll(async () => (await mailRow(server.db, id)).status, { timeout: 15_000 }).toBe('sent');
    expect(smtp.received.map((r) => r.mail.subject)).toEqual(['Later']);
  });

  it('fails a mail the server rejects with 5xx, without retrying it', async () => {
    smtp.mode = 'permanent';
    const { id } = await server.mailer.queueMail(server.db, { kind: 'workflow', workspaceId, to: ['nobody@example.com'], subject: 'Rejected', text: 'body' });
    await expect.poll(async () => (await mailRow(server.db, id)).status).toBe('failed');
    const row = await mailRow(server.db, id);
    expect(row.last_error).toMatch(/550/);
    expect(row.attempts).toBe(1);
    expect(row.sent_at).toBeNull();
    await expect.poll(() => jobCount(server.db)).toBe(0); // the job ends once its handler has returned
  });

  it('never sends twice a mail whose SMTP server hung up without answering after reading it', async () => {
    smtp.mode = 'hangup';
    const { id } = await server.mailer.queueMail(server.db, { kind: 'workflow', workspaceId, to: ['once@example.com'], subject: 'Once', text: 'body' });
    await expect.poll(async () => (await mailRow(server.db, id)).status).toBe('failed');
    expect((await mailRow(server.db, id)).last_error).toMatch(/may have accepted it: not sent again/);
    smtp.mode = 'accept';
    await pause(3500); // past the first retry's backoff (e s)
    expect(smtp.received.map((r) => r.mail.subject)).toEqual(['Once']);
    expect((await mailRow(server.db, id)).attempts).toBe(1);
  });

  it('marks failed, and does not send, a mail left `sending` by a server that died mid-send', async () => {
    const { id } = await server.db.transaction().execute(async (trx) => {
      const queued = await server.mailer.queueMail(trx, { kind: 'workflow', workspaceId, to: ['crash@example.com'], subject: 'Crash', text: 'body' });
      // What a crash between the claim and the settling leaves: the row claimed, the job to be run again.
      await trx.updateTable('mails').set({ status: 'sending', attempts: 1 }).where('id', '=', queued.id).execute();
      return queued;
    });
    await expect.poll(async () => (await mailRow(server.db, id)).status).toBe('failed');
    expect((await mailRow(server.db, id)).last_error).toMatch(/^interrupted while sending/);
    await pause(300);
    expect(smtp.received).toHaveLength(0);
  });

  it('runs a job at its run time, not before', async () => {
    const runAt = new Date(Date.now() + 1500);
    const id = 'emllater0000001';
    await server.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('mails')
        .values({ id, kind: 'workflow', workspace_id: workspaceId, from_address: FROM, to_addresses: ['later@example.com'], subject: 'At its time', text: 'x', status: 'queued' })
        .execute();
      await enqueue(trx, 'send_mail', { mailId: id }, { runAt });
    });
    await pause(800);
    expect(smtp.received).toHaveLength(0);
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.mail.date!.getTime()).toBeGreaterThanOrEqual(runAt.getTime() - 1000); // Date has whole seconds
    expect(Date.now()).toBeGreaterThanOrEqual(runAt.getTime());
  });

  it('goes on running jobs after the database ended its connections', async () => {
    const { rows } = await sql<{ ended: boolean }>`
      SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ${JOBS_APPLICATION_NAME}`.execute(server.db);
    expect(rows.length).toBeGreaterThan(0); // its LISTEN connection at least
    const { id } = await server.mailer.queueMail(server.db, { kind: 'workflow', workspaceId, to: ['again@example.com'], subject: 'Still here', text: 'x' });
    await smtp.waitFor(1);
    await expect.poll(async () => (await mailRow(server.db, id)).status).toBe('sent');
  });

  it('refuses a bad mail naming the field, and writes nothing', async () => {
    const bad = [
      [{ to: [] }, 'to'],
      [{ to: ['not an address'] }, 'to'],
      [{ subject: 'two\r\nBcc: x@example.com' }, 'subject'],
      [{ kind: 'spam' }, 'kind'],
    ] as const;
    for (const [change, field] of bad) {
      const input = { kind: 'workflow', to: ['a@example.com'], subject: 'ok', text: 'ok', ...change } as never;
      await expect(server.mailer.queueMail(server.db, input)).rejects.toMatchObject({ code: 'validation_failed', details: { fields: { [field]: expect.any(String) } } });
    }
    expect(await server.db.selectFrom('mails').select('id').where('subject', '=', 'ok').execute()).toEqual([]);
  });
});

describe('mail without SMTP_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ jobs: true });
  });
  afterAll(() => server?.close());

  it('is kept, not sent and no job is added, and can be read', async () => {
    const { workspaceId } = await server.setup();
    const { id, status } = await server.db.transaction().execute((trx) =>
      server.mailer.queueMail(trx, { kind: 'password_reset', refId: 'rst1', to: ['owner@example.com'], subject: 'Reset your password', text: 'Open http://127.0.0.1:3000/reset/tok123' }),
    );
    expect(status).toBe('kept');
    await server.mailer.queueMail(server.db, { kind: 'invitation', workspaceId, to: ['other@example.com'], subject: 'Invitation', text: 'x' });
    expect(await jobCount(server.db)).toBe(0);
    const kept = await listMails(server.db, { status: 'kept', to: 'owner@example.com' });
    expect(kept).toEqual([
      expect.objectContaining({ id, kind: 'password_reset', refId: 'rst1', status: 'kept', attempts: 0, from: 'CRM <no-reply@localhost>', sentAt: null }),
    ]);
    expect(kept[0]!.text).toMatch(/reset\/tok123/);
    expect((await listMails(server.db, { workspaceId })).map((m) => m.to)).toEqual([['other@example.com']]);
  });
});

describe('a restarted server', () => {
  const adminUrl = inject('pgAdminUrl');
  const name = `crm_t_${randomBytes(6).toString('hex')}`;
  const databaseUrl = withDatabase(adminUrl, name);
  let smtp: TestSmtpServer;
  let dataDir: string;
  let running: RunningServer | undefined;
  const logged: string[] = [];

  const start = (env: Record<string, string>) =>
    startServer(
      loadConfig({ DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', MAIL_FROM: FROM, ...env }),
      (m) => logged.push(m),
    );

  beforeAll(async () => {
    await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-mail-'));
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await running?.close();
    await smtp?.close();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends a mail whose job was queued when it stopped', async () => {
    await smtp.down();
    running = await start({ SMTP_URL: smtp.url });
    const { engine, mailer } = running.app.ctx;
    const { id } = await mailer.queueMail(engine.db, { kind: 'password_reset', to: ['ana@example.com'], subject: 'After restart', text: 'body' });
    await expect.poll(async () => pick(await mailRow(engine.db, id))).toEqual({ status: 'queued', attempts: 1 });
    await running.close();
    running = undefined;

    // The SMTP server is back; no server runs: the job waits in PostgreSQL, past its retry time.
    await smtp.up();
    await pause(3500);
    expect(smtp.received).toHaveLength(0);

    running = await start({ SMTP_URL: smtp.url });
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.mail.subject).toBe('After restart');
    await expect.poll(async () => (await mailRow(running!.app.ctx.engine.db, id)).status).toBe('sent');
    await expect.poll(() => jobCount(running!.app.ctx.engine.db)).toBe(0); // the job ends once its handler has returned
    expect(logged).not.toContain('mail is kept, not sent: set SMTP_URL');
    await running.close();
    running = undefined;
  });

  it('says once at start that mail is kept without SMTP_URL', async () => {
    logged.length = 0;
    running = await start({});
    expect(logged.filter((m) => m.includes('mail is kept'))).toEqual(['mail is kept, not sent: set SMTP_URL']);
    const { engine, mailer } = running.app.ctx;
    const { status } = await mailer.queueMail(engine.db, { kind: 'password_reset', to: ['ana@example.com'], subject: 'Kept', text: 'body' });
    expect(status).toBe('kept');
  });
});
