import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from './helpers/fingerprint.js';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { until } from './helpers/until.js';

// The real job runner and a real SMTP server on loopback: events, runs and mails go through graphile-worker.
let server: TestServer;
let smtp: TestSmtpServer;
let client: Client;
let ws: string;
let ownerId: string;
type Sheet = { id: string; fields: { id: string; name: string }[] };
let leads: Sheet;
const fieldId = (sheet: Sheet, name: string) => sheet.fields.find((f) => f.name === name)!.id;

const wf = (path = '') => `/api/w/${ws}/workflows${path}`;
const records = (sheet: string, path = '') => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}/records${path}`;


interface Run {
  id: string;
  status: string;
  depth: number;
  error?: string;
  recordId?: string;
  steps: { index: number; type: string; status: string; output?: any; error?: string; attempts: number }[];
}

const runsOf = async (workflowId: string): Promise<Run[]> => (await client.get(wf(`/${workflowId}/runs`))).body.runs;
/** Waits until the workflow has `count` runs, all ended; answers them oldest first. */
const endedRuns = (workflowId: string, count: number) =>
  until(`${count} ended runs of ${workflowId}`, async () => {
    const runs = await runsOf(workflowId);
    return runs.length >= count && runs.every((r) => !['queued', 'running'].includes(r.status)) && runs.reverse();
  });
/** No job left to run (events dispatched, runs done). */
const idle = () =>
  until('the job queue to empty', async () => {
    const { rows } = await (await import('kysely')).sql<{ n: string }>`SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE last_error IS NULL OR attempts < max_attempts`.execute(server.db);
    return Number(rows[0]!.n) === 0;
  });

async function createWorkflow(body: unknown): Promise<string> {
  const res = await client.post(wf(), body);
  if (res.status !== 201) throw new Error(`workflow not created: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({ jobs: true, smtpUrl: smtp.url, mailFrom: 'CRM <crm@example.com>' });
  ({ client, workspaceId: ws, userId: ownerId } = await server.setup());
  leads = (
    await client.post(`/api/w/${ws}/sheets`, {
      name: 'Leads',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Qualified' }, { name: 'Lost' }] } },
        { name: 'Email', type: 'email' },
        { name: 'Score', type: 'number' },
      ],
    })
  ).body;
  await client.post(`/api/w/${ws}/sheets`, { name: 'Activities', fields: [{ name: 'Subject', type: 'text' }, { name: 'Lead name', type: 'text' }] });
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

