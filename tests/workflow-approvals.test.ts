import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from './helpers/fingerprint.js';
import { addMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

// Approvals with the real job runner: a discount above 20 % needs the sales manager before the quote can be Sent.
let server: TestServer;
let owner: Client;
let ws: string;
let manager: { client: Client; userId: string };
let rep: { client: Client; userId: string };
let other: { client: Client; userId: string };
let workflowId: string;

const quotes = (path = '') => `/api/w/${ws}/sheets/Quotes/records${path}`;


const runOf = async (recordId: string) => {
  const { runs } = (await owner.get(`/api/w/${ws}/workflows/${workflowId}/runs`)).body;
  return runs.find((r: { recordId: string }) => r.recordId === recordId);
};
const runWhen = (recordId: string, status: string) => until(`the run to be ${status}`, async () => ((await runOf(recordId))?.status === status ? runOf(recordId) : undefined));

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  ({ client: owner, workspaceId: ws } = await server.setup());
  manager = await addMember(server, ws, 'manager@example.com', 'editor');
  rep = await addMember(server, ws, 'rep@example.com', 'editor');
  other = await addMember(server, ws, 'other@example.com', 'editor');
  const team = await owner.post(`/api/w/${ws}/teams`, { name: 'Sales', manager: manager.userId });
  expect(team.status).toBe(201);
  await owner.patch(`/api/w/${ws}/members/${rep.userId}`, { teams: [team.body.id] });
  await owner.post(`/api/w/${ws}/sheets`, {
    name: 'Quotes',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Discount', type: 'percent' },
      { name: 'Status', type: 'single_select', options: { choices: [{ name: 'Draft' }, { name: 'Approved' }, { name: 'Sent' }, { name: 'Rejected' }] } },
      { name: 'Owner', type: 'user', options: { owner: true } },
    ],
  });
  const wf = await owner.post(`/api/w/${ws}/workflows`, {
    name: 'Discount approval',
    trigger: { type: 'record_matches', sheet: 'Quotes', condition: { '>': [{ var: 'Discount' }, 0.2] } },
    steps: [
      {
        type: 'approval',
        approvers: ['manager'],
        lockFields: ['Discount', 'Status'],
        message: '{{record.Name}} asks for a {{record.Discount}} discount',
        onReject: [{ type: 'update_record', fields: { Discount: 0.2 } }, { type: 'notify', users: ['{{record.Owner.id}}'], message: 'Discount of {{record.Name}} refused: {{steps.0.comment}}' }],
      },
      { type: 'update_record', fields: { Status: 'Approved' } },
    ],
  });
  expect(wf.status).toBe(201);
  workflowId = wf.body.id;
});
afterAll(() => server?.close());

describe('an approval', () => {
  it('asks the manager of the owner\'s team, locks the fields, and goes on when approved', async () => {
    const quote = (await rep.client.post(quotes(), { fields: { Name: 'Q1', Discount: 0.3, Status: 'Draft' } })).body;
    const waiting = await runWhen(quote.id, 'waiting');
    expect(waiting.steps.map((s: { status: string }) => s.status)).toEqual(['waiting', 'pending']);

    const [asked] = (await manager.client.get('/api/me/approvals')).body;
    expect(asked).toEqual({
      id: expect.stringMatching(/^apr/),
      workspaceId: ws,
      workflowId,
      runId: waiting.id,
      sheetId: expect.any(String),
      recordId: quote.id,
      title: 'Discount approval: Q1',
      message: 'Q1 asks for a 0.3 discount',
      requestedAt: expect.any(String),
    });
    expect((await rep.client.get('/api/me/approvals')).body).toEqual([]);
    const [bell] = (await manager.client.get('/api/me/notifications?unread=true')).body;
    expect(bell).toMatchObject({ message: 'Discount approval: Q1: Q1 asks for a 0.3 discount', link: `/w/${ws}/s/${asked.sheetId}/r/${quote.id}` });

    // Locked for everyone meanwhile, the owner of the workspace too; other fields are not.
    const before = await fingerprint(server.db);
    for (const client of [rep.client, owner]) {
      const res = await client.patch(quotes(`/${quote.id}`), { fields: { Status: 'Sent' } });
      expect(res.status).toBe(409);
      expect(res.body.error.details.fields).toEqual({ Status: 'is locked while "Discount approval: Q1" waits for approval' });
    }
    expect(await fingerprint(server.db)).toBe(before);
    expect((await rep.client.patch(quotes(`/${quote.id}`), { fields: { Name: 'Q1 (2027)' } })).status).toBe(200);

    // Only an approver decides, once.
    expect((await other.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'approve' })).status).toBe(403);
    expect((await manager.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'maybe' })).status).toBe(400);
    const decided = await manager.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'approve', comment: 'fine' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'approved', decidedBy: manager.userId, comment: 'fine' });
    expect((await manager.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'reject' })).status).toBe(409);

    const done = await runWhen(quote.id, 'succeeded');
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(done.steps[0].output).toMatchObject({ decision: 'approved', by: manager.userId, comment: 'fine' });
    expect((await owner.get(quotes(`/${quote.id}`))).body.fields).toMatchObject({ Status: 'Approved', Discount: 0.3 });
    expect((await manager.client.get('/api/me/approvals')).body).toEqual([]);
    // Unlocked once decided.
    expect((await rep.client.patch(quotes(`/${quote.id}`), { fields: { Status: 'Sent' } })).status).toBe(200);
  });

  it('runs the rejection steps and ends the run when rejected', async () => {
    const quote = (await rep.client.post(quotes(), { fields: { Name: 'Q2', Discount: 0.5, Status: 'Draft' } })).body;
    await runWhen(quote.id, 'waiting');
    const [asked] = (await manager.client.get('/api/me/approvals')).body;
    expect(asked.recordId).toBe(quote.id);
    expect((await manager.client.post(`/api/w/${ws}/approvals/${asked.id}`, { decision: 'reject', comment: 'too much' })).status).toBe(200);
    const done = await runWhen(quote.id, 'succeeded');
    expect(done.steps.map((s: { path: string; status: string }) => [s.path, s.status])).toEqual([
      ['0', 'succeeded'],
      ['0.onReject.0', 'succeeded'],
      ['0.onReject.1', 'succeeded'],
      ['1', 'skipped'],
    ]);
    expect((await owner.get(quotes(`/${quote.id}`))).body.fields).toMatchObject({ Status: 'Draft', Discount: 0.2 });
    const notes = (await rep.client.get('/api/me/notifications')).body;
    expect(notes[0].message).toBe('Discount of Q2 refused: too much');
  });

  it('is cancelled with its run, which unlocks the fields', async () => {
    const quote = (await rep.client.post(quotes(), { fields: { Name: 'Q3', Discount: 0.25 } })).body;
    const waiting = await runWhen(quote.id, 'waiting');
    expect((await rep.client.patch(quotes(`/${quote.id}`), { fields: { Discount: 0.1 } })).status).toBe(409);
    const cancelled = await owner.post(`/api/w/${ws}/runs/${waiting.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await manager.client.get('/api/me/approvals')).body).toEqual([]);
    expect((await rep.client.patch(quotes(`/${quote.id}`), { fields: { Discount: 0.1 } })).status).toBe(200);
  });
});
