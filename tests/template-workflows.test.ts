import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from './helpers/fingerprint.js';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { until } from './helpers/until.js';
import { dayIn, zoneAwayFromUtc } from './helpers/zones.js';

// The Full CRM's workflows, installed with it and run by the real job runner: the discount approval the issue asks
// for, the web lead's greeting, the qualified lead's follow-up and the contract's renewal reminder.
let server: TestServer;
let smtp: TestSmtpServer;
let owner: Client;
let ws: string;
let ownerId: string;
let manager: { client: Client; userId: string };
let rep: { client: Client; userId: string };
let workflows: { id: string; name: string }[];

const records = (sheet: string, path = '') => `/api/w/${ws}/sheets/${sheet}/records${path}`;
const workflowNamed = (name: string) => workflows.find((w) => w.name === name)!.id;
const runsOf = async (workflowId: string) => (await owner.get(`/api/w/${ws}/workflows/${workflowId}/runs`)).body.runs as { id: string; recordId: string; status: string; steps: { path: string; status: string; output: any; error: string | null; finishedAt: string | null }[] }[];
const runWhen = (workflowId: string, recordId: string, status: string) =>
  until(`the run on ${recordId} to be ${status}`, async () => (await runsOf(workflowId)).find((r) => r.recordId === recordId && r.status === status));

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({ jobs: true, smtpUrl: smtp.url, mailFrom: 'CRM <crm@example.com>' });
  ({ client: owner, workspaceId: ws, userId: ownerId } = await server.setup());
  const installed = await owner.post(`/api/w/${ws}/templates/full-crm/install`, { language: 'en', sampleData: false });
  expect(installed.status).toBe(201);
  workflows = installed.body.workflows;
  manager = await addMember(server, ws, 'manager@example.com', 'editor');
  rep = await addMember(server, ws, 'rep@example.com', 'editor');
  expect((await owner.patch(`/api/w/${ws}/members/${manager.userId}`, { role: 'Sales manager' })).status).toBe(200);
  expect((await owner.patch(`/api/w/${ws}/members/${rep.userId}`, { role: 'Sales rep' })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

describe('the Full CRM installs its workflows', () => {
  it('creates them in both languages, audited, with sheets and fields by id', async () => {
    expect(workflows.map((w) => w.name)).toEqual([
      'Discount above 20 % needs approval',
      'Greet a new web lead',
      'Assign a new web lead to a sales rep in turn',
      'Follow up a qualified lead',
      'Contract ends in 30 days',
    ]);
    const approval = (await owner.get(`/api/w/${ws}/workflows/${workflowNamed('Discount above 20 % needs approval')}`)).body;
    expect(approval).toMatchObject({
      enabled: true,
      trigger: { type: 'record_matches', sheet: 'Quotes', condition: { and: [{ '==': [{ var: 'Status' }, 'Sent'] }, { '>': [{ var: 'Discount' }, 0.2] }] } },
      steps: [{ type: 'approval', approvers: ['Sales manager'], lockFields: ['Discount', 'Status'], onReject: [{ type: 'update_record', fields: { Status: 'Draft' } }, { type: 'notify' }] }, { type: 'notify' }],
    });
    expect(approval.steps[0].message).toContain('{{record.[Title]}}');
    const { rows } = await sql<{ action: string; n: number }>`
      SELECT action, count(*)::int AS n FROM audit_log WHERE workspace_id = ${ws} AND action IN ('workflow.create', 'template.install') GROUP BY action ORDER BY action`.execute(server.db);
    expect(rows).toEqual([
      { action: 'template.install', n: 1 },
      { action: 'workflow.create', n: 5 },
    ]);

    const zh = owner;
    const zhWs = (await owner.post('/api/workspaces', { name: '中文' })).body.id as string;
    const result = await zh.post(`/api/w/${zhWs}/templates/full-crm/install`, { language: 'zh-TW', sampleData: false });
    expect(result.status).toBe(201);
    expect(result.body.workflows.map((w: { name: string }) => w.name)).toEqual(['折扣超過 20 % 需經理核准', '歡迎新的網站潛在客戶', '新的網站潛在客戶輪流指派給業務代表', '合格潛在客戶的後續追蹤', '合約 30 天後到期']);
    const zhApproval = (await zh.get(`/api/w/${zhWs}/workflows/${result.body.workflows[0].id}`)).body;
    expect(zhApproval.trigger.condition).toEqual({ and: [{ '==': [{ var: '狀態' }, '已寄出'] }, { '>': [{ var: '折扣' }, 0.2] }] });
    expect(zhApproval.steps[0].approvers).toEqual(['業務經理']);
    const zhAssign = (await zh.get(`/api/w/${zhWs}/workflows/${result.body.workflows[2].id}`)).body;
    expect(zhAssign.steps[1]).toEqual({ type: 'update_record', record: 'trigger', sheet: '潛在客戶', fields: { 負責人: { inTurn: ['業務代表'] } } });
  });
});

describe('a discount above 20 %', () => {
  it('waits for the sales manager with the discount and status locked, and goes on when approved', async () => {
    const wf = workflowNamed('Discount above 20 % needs approval');
    const created = await rep.client.post(records('Quotes'), { fields: { Title: 'Big deal', 'Quote date': '2026-12-01', Discount: 0.25, Status: 'Draft' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const quote = created.body;
    // Below the threshold or not yet Sent: nothing asked.
    expect((await rep.client.patch(records('Quotes', `/${quote.id}`), { fields: { Status: 'Sent', Discount: 0.1 } })).status).toBe(200);
    expect((await rep.client.patch(records('Quotes', `/${quote.id}`), { fields: { Status: 'Draft', Discount: 0.25 } })).status).toBe(200);
    expect(await runsOf(wf)).toEqual([]);

    expect((await rep.client.patch(records('Quotes', `/${quote.id}`), { fields: { Status: 'Sent' } })).status).toBe(200);
    const waiting = await runWhen(wf, quote.id, 'waiting');
    const [asked] = (await manager.client.get('/api/me/approvals')).body;
    expect(asked).toMatchObject({ recordId: quote.id, runId: waiting.id, title: 'Discount above 20 % needs approval: Q-000001', message: 'Big deal is to be sent with a 25% discount' });
    expect((await rep.client.get('/api/me/approvals')).body).toEqual([]);

    const before = await fingerprint(server.db);
    for (const [field, value] of [['Discount', 0.3], ['Status', 'Draft']] as const) {
      const res = await rep.client.patch(records('Quotes', `/${quote.id}`), { fields: { [field]: value } });
      expect(res.status).toBe(409);
      expect(res.body.error.details.fields[field]).toMatch(/is locked while/);
    }
    expect(await fingerprint(server.db)).toBe(before);

    expect((await manager.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'approve', comment: 'ok for this client' })).status).toBe(200);
    const done = await runWhen(wf, quote.id, 'succeeded');
    expect(done.steps.map((s) => [s.path, s.status])).toEqual([
      ['0', 'succeeded'],
      ['1', 'succeeded'],
    ]);
    const [note] = (await rep.client.get('/api/me/notifications')).body;
    expect(note.message).toBe('The discount of Q-000001 was approved: the quote can go out.');
    expect((await owner.get(records('Quotes', `/${quote.id}`))).body.fields).toMatchObject({ Status: 'Sent', Discount: 0.25 });
    expect((await rep.client.patch(records('Quotes', `/${quote.id}`), { fields: { Discount: 0.3 } })).status).toBe(200);
  });

  it('goes back to Draft and tells the preparer when rejected', async () => {
    const wf = workflowNamed('Discount above 20 % needs approval');
    const quote = (await rep.client.post(records('Quotes'), { fields: { Title: 'Too generous', 'Quote date': '2026-12-01', Discount: 0.4, Status: 'Sent' } })).body;
    await runWhen(wf, quote.id, 'waiting');
    const asked = (await manager.client.get('/api/me/approvals')).body.find((a: { recordId: string }) => a.recordId === quote.id);
    expect((await manager.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'reject', comment: 'Keep it at 20 %.' })).status).toBe(200);
    const done = await runWhen(wf, quote.id, 'succeeded');
    expect(done.steps.map((s) => [s.path, s.status])).toEqual([
      ['0', 'succeeded'],
      ['0.onReject.0', 'succeeded'],
      ['0.onReject.1', 'succeeded'],
      ['1', 'skipped'],
    ]);
    expect((await owner.get(records('Quotes', `/${quote.id}`))).body.fields).toMatchObject({ Status: 'Draft', Discount: 0.4 });
    const [note] = (await rep.client.get('/api/me/notifications')).body;
    expect(note.message).toBe('The discount of Q-000002 was not approved; the quote is back to Draft. Keep it at 20 %.');
  });
});

describe('leads', () => {
  it('greets a lead that comes through the web form', async () => {
    const form = (await owner.get(`/api/w/${ws}/sheets/Leads/forms`)).body[0];
    const token = (await owner.request('PUT', `/api/w/${ws}/sheets/Leads/forms/${form.id}/public`, { enabled: true })).body.public.token;
    const submitted = await server.anonymous.post(`/api/public/forms/${token}`, { fields: { Name: 'Eve Chen', Email: 'eve@example.com' } });
    expect(submitted.status).toBe(201);
    const greet = workflowNamed('Greet a new web lead');
    const run = await until('the greeting', async () => (await runsOf(greet)).find((r) => r.status !== 'running' && r.status !== 'queued'));
    expect(run, JSON.stringify(run)).toMatchObject({ status: 'succeeded' });
    expect((await owner.get(records('Leads', `/${run.recordId}`))).body.fields).toMatchObject({ Name: 'Eve Chen' });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope.to).toEqual(['eve@example.com']);
    expect(mail!.mail.subject).toBe('Thank you for getting in touch, Eve Chen');
    expect(mail!.mail.text).toContain('Hello Eve Chen,');
  });

  it('books a follow-up activity due in 2 days (in the workspace\'s time zone) when a lead becomes Qualified, once', async () => {
    const wf = workflowNamed('Follow up a qualified lead');
    // A time zone whose day is not UTC's now: the due date counts from the workspace's day.
    const zone = zoneAwayFromUtc();
    expect((await owner.patch(`/api/w/${ws}/settings`, { timeZone: zone })).status).toBe(200);
    const lead = (await rep.client.post(records('Leads'), { fields: { Name: 'Sam Lee', Company: 'Acme', Email: 'sam@example.com', Status: 'Contacted' } })).body;
    expect((await rep.client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Qualified' } })).status).toBe(200);
    const run = await runWhen(wf, lead.id, 'succeeded');
    // Still Qualified: no second activity.
    expect((await rep.client.patch(records('Leads', `/${lead.id}`), { fields: { Company: 'Acme Ltd', Status: 'Qualified' } })).status).toBe(200);
    const activity = (await rep.client.get(records('Activities', `/${run.steps[0]!.output.record.id}`))).body;
    const ranAt = new Date(run.steps[0]!.finishedAt ?? Date.now());
    expect(activity.fields).toMatchObject({ Subject: 'Follow up with Sam Lee (Acme)', Type: 'Task', Priority: 'High', 'Due date': dayIn(zone, 2, ranAt), 'Assigned to': { id: rep.userId } });
    expect(activity.fields.Lead).toEqual([expect.objectContaining({ id: lead.id })]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await runsOf(wf)).filter((r) => r.recordId === lead.id)).toHaveLength(1);
    expect((await owner.patch(`/api/w/${ws}/settings`, { timeZone: 'UTC' })).status).toBe(200);
  });
});

describe('contracts', () => {
  it('reminds the owner 30 days before the end date', async () => {
    const wf = workflowNamed('Contract ends in 30 days');
    const account = (await owner.post(records('Accounts'), { fields: { 'Account name': 'Acme' } })).body;
    const created = await owner.post(records('Contracts'), { fields: { Title: 'Support 2099', Account: [account.id], 'Start date': '2098-07-01', 'End date': '2099-06-30', Owner: ownerId } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const contract = created.body;
    const key = `date:${wf}:${contract.id}`;
    const job = await until('the reminder to be scheduled', async () => {
      const { rows } = await sql<{ run_at: Date }>`SELECT run_at FROM graphile_worker._private_jobs WHERE key = ${key}`.execute(server.db);
      return rows[0];
    });
    // 30 days before, at 09:00 in the workspace's time zone.
    expect(job.run_at.toISOString().slice(0, 10)).toBe('2099-05-31');
    const before = smtp.received.length;
    await sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = ${key}`.execute(server.db);
    await runWhen(wf, contract.id, 'succeeded');
    const notes = (await owner.get('/api/me/notifications')).body as { message: string; link: string }[];
    expect(notes[0]!.message).toBe('Contract C-00001 Support 2099 ends on 2099-06-30: time to talk about renewal.');
    // And an email to the owner's address, received by the SMTP server.
    const me = (await owner.get('/api/me')).body.user as { name: string; email: string };
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.envelope.to).toEqual([me.email]);
    expect(mail!.mail.subject).toBe('Contract C-00001 Support 2099 ends on 2099-06-30');
    expect(mail!.mail.text).toBe(`Hello ${me.name},\n\nContract C-00001 Support 2099 with Acme ends on 2099-06-30, in 30 days. Time to talk about its renewal.\n\nThe CRM`);
  });
});

describe('web leads in turn', () => {
  it('gives each new web lead to the next sales rep in turn (A, B, A) and tells them; other leads stay with whoever added them', async () => {
    const wf = workflowNamed('Assign a new web lead to a sales rep in turn');
    const other = await addMember(server, ws, 'rep2@example.com', 'editor');
    expect((await owner.patch(`/api/w/${ws}/members/${other.userId}`, { role: 'Sales rep' })).status).toBe(200);
    const [a, b] = [rep, other].sort((x, y) => (x.userId < y.userId ? -1 : 1)) as [typeof rep, typeof rep];
    const assigned: string[] = [];
    for (const [name, company] of [['Ada Web', 'Acme'], ['Bo Web', 'Betatech'], ['Cy Web', 'Codehow']] as const) {
      const created = await owner.post(records('Leads'), { fields: { Name: name, Company: company, Email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, Source: 'Website' } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const lead = created.body;
      await runWhen(wf, lead.id, 'succeeded');
      assigned.push((await owner.get(records('Leads', `/${lead.id}`))).body.fields.Owner.id);
    }
    expect(assigned).toEqual([a.userId, b.userId, a.userId]);
    const told = async (who: typeof rep) => ((await who.client.get('/api/me/notifications')).body as { message: string }[]).map((n) => n.message).filter((m) => m.startsWith('A new web lead'));
    expect(await told(a)).toEqual(['A new web lead is yours: Cy Web (Codehow)', 'A new web lead is yours: Ada Web (Acme)']);
    expect(await told(b)).toEqual(['A new web lead is yours: Bo Web (Betatech)']);
    // A lead from elsewhere keeps its owner.
    const phoned = (await owner.post(records('Leads'), { fields: { Name: 'Di Phone', Phone: '+886 2 1234 5678', Source: 'Referral' } })).body;
    expect((await runWhen(wf, phoned.id, 'succeeded')).steps.map((s) => s.status)).toEqual(['succeeded', 'skipped', 'skipped']);
    expect((await owner.get(records('Leads', `/${phoned.id}`))).body.fields.Owner.id).toBe(ownerId);
  });
});

describe('an exported workspace', () => {
  it('carries its workflows into the workspace that imports it', async () => {
    const exported = await owner.get(`/api/w/${ws}/template-export`);
    expect(exported.status).toBe(200);
    expect(exported.body.workflows).toHaveLength(5);
    const target = (await owner.post('/api/workspaces', { name: 'Copy' })).body.id as string;
    const imported = await owner.post(`/api/w/${target}/template-import`, { template: exported.body, language: 'en' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const shape = async (w: string) =>
      ((await owner.get(`/api/w/${w}/workflows`)).body as { name: string; enabled: boolean; trigger: unknown; steps: unknown[] }[])
        .map(({ name, enabled, trigger, steps }) => ({ name, enabled, trigger, steps }))
        .sort((a, b) => a.name.localeCompare(b.name));
    // The same workflows over the copied sheets (the form trigger: any form of the sheet, the forms being new).
    const copied = await shape(target);
    const original = (await shape(ws)).map((w) => (w.trigger as { type: string }).type === 'form_submitted' ? { ...w, trigger: { type: 'form_submitted', sheet: 'Leads' } } : w);
    expect(copied).toEqual(original);
  });
});