describe('record_created', () => {
  let id: string;
  afterAll(() => client.patch(wf(`/${id}`), { enabled: false }));

  it('runs every step: a record created, an email with the values filled in, a notification', async () => {
    id = await createWorkflow({
      name: 'Greet a new lead',
      trigger: { type: 'record_created', sheet: 'Leads' },
      steps: [
        { type: 'create_record', sheet: 'Activities', fields: { Subject: 'Call {{record.Name}}', 'Lead name': '{{record.Name}}' } },
        { type: 'send_email', to: '{{record.Email}}', cc: ['{{user.email}}'], subject: 'Welcome, {{record.Name}} & co', body: 'Hello {{record.Name}},\nactivity {{steps.0.record.id}} is booked.' },
        { type: 'notify', users: ['{{user.id}}'], message: 'New lead: {{record.Name}}' },
      ],
    });
    const lead = await client.post(records('Leads'), { fields: { Name: 'Ann <b>', Email: 'ann@example.com', Status: 'New' } });
    expect(lead.status).toBe(201);
    const [run] = await endedRuns(id, 1);
    expect(run).toMatchObject({ status: 'succeeded', recordId: lead.body.id, depth: 1 });
    expect(run!.steps.map((s) => [s.type, s.status, s.attempts])).toEqual([
      ['create_record', 'succeeded', 1],
      ['send_email', 'succeeded', 1],
      ['notify', 'succeeded', 1],
    ]);
    const activityId = run!.steps[0]!.output.record.id;
    const activity = await client.get(records('Activities', `/${activityId}`));
    expect(activity.body.fields).toEqual({ Subject: 'Call Ann <b>', 'Lead name': 'Ann <b>' });

    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope.to.sort()).toEqual(['ann@example.com', 'owner@example.com']);
    expect(mail!.mail.subject).toBe('Welcome, Ann <b> & co');
    expect(mail!.mail.text).toContain(`Hello Ann <b>,\nactivity ${activityId} is booked.`);
    // In the HTML part the values are escaped.
    expect(mail!.mail.html).toContain('Hello Ann &lt;b&gt;,<br>');
    expect(run!.steps[1]!.output).toMatchObject({ to: ['ann@example.com'], cc: ['owner@example.com'], subject: 'Welcome, Ann <b> & co' });

    const unread = await client.get('/api/me/notifications?unread=true');
    expect(unread.body).toEqual([{ id: expect.stringMatching(/^ntf/), at: expect.any(String), workspaceId: ws, message: 'New lead: Ann <b>', link: `/w/${ws}/s/${leads.id}/r/${lead.body.id}`, read: false }]);
    expect((await client.post('/api/me/notifications/read', { ids: [unread.body[0].id] })).body).toEqual({ updated: 1 });
    expect((await client.get('/api/me/notifications?unread=true')).body).toEqual([]);
    expect((await client.get('/api/me/notifications')).body[0].read).toBe(true);
    expect((await client.post('/api/me/notifications/read', { ids: 'x' })).status).toBe(400);
  });

  it('shows in the history of the records it wrote as the workflow', async () => {
    const [run] = await runsOf(id);
    const activityId = run!.steps[0]!.output.record.id;
    const history = (await client.get(records('Activities', `/${activityId}/history`))).body;
    expect(history[0]).toMatchObject({ action: 'create', by: { id: ownerId }, via: { workflowId: id, runId: run!.id, name: 'Greet a new lead' } });
    const lead = (await client.get(records('Leads', `/${run!.recordId}/history`))).body;
    expect(lead[0].via).toBeUndefined();
  });
});

describe('record_updated', () => {
  it('fires only when a listed field changed and the condition on the values before and after holds', async () => {
    const id = await createWorkflow({
      name: 'Qualified',
      trigger: {
        type: 'record_updated',
        sheet: 'Leads',
        fields: ['Status'],
        condition: { and: [{ '==': [{ var: 'Status' }, 'Qualified'] }, { '!=': [{ var: '$old.Status' }, 'Qualified'] }] },
      },
      steps: [{ type: 'create_record', sheet: 'Activities', fields: { Subject: 'Follow up {{record.Name}} (was {{old.Status}})' } }],
    });
    const anyStatus = await createWorkflow({
      name: 'Status changed',
      trigger: { type: 'record_updated', sheet: 'Leads', fields: ['Status'] },
      steps: [{ type: 'notify', users: ['{{user.id}}'], message: '{{old.Status}} to {{record.Status}}' }],
    });
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Bob', Status: 'New' } })).body;
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Score: 5 } }); // not a listed field
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Qualified' } }); // fires
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Qualified', Score: 6 } }); // Status unchanged
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Lost' } }); // condition false
    await idle();
    const runs = await endedRuns(id, 1);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.steps[0]!.output.record.Subject).toBe('Follow up Bob (was New)');
    const changes = await endedRuns(anyStatus, 2);
    expect(changes.map((r) => r.steps[0]!.output.message)).toEqual(['New to Qualified', 'Qualified to Lost']);
    await client.patch(wf(`/${id}`), { enabled: false });
    await client.patch(wf(`/${anyStatus}`), { enabled: false });
  });

  it('reads the values of its own write, not a later one', async () => {
    const id = await createWorkflow({
      name: 'Status snapshot',
      trigger: { type: 'record_updated', sheet: 'Leads', condition: { '==': [{ var: 'Status' }, 'Qualified'] } },
      steps: [{ type: 'condition', condition: { '==': [{ var: '$old.Status' }, 'New'] } }, { type: 'notify', users: ['owner@example.com'], message: '{{record.Name}} is {{record.Status}}' }],
    });
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Quick', Status: 'New' } })).body;
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Qualified' } });
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Lost' } });
    const [run] = await endedRuns(id, 1);
    expect(run!.steps[1]!.output.message).toBe('Quick is Qualified');
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});

