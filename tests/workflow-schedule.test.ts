import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextOccurrence } from '../schema-engine/index.js';
import { enqueue } from '../server/jobs/enqueue.js';
import { startJobRunner, type JobRunner } from '../server/jobs/runner.js';
import { Mailer } from '../server/mail/mailer.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

const at = (iso: string) => new Date(iso);

describe('next occurrence of a schedule, in the time zone', () => {
  it('daily, weekly and monthly', () => {
    // 20:00 in Taipei: today's 09:00 has passed.
    expect(nextOccurrence({ type: 'schedule', every: 'day', at: '09:00' }, 'Asia/Taipei', at('2026-12-07T12:00:00Z')).toISOString()).toBe('2026-12-08T01:00:00.000Z');
    // 08:00 in Taipei: today's 09:00 is still to come.
    expect(nextOccurrence({ type: 'schedule', every: 'day', at: '09:00' }, 'Asia/Taipei', at('2026-12-07T00:00:00Z')).toISOString()).toBe('2026-12-07T01:00:00.000Z');
    // Exactly at the time: the next one.
    expect(nextOccurrence({ type: 'schedule', every: 'day', at: '09:00' }, 'UTC', at('2026-12-07T09:00:00Z')).toISOString()).toBe('2026-12-08T09:00:00.000Z');
    // Monday 2026-12-07; Friday is the 11th.
    expect(nextOccurrence({ type: 'schedule', every: 'week', weekday: 5, at: '17:30' }, 'UTC', at('2026-12-07T10:00:00Z')).toISOString()).toBe('2026-12-11T17:30:00.000Z');
    expect(nextOccurrence({ type: 'schedule', every: 'week', at: '08:00' }, 'UTC', at('2026-12-07T10:00:00Z')).toISOString()).toBe('2026-12-14T08:00:00.000Z');
    // The 31st of a shorter month is its last day.
    expect(nextOccurrence({ type: 'schedule', every: 'month', day: 31, at: '06:00' }, 'UTC', at('2027-02-01T00:00:00Z')).toISOString()).toBe('2027-02-28T06:00:00.000Z');
    expect(nextOccurrence({ type: 'schedule', every: 'month', day: 31, at: '06:00' }, 'UTC', at('2027-02-28T07:00:00Z')).toISOString()).toBe('2027-03-31T06:00:00.000Z');
  });

  it('follows daylight saving time, and moves a time that does not exist forward', () => {
    expect(nextOccurrence({ type: 'schedule', every: 'day', at: '09:00' }, 'America/New_York', at('2026-07-01T00:00:00Z')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(nextOccurrence({ type: 'schedule', every: 'day', at: '09:00' }, 'America/New_York', at('2026-12-01T00:00:00Z')).toISOString()).toBe('2026-12-01T14:00:00.000Z');
    // 02:30 does not exist on 2027-03-14 in New York: 03:30 EDT.
    expect(nextOccurrence({ type: 'schedule', every: 'day', at: '02:30' }, 'America/New_York', at('2027-03-14T05:00:00Z')).toISOString()).toBe('2027-03-14T07:30:00.000Z');
  });
});

describe('scheduled workflows on the queue', () => {
  let server: TestServer;
  let client: Client;
  let ws: string;
  let userId: string;
  let second: JobRunner;
  let mailer: Mailer;

  const scheduleJobs = async () => {
    const { rows } = await sql<{ payload: any; run_at: Date; key: string }>`
      SELECT j.payload, j.run_at, j.key FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'workflow_schedule' ORDER BY j.id`.execute(server.db);
    return rows;
  };


  beforeAll(async () => {
    server = await startTestServer({ jobs: true });
    ({ client, workspaceId: ws, userId } = await server.setup());
    // A second server's runner on the same database.
    mailer = new Mailer({ from: 'CRM <crm@example.com>' });
    second = await startJobRunner({ databaseUrl: server.databaseUrl, context: { engine: server.engine, mailer }, log: () => {}, concurrency: 2, pollInterval: 250 });
    await client.post(`/api/w/${ws}/sheets`, { name: 'Reports', fields: [{ name: 'Title', type: 'text' }] });
  });
  afterAll(async () => {
    await second?.stop();
    await server?.close();
  });

  it('settings carry the time zone; a bad one is a 400 naming it', async () => {
    expect((await client.get(`/api/w/${ws}/settings`)).body).toEqual({ name: expect.any(String), timeZone: 'UTC', locale: 'en' });
    const bad = await client.patch(`/api/w/${ws}/settings`, { timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields)).toEqual(['timeZone']);
    expect((await client.patch(`/api/w/${ws}/settings`, { timeZone: 'Asia/Taipei' })).body).toMatchObject({ timeZone: 'Asia/Taipei' });
  });

  it('fires once per due time however many servers run, as the author, and queues the next', async () => {
    const wf = await client.post(`/api/w/${ws}/workflows`, {
      name: 'Daily report',
      trigger: { type: 'schedule', every: 'day', at: '09:00' },
      steps: [{ type: 'create_record', sheet: 'Reports', fields: { Title: 'Report of {{user.name}}' } }],
    });
    expect(wf.status).toBe(201);
    const [job] = await scheduleJobs();
    const expected = nextOccurrence({ type: 'schedule', every: 'day', at: '09:00' }, 'Asia/Taipei', new Date());
    expect(job).toMatchObject({ key: `schedule:${wf.body.id}`, payload: { workflowId: wf.body.id, version: 1, at: expected.toISOString() } });
    expect(job!.run_at.toISOString()).toBe(expected.toISOString());

    // Made due now (its payload keeps the time it was meant for: the clock the next firing follows).
    await sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = ${`schedule:${wf.body.id}`}`.execute(server.db);
    const runs = await (async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const body = (await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body;
        if (body.runs.length && body.runs.every((r: { status: string }) => r.status === 'succeeded')) return body.runs;
        if (Date.now() > deadline) throw new Error('no run');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // The same firing delivered again (two copies of its job, on two runners) starts no second run.
    await enqueue(server.db, 'workflow_schedule', { workflowId: wf.body.id, version: 1, at: expected.toISOString() });
    await enqueue(server.db, 'workflow_schedule', { workflowId: wf.body.id, version: 1, at: expected.toISOString() });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body.runs).toHaveLength(1);
    expect(runs[0].recordId).toBeUndefined();
    const reports = (await client.get(`/api/w/${ws}/sheets/Reports/records`)).body.records;
    expect(reports.map((r: { fields: { Title: string } }) => r.fields.Title)).toEqual(['Report of Owner']);
    const history = (await client.get(`/api/w/${ws}/sheets/Reports/records/${reports[0].id}/history`)).body;
    expect(history[0]).toMatchObject({ by: { id: userId }, via: { workflowId: wf.body.id, name: 'Daily report' } });
    const [next] = await scheduleJobs();
    expect(next!.payload.at).toBe(new Date(expected.getTime() + 86_400_000).toISOString());
  });

  it('a firing of an older version or of a workflow turned off does nothing', async () => {
    const wf = await client.post(`/api/w/${ws}/workflows`, { name: 'Weekly', trigger: { type: 'schedule', every: 'week', weekday: 1, at: '07:00' }, steps: [] });
    await client.patch(`/api/w/${ws}/workflows/${wf.body.id}`, { enabled: false });
    await sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = ${`schedule:${wf.body.id}`}`.execute(server.db);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body.runs).toEqual([]);
    expect((await scheduleJobs()).filter((j) => j.key === `schedule:${wf.body.id}`)).toEqual([]);
    // Turned on again: scheduled again.
    await client.patch(`/api/w/${ws}/workflows/${wf.body.id}`, { enabled: true });
    expect((await scheduleJobs()).filter((j) => j.key === `schedule:${wf.body.id}`)).toHaveLength(1);
  });

  it('date triggers: each record fires N days before its date at a time, rescheduled when the date changes', async () => {
    await client.post(`/api/w/${ws}/sheets`, { name: 'Contracts', fields: [{ name: 'Name', type: 'text' }, { name: 'End', type: 'date' }] });
    const contracts = (path = '') => `/api/w/${ws}/sheets/Contracts/records${path}`;
    const before = (await client.post(contracts(), { fields: { Name: 'Existing', End: '2099-01-31' } })).body;
    const past = (await client.post(contracts(), { fields: { Name: 'Ended', End: '2001-01-31' } })).body;
    const wf = await client.post(`/api/w/${ws}/workflows`, {
      name: 'Renewal reminder',
      trigger: { type: 'date', sheet: 'Contracts', field: 'End', offsetDays: -30, at: '09:00' },
      steps: [{ type: 'notify', users: ['{{user.id}}'], message: '{{record.Name}} ends on {{record.End}}' }],
    });
    expect(wf.status).toBe(201);
    const dateJobs = async () => {
      const { rows } = await sql<{ payload: any; run_at: Date; key: string }>`
        SELECT j.payload, j.run_at, j.key FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
        WHERE t.identifier = 'workflow_date' ORDER BY j.key`.execute(server.db);
      return rows;
    };
    // Taipei 09:00 on 2099-01-01 is 01:00 UTC; the ended contract gets nothing.
    expect((await dateJobs()).map((j) => [j.key, j.payload.at, j.run_at.toISOString()])).toEqual([[`date:${wf.body.id}:${before.id}`, '2099-01-01T01:00:00.000Z', '2099-01-01T01:00:00.000Z']]);
    const after = (await client.post(contracts(), { fields: { Name: 'New', End: '2099-06-30' } })).body;
    await client.patch(contracts(`/${before.id}`), { fields: { End: '2099-03-01' } });
    await client.patch(contracts(`/${past.id}`), { fields: { Name: 'Still ended' } });
    const jobs = await until('the firings to be rescheduled', async () => {
      const rows = await dateJobs();
      return rows.length === 2 && rows.some((j) => j.payload.at === '2099-01-30T01:00:00.000Z') && rows;
    });
    expect(jobs.map((j) => [j.key, j.payload.at]).sort()).toEqual(
      [
        [`date:${wf.body.id}:${before.id}`, '2099-01-30T01:00:00.000Z'],
        [`date:${wf.body.id}:${after.id}`, '2099-05-31T01:00:00.000Z'],
      ].sort(),
    );
    // Made due now: the reminder runs on its record, as the author.
    await sql`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = ${`date:${wf.body.id}:${after.id}`}`.execute(server.db);
    const run = await until('the reminder run', async () => {
      const { runs } = (await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body;
      return runs[0]?.status === 'succeeded' && runs[0];
    });
    expect(run.recordId).toBe(after.id);
    expect(run.steps[0].output.message).toBe('New ends on 2099-06-30');
    expect((await client.get(`/api/w/${ws}/workflows/${wf.body.id}/runs`)).body.runs).toHaveLength(1);
  });
});
