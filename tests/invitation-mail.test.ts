import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMails } from '../server/mail/read.js';
import { fingerprint } from './helpers/fingerprint.js';
import { addMember } from './helpers/members.js';
import { clientOf, sessionCookie, startTestServer, type Client, type TestServer } from './helpers/server.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the invitation mail, through SMTP', () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  let owner: Client;
  let ws: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ jobs: true, smtpUrl: smtp.url, mailFrom: 'Acme CRM <crm@acme.test>' });
    ({ client: owner, workspaceId: ws } = await server.setup('owner@example.com'));
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('mails the invitee the link the admin is shown, and the link works', async () => {
    const invited = await owner.post(`/api/w/${ws}/invitations`, { email: 'Lin@Example.com', role: 'editor' });
    expect(invited.status).toBe(201);
    const url = String(invited.body.url);
    expect(url).toMatch(/^http:\/\/localhost\/invite\/[A-Za-z0-9_-]{43}$/);
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.envelope).toEqual({ from: 'crm@acme.test', to: ['lin@example.com'] });
    const name = (await server.db.selectFrom('workspaces').select('name').where('id', '=', ws).executeTakeFirstOrThrow()).name;
    expect(arrived!.mail.subject).toBe(`Owner invited you to ${name}`);
    expect(arrived!.mail.text).toContain(url);
    expect(arrived!.mail.text).toContain('as editor');
    expect(arrived!.mail.html).toContain(`href="${url}"`);
    const [row] = await listMails(server.db, { kind: 'invitation', refId: invited.body.id });
    expect(row).toMatchObject({ workspaceId: ws, to: ['lin@example.com'] });
    await expect.poll(async () => (await listMails(server.db, { refId: invited.body.id }))[0]!.status).toBe('sent');

    // The link from the mail, as the invitee opens it.
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(arrived!.mail.text!)![1]!;
    const accepted = await server.anonymous.post(`/api/invitations/${token}/accept`, { name: 'Lin', password: 'lin password' });
    expect(accepted.status).toBe(201);
    const lin = clientOf(server.app, sessionCookie(accepted.headers));
    expect((await lin.get('/api/me')).body.workspaces.map((w: { id: string }) => w.id)).toEqual([ws]);
  });

  it('writes it in Traditional Chinese when the inviter uses the app in Chinese', async () => {
    const invited = await owner.request('POST', `/api/w/${ws}/invitations`, { email: 'mei@example.com', role: 'viewer' }, { 'accept-language': 'zh-TW' });
    expect(invited.status).toBe(201);
    const [arrived] = await smtp.waitFor(1);
    expect(arrived!.mail.subject).toMatch(/^Owner 邀請您加入「.+」$/);
    expect(arrived!.mail.text).toContain('「檢視者」');
    expect(arrived!.mail.text).toContain(invited.body.url);
  });

  it('sends nothing for a refused invitation', async () => {
    await addMember(server, ws, 'member@example.com', 'editor');
    const before = await fingerprint(server.db);
    const refused = [
      await owner.post(`/api/w/${ws}/invitations`, { email: 'member@example.com', role: 'viewer' }), // a member already
      await owner.post(`/api/w/${ws}/invitations`, { email: 'new@example.com', role: 'no such role' }),
      await owner.post(`/api/w/${ws}/invitations`, { email: 'not an address', role: 'viewer' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([409, 400, 400]);
    expect(await fingerprint(server.db)).toBe(before);
    await pause(800);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends nothing when a non-admin tries to invite', async () => {
    const { client: editor } = await addMember(server, ws, 'editor2@example.com', 'editor');
    expect((await editor.post(`/api/w/${ws}/invitations`, { email: 'x@example.com', role: 'viewer' })).status).toBe(403);
    await pause(800);
    expect(smtp.received).toHaveLength(0);
    expect(await listMails(server.db, { to: 'x@example.com' })).toEqual([]);
  });
});

describe('the invitation mail without SMTP_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ jobs: true });
  });
  afterAll(() => server?.close());

  it('is kept with the link, not sent, and no job is queued', async () => {
    const { client: owner, workspaceId: ws } = await server.setup();
    const invited = await owner.post(`/api/w/${ws}/invitations`, { email: 'kept@example.com', role: 'viewer' });
    expect(invited.status).toBe(201);
    const [kept] = await listMails(server.db, { kind: 'invitation', refId: invited.body.id });
    expect(kept).toMatchObject({ status: 'kept', to: ['kept@example.com'], workspaceId: ws, sentAt: null });
    expect(kept!.text).toContain(invited.body.url);
    const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs`.execute(server.db);
    expect(jobs.rows[0]!.n).toBe(0);
  });
});
