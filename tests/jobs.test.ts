import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../schema-engine/index.js';
import { inOneTransaction } from '../schema-engine/transaction.js';
import { enqueue, jobQueue } from '../server/jobs/enqueue.js';
import { fingerprint } from './helpers/fingerprint.js';
import { startTestServer, type TestServer } from './helpers/server.js';

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