describe('record_matches', () => {
  it('fires once each time a record comes to match', async () => {
    const id = await createWorkflow({
      name: 'Hot lead',
      trigger: { type: 'record_matches', sheet: 'Leads', condition: { '>=': [{ var: 'Score' }, 50] } },
      steps: [{ type: 'notify', users: ['{{user.id}}'], message: '{{record.Name}} is hot ({{record.Score}})' }],
    });
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Carl', Score: 10 } })).body;
    for (const score of [60, 70, 20, 80, 90]) {
      await client.patch(records('Leads', `/${lead.id}`), { fields: { Score: score } });
    }
    const created = (await client.post(records('Leads'), { fields: { Name: 'Dora', Score: 99 } })).body;
    await idle();
    const runs = await endedRuns(id, 3);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.steps[0]!.output.message)).toEqual(['Carl is hot (60)', 'Carl is hot (80)', 'Dora is hot (99)']);
    expect(runs.map((r) => r.recordId)).toEqual([lead.id, lead.id, created.id]);
    // Deleted, it no longer matches; restored, it comes to match again.
    expect((await client.delete(records('Leads', `/${lead.id}`))).status).toBe(200);
    expect((await client.post(records('Leads', `/${lead.id}/restore`))).status).toBe(200);
    await idle();
    const again = await endedRuns(id, 4);
    expect(again.map((r) => r.steps[0]!.output.message)).toEqual(['Carl is hot (60)', 'Carl is hot (80)', 'Dora is hot (99)', 'Carl is hot (90)']);
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});

describe('form_submitted', () => {
  it('fires for a public form, acting as the workflow author, and not for records written without the form', async () => {
    const form = (await client.post(`/api/w/${ws}/sheets/Leads/forms`, { name: 'Web lead' })).body;
    await client.post(`/api/w/${ws}/sheets/Leads/forms/${form.id}/publish`, {});
    const token = (await client.request('PUT', `/api/w/${ws}/sheets/Leads/forms/${form.id}/public`, { enabled: true })).body.public.token;
    const id = await createWorkflow({
      name: 'Web lead',
      trigger: { type: 'form_submitted', sheet: 'Leads', form: form.id },
      steps: [{ type: 'update_record', fields: { Status: 'New', Score: '{{add record.Score 1}}' } }],
    });
    const submitted = await server.anonymous.post(`/api/public/forms/${token}`, { fields: { Name: 'Eve', Score: 41 } });
    expect(submitted.status).toBe(201);
    await client.post(records('Leads'), { fields: { Name: 'Not through the form' } });
    await idle();
    const runs = await endedRuns(id, 1);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'succeeded' });
    const eve = (await client.get(records('Leads', `/${runs[0]!.recordId}`))).body;
    expect(eve.fields).toMatchObject({ Name: 'Eve', Status: 'New', Score: 42 });
    const history = (await client.get(records('Leads', `/${eve.id}/history`))).body;
    expect(history[0]).toMatchObject({ action: 'update', by: { id: ownerId }, via: { workflowId: id, name: 'Web lead' } });
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});

