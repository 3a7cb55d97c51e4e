import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { createDb, createPool } from '../server/database.js';
import { jobQueue } from '../server/jobs/enqueue.js';
import { createEngine } from '../schema-engine/index.js';
import { fingerprint } from './helpers/fingerprint.js';
import { addMember } from './helpers/members.js';
import { clientOf, sessionCookie, startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let leads: { id: string; fields: { id: string; name: string }[] };
let activities: { id: string; fields: { id: string; name: string }[] };
const fieldId = (sheet: typeof leads, name: string) => sheet.fields.find((f) => f.name === name)!.id;

const url = (path = '') => `/api/w/${ws}/workflows${path}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
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
  activities = (
    await client.post(`/api/w/${ws}/sheets`, {
      name: 'Activities',
      fields: [
        { name: 'Subject', type: 'text' },
        { name: 'Due', type: 'date' },
        { name: 'Created', type: 'created_time' },
      ],
    })
  ).body;
});
afterAll(() => server?.close());

const QUALIFIED = {
  name: 'Qualified lead follow-up',
  trigger: {
    type: 'record_updated',
    sheet: 'Leads',
    fields: ['Status'],
    condition: { and: [{ '==': [{ var: 'Status' }, 'Qualified'] }, { '!=': [{ var: '$old.Status' }, 'Qualified'] }] },
  },
  steps: [
    { type: 'create_record', sheet: 'Activities', fields: { Subject: 'Call {{record.Name}}' } },
    { type: 'send_email', to: '{{record.Email}}', subject: 'Hello {{record.Name}}', body: 'We will call you.' },
  ],
};

describe('workflows: create, read, change, delete', () => {
  let id: string;

  it('creates a workflow, stored with ids and shown with names', async () => {
    const res = await client.post(url(), QUALIFIED);
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(id).toMatch(/^wfl/);
    expect(res.body).toMatchObject({ name: QUALIFIED.name, enabled: true, version: 1, trigger: QUALIFIED.trigger });
    expect(res.body.steps).toEqual([
      { type: 'create_record', sheet: 'Activities', fields: { Subject: 'Call {{record.Name}}' } },
      { type: 'send_email', to: ['{{record.Email}}'], cc: [], subject: 'Hello {{record.Name}}', body: 'We will call you.' },
    ]);
    expect(res.body).not.toHaveProperty('secret');
    const version = await server.db.selectFrom('workflow_versions').selectAll().where('workflow_id', '=', id).executeTakeFirstOrThrow();
    const status = fieldId(leads, 'Status');
    expect(version.trigger).toEqual({
      type: 'record_updated',
      sheet: leads.id,
      fields: [status],
      condition: { and: [{ '==': [{ var: status }, 'Qualified'] }, { '!=': [{ var: `$old.${status}` }, 'Qualified'] }] },
    });
    expect((version.steps as any[])[0]).toEqual({ type: 'create_record', sheet: activities.id, fields: { [fieldId(activities, 'Subject')]: 'Call {{record.Name}}' } });
    const row = await server.db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ trigger_type: 'record_updated', trigger_sheet_id: leads.id });
    expect(row.secret.length).toBeGreaterThanOrEqual(40);
    expect(res.body.webhookSecret).toBe(row.secret);
  });

  it('lists and reads it, following renames of sheets and fields', async () => {
    expect((await client.get(url())).body.map((w: { id: string }) => w.id)).toEqual([id]);
    const renamed = await client.patch(`/api/w/${ws}/sheets/Leads/fields/Status`, { name: 'Stage' });
    expect(renamed.status).toBe(200);
    const res = await client.get(url(`/${id}`));
    expect(res.body.trigger.fields).toEqual(['Stage']);
    expect(res.body.trigger.condition).toEqual({ and: [{ '==': [{ var: 'Stage' }, 'Qualified'] }, { '!=': [{ var: '$old.Stage' }, 'Qualified'] }] });
    await client.patch(`/api/w/${ws}/sheets/Leads/fields/Stage`, { name: 'Status' });
  });

  it('makes a new version on every change, but not for turning it off', async () => {
    const off = await client.patch(url(`/${id}`), { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, version: 1 });
    const changed = await client.patch(url(`/${id}`), { steps: [{ type: 'notify', users: ['owner@example.com'], message: 'Qualified: {{record.Name}}' }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, enabled: false, trigger: QUALIFIED.trigger });
    const versions = await server.db.selectFrom('workflow_versions').select(['version', 'steps']).where('workflow_id', '=', id).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((versions[0]!.steps as unknown[]).length).toBe(2);
    const renamed = await client.patch(url(`/${id}`), { name: 'Renamed', enabled: true });
    expect(renamed.body).toMatchObject({ name: 'Renamed', version: 3, enabled: true });
  });

  it('writes every change to the audit log', async () => {
    const entries = (await client.get(`/api/w/${ws}/audit`)).body.entries.filter((e: { target: { kind: string } }) => e.target.kind === 'workflow');
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['workflow.update', 'workflow.update', 'workflow.update', 'workflow.create']);
    expect(entries[0].target).toEqual({ kind: 'workflow', id, name: 'Renamed' });
  });

  it('deletes it: gone from the list, 404 by id', async () => {
    expect((await client.delete(url(`/${id}`))).status).toBe(204);
    expect((await client.get(url())).body).toEqual([]);
    expect((await client.get(url(`/${id}`))).status).toBe(404);
    expect((await client.delete(url(`/${id}`))).status).toBe(404);
  });
});

describe('workflows: bad input is a 400 naming where, and changes nothing', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['no name', { ...QUALIFIED, name: '' }, 'name', /empty/],
    ['unknown trigger type', { ...QUALIFIED, trigger: { type: 'whenever', sheet: 'Leads' } }, 'trigger.type', /record_created/],
    ['unknown sheet', { ...QUALIFIED, trigger: { type: 'record_created', sheet: 'Nope' } }, 'trigger.sheet', /no sheet "Nope"/],
    ['unknown trigger field', { ...QUALIFIED, trigger: { type: 'record_updated', sheet: 'Leads', fields: ['Nope'] } }, 'trigger.fields.0', /no field "Nope"/],
    ['unknown field in a condition', { ...QUALIFIED, trigger: { type: 'record_matches', sheet: 'Leads', condition: { '==': [{ var: '$old.Nope' }, 1] } } }, 'trigger.condition', /unknown field "\$old.Nope"/],
    ['unknown step type', { ...QUALIFIED, steps: [{ type: 'dance' }] }, 'steps.0.type', /condition/],
    ['unknown field in a mapping', { ...QUALIFIED, steps: [{ type: 'create_record', sheet: 'Activities', fields: { Nope: 1 } }] }, 'steps.0.fields.Nope', /no field "Nope"/],
    ['computed field in a mapping', { ...QUALIFIED, steps: [{ type: 'create_record', sheet: 'Activities', fields: { Created: 'x' } }] }, 'steps.0.fields.Created', /read-only/],
    ['broken placeholder', { ...QUALIFIED, steps: [{ type: 'send_email', to: 'a@example.com', subject: 'Hi {{record.Name', body: '' }] }, 'steps.0.subject', /line 1/],
    ['unknown helper', { ...QUALIFIED, steps: [{ type: 'notify', users: ['x'], message: '{{shout record.Name}}' }] }, 'steps.0.message', /no helper "shout"/],
    ['missing subject', { ...QUALIFIED, steps: [{ type: 'send_email', to: 'a@example.com', body: '' }] }, 'steps.0.subject', /.+/],
    ['extra key', { ...QUALIFIED, steps: [{ type: 'condition', condition: { var: 'Name' }, extra: 1 }] }, 'steps.0', /extra/],
    ['trigger record of another sheet', { ...QUALIFIED, steps: [{ type: 'update_record', sheet: 'Activities', fields: { Subject: 'x' } }] }, 'steps.0.record', /not of "Activities"/],
    ['a wait of two kinds', { ...QUALIFIED, steps: [{ type: 'wait', days: 1, minutes: 5 }] }, 'steps.0', /one of minutes, days or until/],
    ['a date trigger on a text field', { ...QUALIFIED, trigger: { type: 'date', sheet: 'Leads', field: 'Name', offsetDays: -30, at: '09:00' } }, 'trigger.field', /not a date field/],
    ['a weekly schedule with a day', { ...QUALIFIED, trigger: { type: 'schedule', every: 'week', day: 3, at: '09:00' } }, 'trigger.day', /weekday/],
    ['a schedule at a bad time', { ...QUALIFIED, trigger: { type: 'schedule', every: 'day', at: '25:00' } }, 'trigger.at', /HH:MM/],
  ];
  it.each(cases)('%s', async (_what, body, field, message) => {
    const before = await fingerprint(server.db);
    const res = await client.post(url(), body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details.fields)).toEqual([field]);
    expect(res.body.error.details.fields[field]).toMatch(message);
    expect(res.body.error.message).toContain(field);
    expect(await fingerprint(server.db)).toBe(before);
  });

  it('a bad patch changes nothing', async () => {
    const { body } = await client.post(url(), { ...QUALIFIED, name: 'Keeps' });
    const before = await fingerprint(server.db);
    const res = await client.patch(url(`/${body.id}`), { trigger: { type: 'record_created', sheet: 'Nope' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual({ 'trigger.sheet': 'there is no sheet "Nope"' });
    expect(await fingerprint(server.db)).toBe(before);
    await client.delete(url(`/${body.id}`));
  });
});

describe('workflows: design permission', () => {
  it('an editor can neither read nor change workflows (403), and nothing changes', async () => {
    const { body } = await client.post(url(), { ...QUALIFIED, name: 'Admins only' });
    const editor = (await addMember(server, ws, 'editor@example.com', 'editor')).client;
    const before = await fingerprint(server.db);
    expect((await editor.get(url())).status).toBe(403);
    expect((await editor.get(url(`/${body.id}`))).status).toBe(403);
    expect((await editor.post(url(), QUALIFIED)).status).toBe(403);
    expect((await editor.patch(url(`/${body.id}`), { enabled: false })).status).toBe(403);
    expect((await editor.delete(url(`/${body.id}`))).status).toBe(403);
    expect(await fingerprint(server.db)).toBe(before);
    await client.delete(url(`/${body.id}`));
  });
});

describe('record events: in the write transaction, only for watched sheets', () => {
  // This server runs no jobs: the events stay in the queue to be looked at.
  const events = async () => {
    const { rows } = await sql<{ payload: any; queue: string | null }>`
      SELECT j.payload, q.queue_name AS queue FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
      WHERE t.identifier = 'workflow_event' ORDER BY j.id`.execute(server.db);
    return rows;
  };
  const clear = () => sql`DELETE FROM graphile_worker._private_jobs`.execute(server.db);

  it('adds no event for a sheet no enabled workflow watches', async () => {
    await clear();
    const { body } = await client.post(url(), { name: 'Off', enabled: false, trigger: { type: 'record_created', sheet: 'Leads' }, steps: [] });
    await client.post(`/api/w/${ws}/sheets/Activities/records`, { fields: { Subject: 'no workflow here' } });
    await client.post(`/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'watched by a disabled one only' } });
    expect(await events()).toEqual([]);
    await client.delete(url(`/${body.id}`));
  });

  it('adds one event per write, with the values written and before, in the sheet\'s queue', async () => {
    const { body } = await client.post(url(), { name: 'On', trigger: { type: 'record_matches', sheet: 'Leads', condition: { '>': [{ var: 'Score' }, 0] } }, steps: [] });
    const created = await client.post(`/api/w/${ws}/sheets/Leads/records`, { records: [{ fields: { Name: 'A', Score: 1 } }, { fields: { Name: 'B' } }] });
    await client.patch(`/api/w/${ws}/sheets/Leads/records/${created.body.records[0].id}`, { fields: { Score: 2 } });
    // A write that changes nothing is no event.
    await client.patch(`/api/w/${ws}/sheets/Leads/records/${created.body.records[0].id}`, { fields: { Score: 2 } });
    const [create, update, ...more] = await events();
    expect(more).toEqual([]);
    const name = fieldId(leads, 'Name');
    const score = fieldId(leads, 'Score');
    expect(create!.queue).toBe(`wf:${leads.id}`);
    expect(create!.payload).toMatchObject({ workspaceId: ws, sheetId: leads.id, action: 'create', records: [{ values: { [name]: 'A', [score]: 1 } }, { values: { [name]: 'B', [score]: null } }] });
    expect(update!.payload).toMatchObject({ action: 'update', records: [{ id: created.body.records[0].id, values: { [score]: 2 }, old: { [score]: 1 }, changed: [score] }] });
    await client.delete(url(`/${body.id}`));
    await clear();
  });

  it('adds no create event to a sheet watched only for updates, nor an update event to one watched only for creates', async () => {
    const { body } = await client.post(url(), { name: 'Updates', trigger: { type: 'record_updated', sheet: 'Leads' }, steps: [] });
    const created = await client.post(`/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'C' } });
    expect(await events()).toEqual([]);
    await client.patch(`/api/w/${ws}/sheets/Leads/records/${created.body.id}`, { fields: { Name: 'D' } });
    expect((await events()).map((e) => e.payload.action)).toEqual(['update']);
    await client.patch(url(`/${body.id}`), { trigger: { type: 'record_created', sheet: 'Leads' } });
    await client.patch(`/api/w/${ws}/sheets/Leads/records/${created.body.id}`, { fields: { Name: 'E' } });
    expect((await events()).map((e) => e.payload.action)).toEqual(['update']);
    await client.delete(url(`/${body.id}`));
    await clear();
  });

  it("adds the event on another server whose cached catalog predates the workflow, and none once it is off there", async () => {
    // A second server on the database that hears no NOTIFY: its cached catalog (which says what the sheet's workflows
    // watch) goes stale, and only the catalog version checked in each write tells it so.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-files-'));
    const db2 = createDb(createPool(server.databaseUrl, 2));
    const app2 = await buildApp({ engine: createEngine(db2, () => {}, jobQueue), dataDir, logLevel: 'silent', clientDir: '/nonexistent' });
    try {
      const login = await clientOf(app2).post('/api/auth/login', { email: 'owner@example.com', password: 'correct horse' });
      const other = clientOf(app2, sessionCookie(login.headers));
      await clear();
      expect((await other.post(`/api/w/${ws}/sheets/Activities/records`, { fields: { Subject: 'cached before' } })).status).toBe(201);
      expect(await events()).toEqual([]);
      const { body } = await client.post(url(), { name: 'Elsewhere', trigger: { type: 'record_created', sheet: 'Activities' }, steps: [] });
      expect((await other.post(`/api/w/${ws}/sheets/Activities/records`, { fields: { Subject: 'after' } })).status).toBe(201);
      expect((await events()).map((e) => e.payload.action)).toEqual(['create']);
      await client.patch(url(`/${body.id}`), { enabled: false });
      expect((await other.post(`/api/w/${ws}/sheets/Activities/records`, { fields: { Subject: 'off again' } })).status).toBe(201);
      expect(await events()).toHaveLength(1);
      await client.delete(url(`/${body.id}`));
      await clear();
    } finally {
      await app2.close();
      await db2.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('adds nothing when the write is refused and rolls back', async () => {
    const { body } = await client.post(url(), { name: 'On', trigger: { type: 'record_created', sheet: 'Leads' }, steps: [] });
    await client.post(`/api/w/${ws}/sheets/Leads/rules`, { condition: { '<=': [{ var: 'Score' }, 100] }, message: 'Score at most 100' });
    await clear();
    const res = await client.post(`/api/w/${ws}/sheets/Leads/records`, { records: [{ fields: { Name: 'ok', Score: 1 } }, { fields: { Name: 'too much', Score: 101 } }] });
    expect(res.status).toBe(400);
    expect(await events()).toEqual([]);
    await client.delete(url(`/${body.id}`));
  });
});

describe('workflows: whatever is sent, a 201 or a 400, never a 500', () => {
  it('random bodies and random triggers and steps', async () => {
    const fc = (await import('fast-check')).default;
    const text = fc.oneof(fc.constantFrom('Leads', 'Activities', 'Name', 'Status', 'Score', '$old.Status', '{{record.Name}}', '{{#each}}', '', 'Nope', '__proto__', 'constructor'), fc.string({ maxLength: 20 }));
    const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 2 }));
    const condition = fc.oneof(value, fc.record({ '==': fc.tuple(fc.record({ var: text }), value) }));
    const trigger = fc.record(
      { type: fc.oneof(fc.constantFrom('record_created', 'record_updated', 'record_matches', 'form_submitted', 'schedule', 'date', 'button'), text), sheet: text, fields: fc.array(text, { maxLength: 2 }), condition, every: text, at: fc.constantFrom('09:00', '24:00', 'x'), field: text, offsetDays: fc.integer({ min: -5000, max: 5000 }), label: text },
      { requiredKeys: ['type'] },
    );
    const step = fc.record(
      {
        type: fc.oneof(fc.constantFrom('condition', 'update_record', 'create_record', 'send_email', 'webhook', 'notify', 'wait', 'approval'), text),
        condition,
        sheet: text,
        record: text,
        fields: fc.dictionary(text, value, { maxKeys: 3 }),
        to: fc.oneof(text, fc.array(text, { maxLength: 2 })),
        subject: text,
        body: value,
        url: fc.constantFrom('http://example.com/x', 'ftp://x', '{{record.Name}}', 'not a url'),
        users: fc.array(text, { maxLength: 2 }),
        approvers: fc.array(text, { maxLength: 2 }),
        message: text,
        minutes: fc.integer({ min: -1, max: 100 }),
        lockFields: fc.array(text, { maxLength: 2 }),
      },
      { requiredKeys: ['type'] },
    );
    const body = fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), fc.record({ name: text, enabled: fc.oneof(fc.boolean(), text), trigger, steps: fc.array(step, { maxLength: 3 }) }, { requiredKeys: ['name', 'trigger', 'steps'] }));
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const res = await client.post(url(), input);
        if (res.status === 201) {
          await client.delete(url(`/${res.body.id}`));
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(Object.keys(res.body.error.details?.fields ?? {}).length, JSON.stringify(res.body)).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 14 },
    );
  }, 120_000);
});
