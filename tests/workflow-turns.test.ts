import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeTurns, type TurnPlan } from '../schema-engine/workflows/steps/turns.js';
import { fingerprint } from './helpers/fingerprint.js';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

// "In turn" (`{"inTurn": [...]}` for a user field of an update or create step) with the real job runner: the turn
// goes round the active members, is kept in PostgreSQL and taken in the run's transaction.
let server: TestServer;
let client: Client;
let ws: string;
let ownerId: string;
let ann: { client: Client; userId: string };
let bob: { client: Client; userId: string };
/** The two reps in the order their turns come (by id). */
let first: { client: Client; userId: string };
let second: { client: Client; userId: string };
let workflowId: string;

const records = (sheet: string, path = '') => `/api/w/${ws}/sheets/${sheet}/records${path}`;
const wf = (path = '') => `/api/w/${ws}/workflows${path}`;

interface Run {
  id: string;
  status: string;
  error?: string;
  recordId?: string;
  steps: { index: number; type: string; status: string; output?: any; error?: string }[];
}
const runsOf = async (id: string): Promise<Run[]> => (await client.get(wf(`/${id}/runs`))).body.runs;
const runOn = (recordId: string) =>
  until(`the run on ${recordId} to end`, async () => (await runsOf(workflowId)).find((r) => r.recordId === recordId && !['queued', 'running'].includes(r.status)));
const setActive = async (userId: string, active: boolean) => expect((await client.patch(`/api/w/${ws}/members/${userId}`, { active })).status).toBe(200);

/** A web lead created by `by`, once its run has ended: its owner, and the run. */
async function webLead(name: string, by: Client = client): Promise<{ id: string; owner: string | undefined; run: Run }> {
  const created = await by.post(records('Leads'), { fields: { Name: name, Source: 'Web' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const run = await runOn(created.body.id);
  const lead = await client.get(records('Leads', `/${created.body.id}`));
  return { id: created.body.id, owner: lead.body.fields.Owner?.id, run };
}

const ASSIGN = {
  name: 'Assign web leads in turn',
  trigger: { type: 'record_created', sheet: 'Leads' },
  steps: [
    { type: 'condition', condition: { '==': [{ var: 'Source' }, 'Web'] } },
    { type: 'update_record', fields: { Owner: { inTurn: ['Rep'] } } },
    { type: 'notify', users: ['{{record.Owner.id}}'], message: 'Yours now: {{record.Name}} ({{record.Owner.email}})' },
  ],
};

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  ({ client, workspaceId: ws, userId: ownerId } = await server.setup());
  const leads = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Source', type: 'single_select', options: { choices: [{ name: 'Web' }, { name: 'Phone' }] } },
      { name: 'Owner', type: 'user', options: { owner: true } },
      { name: 'Score', type: 'number' },
    ],
  });
  expect(leads.status).toBe(201);
  expect((await client.post(`/api/w/${ws}/sheets`, { name: 'Tasks', fields: [{ name: 'Subject', type: 'text' }, { name: 'Assignee', type: 'user' }] })).status).toBe(201);
  // Reps read, add and change their own leads only: a lead handed to the other rep is gone for them.
  const own = { read: 'own', create: true, update: 'own', delete: 'none' };
  expect((await client.post(`/api/w/${ws}/roles`, { name: 'Rep', otherSheets: own })).status).toBe(201);
  ann = await addMember(server, ws, 'ann@example.com', 'editor');
  bob = await addMember(server, ws, 'bob@example.com', 'editor');
  for (const rep of [ann, bob]) await client.patch(`/api/w/${ws}/members/${rep.userId}`, { role: 'Rep' });
  [first, second] = [ann, bob].sort((a, b) => (a.userId < b.userId ? -1 : 1)) as [typeof ann, typeof bob];
});
afterAll(() => server?.close());

