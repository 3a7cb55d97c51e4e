import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../schema-engine/index.js';
import { inOneTransaction } from '../schema-engine/transaction.js';
import { enqueue, jobQueue } from '../server/jobs/enqueue.js';
import { startJobRunner } from '../server/jobs/runner.js';
import { fingerprint } from './helpers/fingerprint.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

interface JobRow {
  task: string;
  payload: unknown;
  run_at: Date;
  max_attempts: number;
  key: string | null;
}

/** The jobs waiting in graphile-worker's tables (the payload is only in its private table). */
async function jobs(db: Kysely<Database>): Promise<JobRow[]> {
  const { rows } = await sql<JobRow>`
    SELECT t.identifier AS task, j.payload, j.run_at, j.max_attempts, j.key
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    ORDER BY j.id`.execute(db);
  return rows;
}

// No runner: the jobs added here stay in the queue to be looked at.
let server: TestServer;
let workspaceId: string;
beforeAll(async () => {
  server = await startTestServer();
  workspaceId = (await server.setup()).workspaceId;
});
afterAll(() => server?.close());

describe('enqueue', () => {
  it('adds a job that commits with its transaction, with its run time, attempts and key', async () => {
    const runAt = new Date(Date.now() + 3_600_000);
    await server.db.transaction().execute((trx) => enqueue(trx, 'send_mail', { mailId: 'eml1' }, { runAt, maxAttempts: 3, jobKey: 'mail:eml1' }));
    const [job] = await jobs(server.db);
    expect(job).toEqual({ task: 'send_mail', payload: { mailId: 'eml1' }, run_at: runAt, max_attempts: 3, key: 'mail:eml1' });
    await sql`DELETE FROM graphile_worker._private_jobs`.execute(server.db);
  });

  it('leaves no job when its transaction rolls back', async () => {
    await expect(
      server.db.transaction().execute(async (trx) => {
        await enqueue(trx, 'send_mail', { mailId: 'eml2' });
        expect(await jobs(trx)).toHaveLength(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await jobs(server.db)).toEqual([]);
  });

  it('keeps one pending job per key, the latest', async () => {
    await enqueue(server.db, 'send_mail', { mailId: 'first' }, { jobKey: 'k' });
    await enqueue(server.db, 'send_mail', { mailId: 'second' }, { jobKey: 'k' });
    expect((await jobs(server.db)).map((j) => j.payload)).toEqual([{ mailId: 'second' }]);
    await sql`DELETE FROM graphile_worker._private_jobs`.execute(server.db);
  });

  it('is seen by the attack tests\' fingerprint, so a refused request that queued a job would show', async () => {
    const before = await fingerprint(server.db);
    await enqueue(server.db, 'send_mail', { mailId: 'seen' });
    expect(await fingerprint(server.db)).not.toBe(before);
    await sql`DELETE FROM graphile_worker._private_jobs`.execute(server.db);
  });

  it('refuses an unknown task, a bad payload or bad attempts, adding nothing', async () => {
    await expect(enqueue(server.db, 'send_mail', { mailId: 42 } as never)).rejects.toThrow(/send_mail: bad payload/);
    await expect(enqueue(server.db, 'send_mail', { mailId: 'x' }, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(server.db.transaction().execute((trx) => jobQueue.add(trx, 'no_such_task', {}))).rejects.toThrow(/no job task is named "no_such_task"/);
    expect(await jobs(server.db)).toEqual([]);
  });
});

describe("the engine's job queue", () => {
  it('is wired, and joins the transaction of several engine operations', async () => {
    expect(server.engine.jobs).toBe(jobQueue);
    const add = (fail: boolean) =>
      inOneTransaction(server.engine, workspaceId, async (scoped) => {
        await scoped.jobs!.add(scoped.db as Transaction<Database>, 'send_mail', { mailId: fail ? 'undone' : 'done' });
        if (fail) throw new Error('a later step failed');
      });
    await expect(add(true)).rejects.toThrow('a later step failed');
    await add(false);
    expect((await jobs(server.db)).map((j) => j.payload)).toEqual([{ mailId: 'done' }]);
    await sql`DELETE FROM graphile_worker._private_jobs`.execute(server.db);
  });
});

describe("the runner's liveness session", () => {
  it('registers every worker against its session, and again at once when that session is lost', async () => {
    const runner = await startJobRunner({ databaseUrl: server.databaseUrl, context: { engine: server.engine, mailer: server.mailer }, log: () => {}, concurrency: 2 });
    try {
      const registered = async () => (await sql<{ worker_id: string; backend_pid: number }>`SELECT worker_id, backend_pid FROM job_workers ORDER BY worker_id`.execute(server.db)).rows;
      const alive = async () => (await sql<{ alive: number }>`SELECT count(*)::int AS alive FROM job_workers w JOIN pg_stat_activity a ON a.pid = w.backend_pid AND a.backend_start = w.backend_start`.execute(server.db)).rows[0]!.alive;
      const before = await registered();
      expect(before).toHaveLength(2);
      expect(new Set(before.map((w) => w.backend_pid)).size).toBe(1);
      expect(await alive()).toBe(2);
      await sql`SELECT pg_terminate_backend(${before[0]!.backend_pid})`.execute(server.db);
      await until('the workers to be registered on a new session', async () => (await registered()).every((w) => w.backend_pid !== before[0]!.backend_pid) && (await alive()) === 2);
      expect((await registered()).map((w) => w.worker_id)).toEqual(before.map((w) => w.worker_id));
    } finally {
      await runner.stop();
    }
    // A clean stop leaves no registration behind.
    expect((await sql`SELECT 1 FROM job_workers`.execute(server.db)).rows).toHaveLength(0);
  });
});
