import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobRunner, type JobRunner } from '../server/jobs/runner.js';
import { Mailer } from '../server/mail/mailer.js';
import { startChildServer, type ChildServer } from './helpers/child-server.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { until } from './helpers/until.js';

// A real server process runs a workflow and is killed (SIGKILL) in the middle of a webhook step, after its email
// went out. Started again, the server resumes the run: the email is not sent again, the webhook is tried again with
// the same idempotency key, and the run ends. A live server on the same database never takes over a running server's
// job, and takes over a killed one's at its next check.
let smtp: TestSmtpServer;
let receiver: http.Server;
let port: number;
const hits: { key: string | undefined; answered: boolean }[] = [];
let hang = true;
let server: TestServer;
let client: Client;
let ws: string;
let child: ChildServer | undefined;
let restarted: ChildServer | undefined;
let runner: JobRunner | undefined;
let mailer: Mailer | undefined;


beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const hit = { key: req.headers['idempotency-key'] as string | undefined, answered: !hang };
      hits.push(hit);
      // While `hang`, no answer: the step stays in flight until the process running it is killed.
      if (!hang) res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  // No runner in this process: the child server runs the jobs first.
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(async () => {
  await child?.stop();
  await restarted?.stop();
  await runner?.stop();
  await mailer?.close();
  await server?.close();
  await smtp?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('a server killed mid-run', () => {
  it('resumes when the server is started again, without sending the email twice', async () => {
    await client.post(`/api/w/${ws}/sheets`, { name: 'Leads', fields: [{ name: 'Name', type: 'text' }, { name: 'Email', type: 'email' }] });
    const wf = await client.post(`/api/w/${ws}/workflows`, {
      name: 'Welcome and tell the shop',
      trigger: { type: 'record_created', sheet: 'Leads' },
      steps: [
        { type: 'send_email', to: '{{record.Email}}', subject: 'Welcome {{record.Name}}', body: 'Hi' },
        { type: 'webhook', url: `http://127.0.0.1:${port}/hook` },
        { type: 'notify', users: ['owner@example.com'], message: 'told the shop about {{record.Name}}' },
      ],
    });
    expect(wf.status).toBe(201);
    child = await startChildServer(server.databaseUrl, 60_000, { SMTP_URL: smtp.url, WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    const lead = await client.post(`/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'Ann', Email: 'ann@example.com' } });
    expect(lead.status).toBe(201);

    await smtp.waitFor(1, 30_000);
    // Killed once the mail is recorded sent (killed between the SMTP answer and that, deliverMail would mark it failed
    // rather than risk a second copy: also never twice, but not what this test looks at).
    await until('the mail to be recorded sent', async () => (await server.db.selectFrom('mails').select('status').executeTakeFirst())?.status === 'sent', 30_000);
    await until('the webhook to be in flight', async () => hits.length === 1, 30_000);
    child.process.kill('SIGKILL');
    await until('the child to exit', async () => child!.exited() !== undefined, 30_000);

    const { runs } = (await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body;
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run.status).toBe('running');
    expect(run.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'running', 'pending']);

    hang = false;
    // The server is started again on the same database, as after a crash: it frees the dead server's job as it starts
    // (not after graphile-worker's four hours) and goes on with the run.
    restarted = await startChildServer(server.databaseUrl, 60_000, { SMTP_URL: smtp.url, WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });

    const done = await until('the run to end', async () => {
      const res = await client.get(`/api/w/${ws}/runs/${run.id}`);
      return ['succeeded', 'failed'].includes(res.body.status) && res.body;
    }, 30_000);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s: { status: string; attempts: number }) => [s.status, s.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 2],
      ['succeeded', 1],
    ]);
    // The webhook went twice with one key (a receiver honouring it acts once); the mail once.
    expect(hits.map((h) => h.key)).toEqual([`${run.id}:1`, `${run.id}:1`]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.received).toHaveLength(1);
    const mails = await server.db.selectFrom('mails').select(['status', 'ref_id']).execute();
    expect(mails).toEqual([{ status: 'sent', ref_id: run.id }]);
    expect(await server.db.selectFrom('notifications').select('message').execute()).toEqual([{ message: 'told the shop about Ann' }]);
  }, 120_000);

  it("is taken over by a live server at its next check once its server is killed, never while that server runs", async () => {
    // The restarted server stops cleanly (its workers leave nothing locked); a fresh one takes the next run.
    await restarted!.stop();
    hang = true;
    hits.length = 0;
    await client.post(`/api/w/${ws}/sheets`, { name: 'Orders', fields: [{ name: 'Name', type: 'text' }] });
    const wf = await client.post(`/api/w/${ws}/workflows`, { name: 'Tell the warehouse', trigger: { type: 'record_created', sheet: 'Orders' }, steps: [{ type: 'webhook', url: `http://127.0.0.1:${port}/order` }] });
    expect(wf.status).toBe(201);
    const third = await startChildServer(server.databaseUrl, 60_000, { SMTP_URL: smtp.url, WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    child = third;
    expect((await client.post(`/api/w/${ws}/sheets/Orders/records`, { fields: { Name: 'Order 1' } })).status).toBe(201);
    await until('the webhook to be in flight', async () => hits.length === 1, 30_000);
    const lockedBy = async () => (await sql<{ locked_by: string }>`SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`.execute(server.db)).rows.map((r) => r.locked_by);
    const [holder] = await lockedBy();
    expect(holder).toBeDefined();

    // A second server checks every 200 ms: while the first one lives, its job stays its own.
    mailer = new Mailer({ smtpUrl: smtp.url, from: 'CRM <crm@example.com>' });
    runner = await startJobRunner({ databaseUrl: server.databaseUrl, context: { engine: server.engine, mailer, webhookAllowHosts: new Set(['127.0.0.1']) }, log: () => {}, concurrency: 2, pollInterval: 250, livenessInterval: 200 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await lockedBy()).toEqual([holder]);
    expect(hits).toHaveLength(1);

    hang = false;
    third.process.kill('SIGKILL');
    const { runs } = (await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body;
    const done = await until('the run to end', async () => {
      const res = await client.get(`/api/w/${ws}/runs/${runs[0].id}`);
      return ['succeeded', 'failed'].includes(res.body.status) && res.body;
    }, 30_000);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s: { status: string; attempts: number }) => [s.status, s.attempts])).toEqual([['succeeded', 2]]);
    expect(hits.map((h) => h.key)).toEqual([`${runs[0].id}:0`, `${runs[0].id}:0`]);
    // The dead server's registrations are forgotten once nothing is locked by them.
    const registered = await sql<{ worker_id: string }>`SELECT worker_id FROM job_workers`.execute(server.db);
    expect(registered.rows.map((r) => r.worker_id)).not.toContain(holder);
  }, 120_000);
});