describe('a chain of workflows', () => {
  it('stops at depth 10 with the run failed saying why', async () => {
    await client.post(`/api/w/${ws}/sheets`, { name: 'Loop', fields: [{ name: 'Name', type: 'text' }, { name: 'Count', type: 'number' }] });
    const id = await createWorkflow({
      name: 'Count up',
      trigger: { type: 'record_updated', sheet: 'Loop', fields: ['Count'] },
      steps: [{ type: 'update_record', fields: { Count: '{{add record.Count 1}}' } }],
    });
    const rec = (await client.post(records('Loop'), { fields: { Name: 'x', Count: 0 } })).body;
    await client.patch(records('Loop', `/${rec.id}`), { fields: { Count: 1 } });
    const runs = await endedRuns(id, 10);
    expect(runs.map((r) => r.depth)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(runs.slice(0, 9).every((r) => r.status === 'succeeded')).toBe(true);
    expect(runs[9]).toMatchObject({ status: 'failed', error: expect.stringMatching(/triggered each other 10 deep/) });
    await idle();
    expect((await runsOf(id)).length).toBe(10);
    expect((await client.get(records('Loop', `/${rec.id}`))).body.fields.Count).toBe(10);
  });
});

describe('a refused write inside a run', () => {
  it('fails the step with a clear error, changes nothing, and can be retried once allowed', async () => {
    const role = await client.post(`/api/w/${ws}/roles`, {
      name: 'Scorer-less',
      sheets: { [leads.id]: { read: 'all', create: true, update: 'all', delete: 'none', fields: { [fieldId(leads, 'Score')]: 'read_only' } } },
      otherSheets: { read: 'all', create: true, update: 'all', delete: 'none' },
    });
    expect(role.status).toBe(201);
    const member = await addMember(server, ws, 'rep@example.com', 'editor');
    expect((await client.patch(`/api/w/${ws}/members/${member.userId}`, { role: 'Scorer-less' })).status).toBe(200);
    const id = await createWorkflow({
      name: 'Score on qualify',
      trigger: { type: 'record_updated', sheet: 'Leads', fields: ['Status'] },
      steps: [{ type: 'update_record', fields: { Score: 100 } }, { type: 'notify', users: ['{{user.id}}'], message: 'scored' }],
    });
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Fay', Score: 1 } })).body;
    expect((await member.client.patch(records('Leads', `/${lead.id}`), { fields: { Status: 'Qualified' } })).status).toBe(200);
    const [run] = await endedRuns(id, 1);
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Step 1 \(update_record\) failed: "Score" is read-only for your role/) });
    expect(run!.steps.map((s) => [s.status, s.attempts])).toEqual([
      ['failed', 1],
      ['skipped', 0],
    ]);
    expect(run!.steps[0]!.error).toMatch(/"Score" is read-only/);
    expect((await client.get(records('Leads', `/${lead.id}`))).body.fields.Score).toBe(1);

    // Allowed now: the run goes again from the failed step.
    await client.patch(`/api/w/${ws}/roles/Scorer-less`, { sheets: { [leads.id]: { read: 'all', create: true, update: 'all', delete: 'none' } } });
    const retried = await client.post(`/api/w/${ws}/runs/${run!.id}/retry`);
    expect(retried.status).toBe(200);
    const done = await until('the retried run', async () => {
      const res = await client.get(`/api/w/${ws}/runs/${run!.id}`);
      return res.body.status === 'succeeded' && res.body;
    });
    expect(done.steps.map((s: { status: string; attempts: number }) => [s.status, s.attempts])).toEqual([
      ['succeeded', 2],
      ['succeeded', 1],
    ]);
    expect((await client.get(records('Leads', `/${lead.id}`))).body.fields.Score).toBe(100);
    expect((await client.post(`/api/w/${ws}/runs/${run!.id}/retry`)).status).toBe(409);
    expect((await client.post(`/api/w/${ws}/runs/${run!.id}/cancel`)).status).toBe(409);
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});