describe('saving an in-turn field', () => {
  it('refuses what names no role or member, a field that is not a user field and a malformed list, naming the step and field, changing nothing', async () => {
    const before = await fingerprint(server.db);
    const bad = async (fields: Record<string, unknown>, step: 'update_record' | 'create_record' = 'update_record') => {
      const res = await client.post(wf(), { ...ASSIGN, steps: [{ type: step, ...(step === 'create_record' ? { sheet: 'Tasks' } : {}), fields }] });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.details.fields as Record<string, string>;
    };
    expect(await bad({ Owner: { inTurn: ['Rep', 'Sales reps'] } })).toEqual({ 'steps.0.fields.Owner': '"Sales reps" is not a role, a member or a member\'s email of this workspace' });
    expect(await bad({ Assignee: { inTurn: ['nobody@example.com'] } }, 'create_record')).toEqual({ 'steps.0.fields.Assignee': '"nobody@example.com" is not a role, a member or a member\'s email of this workspace' });
    expect(await bad({ Name: { inTurn: ['Rep'] } })).toEqual({ 'steps.0.fields.Name': '"in turn" sets a user field; "Name" is a text field' });
    expect(await bad({ Owner: { inTurn: [] } })).toEqual({ 'steps.0.fields.Owner': 'inTurn: must name at least one role or member' });
    expect(await bad({ Owner: { inTurn: ['{{record.Owner.id}}'] } })).toEqual({ 'steps.0.fields.Owner': 'inTurn.0: names members or roles, not {{…}} placeholders' });
    expect(await bad({ Owner: { inTurn: 'Rep' } })).toEqual({ 'steps.0.fields.Owner': expect.stringMatching(/^inTurn: /) });
    expect(await bad({ Owner: { inTurn: ['Rep'], also: 1 } })).toEqual({ 'steps.0.fields.Owner': '"in turn" is {"inTurn": [roles or members]}, with no "also"' });
    expect(await fingerprint(server.db)).toBe(before);

    // Inside an approval's rejection steps too, and on a change.
    const ok = await client.post(wf(), { ...ASSIGN, name: 'Saved', enabled: false });
    expect(ok.status).toBe(201);
    const saved = await fingerprint(server.db);
    const reject = { type: 'approval', approvers: ['manager'], message: 'ok?', onReject: [{ type: 'update_record', fields: { Owner: { inTurn: ['Reps'] } } }] };
    const patched = await client.patch(wf(`/${ok.body.id}`), { steps: [reject] });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.fields).toEqual({ 'steps.0.onReject.0.fields.Owner': '"Reps" is not a role, a member or a member\'s email of this workspace' });
    expect(await fingerprint(server.db)).toBe(saved);
    expect((await client.delete(wf(`/${ok.body.id}`))).status).toBe(204);
  });

  it('stores role names, member ids and emails as given, and shows them so', async () => {
    const res = await client.post(wf(), { ...ASSIGN, enabled: false, steps: [{ type: 'update_record', fields: { Owner: { inTurn: ['Rep', ann.userId, 'BOB@example.com', 'Rep'] } } }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.steps).toEqual([{ type: 'update_record', record: 'trigger', sheet: 'Leads', fields: { Owner: { inTurn: ['Rep', ann.userId, 'BOB@example.com'] } } }]);
    expect((await client.delete(wf(`/${res.body.id}`))).status).toBe(204);
  });
});

describe('a new web lead goes to the reps in turn', () => {
  beforeAll(async () => {
    const res = await client.post(wf(), ASSIGN);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    workflowId = res.body.id;
  });

  it('a test run shows who is next, and takes no turn', async () => {
    const lead = (await client.post(records('Leads'), { fields: { Name: 'Tried', Source: 'Phone' } })).body;
    await runOn(lead.id);
    const tried = async () => (await client.post(wf(`/${workflowId}/test`), { recordId: lead.id })).body.steps;
    const steps = await tried();
    expect(steps[0]).toMatchObject({ status: 'would_run', would: { passed: false } });
    await client.patch(records('Leads', `/${lead.id}`), { fields: { Source: 'Web' } });
    const again = await tried();
    expect(again[1]).toEqual({
      index: 1,
      type: 'update_record',
      status: 'would_run',
      would: { sheet: 'Leads', record: lead.id, fields: { Owner: { inTurn: ['Rep'], next: { id: first.userId, name: expect.any(String), email: expect.any(String) } } } },
    });
    expect((await tried())[1].would.fields.Owner.next.id).toBe(first.userId);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM workflow_turns`.execute(server.db)).rows[0]!.n).toBe(0);
  });

  it('gives three leads to two reps as A, B, A, and tells each of them', async () => {
    const leads = [await webLead('One'), await webLead('Two'), await webLead('Three')];
    expect(leads.map((l) => l.run.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(leads.map((l) => l.owner)).toEqual([first.userId, second.userId, first.userId]);
    expect(leads[0]!.run.steps[1]!.output).toMatchObject({ record: { id: leads[0]!.id, Owner: { id: first.userId } }, assigned: { Owner: { id: first.userId } } });
    const told = async (rep: typeof ann) => ((await rep.client.get('/api/me/notifications')).body as { message: string }[]).map((n) => n.message).sort();
    const email = async (rep: typeof ann) => (await server.db.selectFrom('users').select('email').where('id', '=', rep.userId).executeTakeFirstOrThrow()).email;
    expect(await told(first)).toEqual([`Yours now: One (${await email(first)})`, `Yours now: Three (${await email(first)})`]);
    expect(await told(second)).toEqual([`Yours now: Two (${await email(second)})`]);
    // A lead from elsewhere is left as it is.
    const phone = (await client.post(records('Leads'), { fields: { Name: 'Phoned', Source: 'Phone' } })).body;
    expect((await runOn(phone.id)).steps.map((s) => s.status)).toEqual(['succeeded', 'skipped', 'skipped']);
    expect((await client.get(records('Leads', `/${phone.id}`))).body.fields.Owner.id).toBe(ownerId);
  });

  it('hands a rep\'s own web lead on in turn, the next steps still reading it though the rep no longer may', async () => {
    // B's turn: the lead A adds goes to B, and A no longer sees it.
    const lead = await webLead('Added by A', first.client);
    expect(lead.run.status).toBe('succeeded');
    expect(lead.owner).toBe(second.userId);
    expect((await first.client.get(records('Leads', `/${lead.id}`))).status).toBe(404);
    expect(((await second.client.get('/api/me/notifications')).body as { message: string }[])[0]!.message).toMatch(/^Yours now: Added by A \(/);
  });

  it('passes over a deactivated rep, and gives them their turn again once active', async () => {
    // A's turn; with B away, A takes every turn.
    await setActive(second.userId, false);
    const away = [await webLead('Four'), await webLead('Five')];
    expect(away.map((l) => l.owner)).toEqual([first.userId, first.userId]);
    await setActive(second.userId, true);
    expect((await webLead('Six')).owner).toBe(second.userId);
    await setActive(first.userId, false);
    expect((await webLead('Seven')).owner).toBe(second.userId);
    await setActive(first.userId, true);
  });

  it('fails the step, saying why, when the role has no active member, and changes nothing', async () => {
    await setActive(ann.userId, false);
    await setActive(bob.userId, false);
    const turn = await sql<{ last_user_id: string }>`SELECT last_user_id FROM workflow_turns WHERE workflow_id = ${workflowId}`.execute(server.db);
    const lead = await webLead('Nobody');
    expect(lead.run.status).toBe('failed');
    expect(lead.run.error).toBe('Step 2 (update_record) failed: cannot set "Owner" in turn: "Rep" has no active member');
    expect(lead.run.steps.map((s) => [s.status, s.error ?? null])).toEqual([
      ['succeeded', null],
      ['failed', 'cannot set "Owner" in turn: "Rep" has no active member'],
      ['skipped', null],
    ]);
    expect(lead.owner).toBe(ownerId);
    expect((await sql<{ last_user_id: string }>`SELECT last_user_id FROM workflow_turns WHERE workflow_id = ${workflowId}`.execute(server.db)).rows).toEqual(turn.rows);
    await setActive(ann.userId, true);
    await setActive(bob.userId, true);
  });

  it('takes turns exactly once each when many runs go at once', async () => {
    const last = (await sql<{ last_user_id: string }>`SELECT last_user_id FROM workflow_turns WHERE workflow_id = ${workflowId}`.execute(server.db)).rows[0]!.last_user_id;
    const created = await client.post(records('Leads'), { records: Array.from({ length: 10 }, (_, i) => ({ fields: { Name: `Batch ${i}`, Source: 'Web' } })) });
    expect(created.status).toBe(201);
    const ids = (created.body.records as { id: string }[]).map((r) => r.id);
    const runs = await Promise.all(ids.map((id) => runOn(id)));
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const owners = runs.map((r) => r.steps[1]!.output.assigned.Owner.id as string);
    expect(owners.filter((o) => o === first.userId)).toHaveLength(5);
    expect(owners.filter((o) => o === second.userId)).toHaveLength(5);
    // Ten turns from where it stood: back to the same rep.
    expect((await sql<{ last_user_id: string }>`SELECT last_user_id FROM workflow_turns WHERE workflow_id = ${workflowId}`.execute(server.db)).rows[0]!.last_user_id).toBe(last);
  });
});

describe('the turn in PostgreSQL', () => {
  it('makes a second transaction wait for the first and take the turn after it', async () => {
    const members = [ann, bob].map((m) => ({ id: m.userId, name: '', email: '' })).sort((a, b) => (a.id < b.id ? -1 : 1));
    const plan: TurnPlan = { fieldId: 'fldx', fieldName: 'X', among: ['Rep'], members, next: members[0]! };
    const step = { workflowId, path: 'lock-test' };
    let later: Promise<string> | undefined;
    const earlier = await server.db.transaction().execute(async (trx) => {
      const taken = await takeTurns(trx, step, [plan]);
      later = server.db.transaction().execute(async (other) => (await takeTurns(other, step, [plan])).values.fldx!);
      // The second waits on the first's row (PostgreSQL says so) until the first commits.
      await until('the second transaction to wait for the lock', async () => {
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO workflow_turns%'`.execute(server.db);
        return rows[0]!.n > 0;
      });
      return taken.values.fldx!;
    });
    expect(earlier).toBe(members[0]!.id);
    expect(await later!).toBe(members[1]!.id);
  });
});