describe('test runs and buttons', () => {
  it('a test run says what each step would do and does nothing', async () => {
    const id = await createWorkflow({
      name: 'Try me',
      enabled: false,
      trigger: { type: 'record_created', sheet: 'Leads' },
      steps: [
        { type: 'update_record', fields: { Status: 'Qualified' } },
        { type: 'send_email', to: '{{record.Email}}', subject: 'Hi {{record.Name}}', body: 'Body' },
        { type: 'condition', condition: { '>': [{ var: 'Score' }, 1000] } },
        { type: 'notify', users: ['owner@example.com'], message: 'never' },
      ],
    });
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Gus', Email: 'gus@example.com', Score: 3 } })).body;
    await idle();
    const before = await fingerprint(server.db);
    const res = await client.post(wf(`/${id}/test`), { recordId: lead.id });
    expect(res.status).toBe(200);
    expect(res.body.steps).toEqual([
      { index: 0, type: 'update_record', status: 'would_run', would: { sheet: 'Leads', record: lead.id, fields: { Status: 'Qualified' } } },
      { index: 1, type: 'send_email', status: 'would_run', would: { to: ['gus@example.com'], cc: [], subject: 'Hi Gus', text: 'Body' } },
      { index: 2, type: 'condition', status: 'would_run', would: { passed: false } },
      { index: 3, type: 'notify', status: 'skipped' },
    ]);
    expect(await fingerprint(server.db)).toBe(before);
    expect((await client.post(wf(`/${id}/test`), {})).status).toBe(400);
    expect((await client.post(wf(`/${id}/test`), { recordId: '999999' })).status).toBe(400);
  });

  it('a button starts a run on its record (202) acting as who pressed it', async () => {
    const id = await createWorkflow({
      name: 'Mark lost',
      trigger: { type: 'button', sheet: 'Leads', label: 'Lost' },
      steps: [{ type: 'update_record', fields: { Status: 'Lost' } }],
    });
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Hal' } })).body;
    const res = await client.post(records('Leads', `/${lead.id}/buttons/${id}`));
    expect(res.status).toBe(202);
    expect(res.body.runId).toMatch(/^run/);
    const run = await until('the button run', async () => {
      const r = await client.get(`/api/w/${ws}/runs/${res.body.runId}`);
      return r.body.status === 'succeeded' && r.body;
    });
    expect(run.recordId).toBe(lead.id);
    expect((await client.get(records('Leads', `/${lead.id}`))).body.fields.Status).toBe('Lost');
    expect((await client.post(records('Leads', `/999999/buttons/${id}`))).status).toBe(404);
    const other = await createWorkflow({ name: 'Not a button', trigger: { type: 'record_created', sheet: 'Activities' }, steps: [] });
    expect((await client.post(records('Leads', `/${lead.id}/buttons/${other}`))).status).toBe(404);
  });

  it("lists a sheet's buttons: its enabled button workflows, by label, to those who read it", async () => {
    const shown = await createWorkflow({ name: 'Call', trigger: { type: 'button', sheet: 'Leads', label: 'Call now' }, steps: [] });
    const off = await createWorkflow({ name: 'Off', enabled: false, trigger: { type: 'button', sheet: 'Leads', label: 'Hidden' }, steps: [] });
    const elsewhere = await createWorkflow({ name: 'Elsewhere', trigger: { type: 'button', sheet: 'Activities', label: 'Log' }, steps: [] });
    const res = await client.get(`/api/w/${ws}/sheets/Leads/buttons`);
    expect(res.status).toBe(200);
    const ids = (res.body as { id: string; label: string }[]).map((b) => b.id);
    expect(res.body).toEqual(expect.arrayContaining([{ id: shown, label: 'Call now' }]));
    expect(ids).not.toContain(off);
    expect(ids).not.toContain(elsewhere);
    expect((await client.get(`/api/w/${ws}/sheets/Activities/buttons`)).body).toEqual([{ id: elsewhere, label: 'Log' }]);
    await client.delete(wf(`/${shown}`));
    expect((await client.get(`/api/w/${ws}/sheets/Leads/buttons`)).body.map((b: { id: string }) => b.id)).not.toContain(shown);
    expect((await client.get(`/api/w/${ws}/sheets/Nope/buttons`)).status).toBe(404);
  });
});

describe('wait step', () => {
  it('leaves the queue until its time, then goes on (its job made due early, its clock the due time)', async () => {
    const id = await createWorkflow({
      name: 'Nudge later',
      trigger: { type: 'record_created', sheet: 'Activities' },
      steps: [{ type: 'wait', minutes: 30 }, { type: 'notify', users: ['{{user.id}}'], message: 'nudge {{record.Subject}} at {{now}}' }],
    });
    const started = Date.now();
    const act = (await client.post(records('Activities'), { fields: { Subject: 'Later' } })).body;
    const waiting = await until('the run to wait', async () => {
      const [run] = await runsOf(id);
      return run?.status === 'waiting' && run;
    });
    expect(waiting.steps.map((s) => s.status)).toEqual(['waiting', 'pending']);
    const { sql } = await import('kysely');
    const { rows } = await sql<{ run_at: Date; payload: any }>`SELECT run_at, payload FROM graphile_worker._private_jobs WHERE key = ${`run:${waiting.id}`}`.execute(server.db);
    const due = new Date(waiting.steps[0]!.output.until);
    expect(due.getTime() - started).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(rows).toEqual([{ run_at: due, payload: { runId: waiting.id, at: due.toISOString() } }]);
    await sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = ${`run:${waiting.id}`}`.execute(server.db);
    const done = await until('the run to end', async () => {
      const [run] = await runsOf(id);
      return run?.status === 'succeeded' && run;
    });
    expect(done).toMatchObject({ status: 'succeeded', recordId: act.id });
    expect(done!.steps[1]!.output.message).toBe(`nudge Later at ${due.toISOString()}`);
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});

describe('update_record on a linked record', () => {
  it('updates the record a placeholder names (the trigger record\'s linked account)', async () => {
    await client.post(`/api/w/${ws}/sheets`, { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }, { name: 'Last lead', type: 'text' }] });
    await client.post(`/api/w/${ws}/sheets/Leads/fields`, { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
    const id = await createWorkflow({
      name: 'Touch the account',
      trigger: { type: 'record_created', sheet: 'Leads' },
      steps: [{ type: 'update_record', sheet: 'Accounts', record: '{{record.Account.[0].id}}', fields: { 'Last lead': '{{record.Name}}' } }],
    });
    const acme = (await client.post(records('Accounts'), { fields: { Name: 'Acme' } })).body;
    await client.post(records('Leads'), { fields: { Name: 'Ivy', Account: [acme.id] } });
    const [run] = await endedRuns(id, 1);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect((await client.get(records('Accounts', `/${acme.id}`))).body.fields['Last lead']).toBe('Ivy');
    // No account: the placeholder gives no id, and the step says so.
    await client.post(records('Leads'), { fields: { Name: 'Orphan' } });
    const runs = await endedRuns(id, 2);
    expect(runs[1]).toMatchObject({ status: 'failed', error: expect.stringMatching(/gave no record id/) });
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});

describe('send_email with the record\'s document', () => {
  it('attaches the document rendered for the record, as HTML', async () => {
    const doc = await client.post(`/api/w/${ws}/sheets/Leads/documents`, { name: 'Lead sheet', template: '<h1>Lead {{Name}}</h1><p>Score {{Score}}</p>' });
    expect(doc.status).toBe(201);
    const bad = await client.post(wf(), { name: 'x', trigger: { type: 'record_created', sheet: 'Leads' }, steps: [{ type: 'send_email', to: 'a@example.com', subject: 's', body: 'b', document: 'No such document' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual({ 'steps.0.document': 'the trigger\'s sheet has no document "No such document"' });
    const id = await createWorkflow({
      name: 'Send the lead sheet',
      trigger: { type: 'record_created', sheet: 'Leads' },
      steps: [{ type: 'send_email', to: 'sales@example.com', subject: 'Lead {{record.Name}}', body: 'Attached.', document: 'Lead sheet' }],
    });
    const before = smtp.received.length;
    await client.post(records('Leads'), { fields: { Name: 'Jo', Score: 77 } });
    const [run] = await endedRuns(id, 1);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run!.steps[0]!.output.attachments).toEqual(['Lead sheet · Jo.html']);
    const mails = await smtp.waitFor(before + 1);
    const mail = mails.at(-1)!;
    expect(mail.mail.subject).toBe('Lead Jo');
    const [attachment] = mail.mail.attachments;
    expect(attachment).toMatchObject({ filename: 'Lead sheet · Jo.html', contentType: 'text/html' });
    expect(attachment!.content.toString('utf8')).toContain('<h1>Lead Jo</h1><p>Score 77</p>');
    await client.patch(wf(`/${id}`), { enabled: false });
  });
});
