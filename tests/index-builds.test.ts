// Index builds are jobs (schema-engine/schema-changes/index-builds.ts): queued in the schema change's transaction, run
// after its commit by the job queue, one per workspace at a time on any server, retried when they fail, and nothing
// for a sheet dropped meanwhile. No runner here: `server.buildIndexes()` runs the queued builds when a test says so.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFor, addField, buildSheetIndexes, fieldInputSchema, repairSearchIndexes } from '../schema-engine/index.js';
import { inOneTransaction } from '../schema-engine/transaction.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { watchStatements } from './helpers/statements.js';
import { until } from './helpers/until.js';

let server: TestServer;
let client: Client;
let ws: string;
let userId: string;
let observer: pg.Client;

interface BuildJob {
  payload: unknown;
  key: string | null;
  attempts: number;
  last_error: string | null;
  due: boolean;
}

async function buildJobs(): Promise<BuildJob[]> {
  const { rows } = await sql<BuildJob>`
    SELECT j.payload, j.key, j.attempts, j.last_error, j.run_at <= now() AS due
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'build_indexes' ORDER BY j.id`.execute(server.db);
  return rows;
}

/** The search indexes of a sheet's table, with their oid (a rebuilt index has a new one). */
async function searchIndexes(sheetId: string): Promise<{ name: string; oid: number; valid: boolean }[]> {
  const { rows } = await sql<{ name: string; oid: number; valid: boolean }>`
    SELECT c.relname AS name, c.oid::int AS oid, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ${`ws_${ws}.s_${sheetId}`}::regclass AND c.relname LIKE 'x\\_%' ORDER BY c.relname`.execute(server.db);
  return rows;
}

async function createSheet(name: string): Promise<string> {
  const res = await client.post(`/api/w/${ws}/sheets`, { name, fields: [{ name: 'Name', type: 'text' }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const addText = async (sheet: string, name: string) => {
  const res = await client.post(`/api/w/${ws}/sheets/${sheet}/fields`, { name, type: 'text' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
};

/** An open snapshot: a CREATE INDEX CONCURRENTLY waits for it to end before it finishes. */
async function holdSnapshot(): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: server.databaseUrl });
  await holder.connect();
  await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await holder.query('SELECT 1 FROM sheets LIMIT 1');
  return holder;
}

async function release(holder: pg.Client): Promise<void> {
  await holder.query('ROLLBACK');
  await holder.end();
}

/** The sessions of this test's database whose last statement matches. */
async function sessions(pattern: RegExp, state?: string): Promise<number[]> {
  const { rows } = await observer.query<{ pid: number; query: string; state: string }>(
    'SELECT pid, query, state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return rows.filter((r) => pattern.test(r.query) && (!state || r.state === state)).map((r) => r.pid);
}

/** Waits for a build of the sheet's search index to be running and waiting (for a held snapshot); answers its session. */
const runningBuild = (sheetId: string) =>
  until('a search index build waiting', async () => (await sessions(new RegExp(`CREATE INDEX CONCURRENTLY.*s_${sheetId}`), 'active'))[0]);

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws, userId } = await server.setup());
  observer = new pg.Client({ connectionString: server.databaseUrl });
  await observer.connect();
  await server.buildIndexes();
});
afterAll(async () => {
  await observer?.end();
  await server?.close();
});

describe('an index build job', () => {
  it('is queued in the schema change\'s transaction: one per sheet however many changes, none for a change undone', async () => {
    const sheetId = await createSheet('Queued');
    const job = { payload: { workspaceId: ws, sheetId }, key: `indexes:${sheetId}`, attempts: 0, last_error: null, due: true };
    expect(await buildJobs()).toEqual([job]);
    await addText('Queued', 'Note');
    await addText('Queued', 'Other note');
    expect(await buildJobs()).toEqual([job]);
    // Refused: nothing changed, nothing queued.
    expect((await client.post(`/api/w/${ws}/sheets/Queued/fields`, { name: 'Note', type: 'text' })).status).toBe(400);
    await server.buildIndexes();
    expect(await buildJobs()).toEqual([]);
    // Several changes in one transaction that fails at its end: their jobs go with it.
    const access = await accessFor(server.engine, ws, userId);
    await expect(
      inOneTransaction(server.engine, ws, async (scoped) => {
        await addField(scoped, access, 'Queued', fieldInputSchema.parse({ name: 'Undone', type: 'text' }));
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(await buildJobs()).toEqual([]);
    expect((await searchIndexes(sheetId)).map((i) => i.valid)).toEqual([true]);
  });

  it('does nothing when run again for an index already built, or for a sheet deleted before it ran', async () => {
    const sheetId = await createSheet('Again');
    await server.buildIndexes();
    const built = await searchIndexes(sheetId);
    expect(built).toEqual([expect.objectContaining({ valid: true })]);
    await server.db.transaction().execute((trx) => server.engine.jobs!.add(trx, 'build_indexes', { workspaceId: ws, sheetId }));
    await server.buildIndexes();
    expect(await searchIndexes(sheetId)).toEqual(built);

    const goneId = await createSheet('Gone soon');
    expect((await client.delete(`/api/w/${ws}/sheets/Gone soon`)).status).toBe(200);
    expect(await buildJobs()).toEqual([expect.objectContaining({ payload: { workspaceId: ws, sheetId: goneId } })]);
    await server.buildIndexes();
    expect(await buildJobs()).toEqual([]);
    expect(await searchIndexes(goneId)).toEqual([]);
  });

  it('keeps the workspace\'s next schema change, and its other builds, waiting while it runs', async () => {
    await createSheet('First');
    await createSheet('Second');
    await server.buildIndexes();
    const firstId = (await client.get(`/api/w/${ws}/sheets/First`)).body.id;
    const holder = await holdSnapshot();
    await addText('First', 'Memo');
    await addText('Second', 'Memo');
    // Runs the builds one after the other: the first waits for the held snapshot, holding the workspace's lock.
    const building = server.buildIndexes();
    await runningBuild(firstId);
    const watch = watchStatements();
    const polls = (pattern: RegExp) => watch.seen.filter((st) => pattern.test(st.text)).length;
    try {
      // A build of the same workspace elsewhere (another server's runner) polls for the lock, building nothing yet.
      const other = buildSheetIndexes(server.engine, ws, firstId);
      await until('the other build to poll for the lock', async () => polls(/pg_try_advisory_lock\(/) >= 3);
      // A schema change waits too (its DDL would deadlock with the build): its transaction finds the build running
      // before doing anything, and begins again until it has ended.
      const change = client.post(`/api/w/${ws}/sheets/Second/fields`, { name: 'Waited', type: 'text' });
      await until('the change to poll for the builds', async () => polls(/pg_try_advisory_xact_lock_shared/) >= 3);
      expect(await sql`SELECT 1 FROM fields WHERE name = 'Waited'`.execute(server.db).then((r) => r.rows)).toEqual([]);
      expect(await sessions(/CREATE INDEX CONCURRENTLY/, 'active')).toHaveLength(1);

      await release(holder);
      expect((await change).status).toBe(201);
      await building;
      await other;
    } finally {
      watch.stop();
    }
    await server.buildIndexes();
    expect((await searchIndexes(firstId)).map((i) => i.valid)).toEqual([true]);
  });

  it('does not start while a schema change of its workspace is in its transaction (its DDL and the build would deadlock)', async () => {
    const sheetId = await createSheet('Later');
    await server.buildIndexes();
    await sql`DROP INDEX ${sql.id(`ws_${ws}`, (await searchIndexes(sheetId))[0]!.name)}`.execute(server.db);
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let began!: () => void;
    const begun = new Promise<void>((resolve) => (began = resolve));
    const change = inOneTransaction(server.engine, ws, async () => {
      began();
      await committing;
    });
    await begun;
    const watch = watchStatements();
    try {
      const build = buildSheetIndexes(server.engine, ws, sheetId);
      await until('the build to poll for the lock', async () => watch.seen.filter((st) => /pg_try_advisory_lock\(/.test(st.text)).length >= 3);
      expect(await sessions(/CREATE INDEX CONCURRENTLY/)).toEqual([]);
      expect(await searchIndexes(sheetId)).toEqual([]);
      commit();
      await change;
      await build;
    } finally {
      watch.stop();
    }
    expect((await searchIndexes(sheetId)).map((i) => i.valid)).toEqual([true]);
  });

  it('fails when its build loses its connection, and builds the index when retried', async () => {
    const sheetId = await createSheet('Lost');
    await server.buildIndexes();
    const holder = await holdSnapshot();
    await addText('Lost', 'Memo');
    const building = server.buildIndexes();
    const pid = await runningBuild(sheetId);
    await observer.query('SELECT pg_terminate_backend($1)', [pid]);
    await release(holder);
    await expect(building).rejects.toThrow(/an index build failed: .*terminat/i);
    // Kept with its error for another attempt after a backoff.
    expect(await buildJobs()).toEqual([expect.objectContaining({ payload: { workspaceId: ws, sheetId }, attempts: 1, last_error: expect.stringMatching(/terminat/i), due: false })]);
    await sql`UPDATE graphile_worker._private_jobs SET run_at = now()`.execute(server.db);
    await server.buildIndexes();
    expect(await buildJobs()).toEqual([]);
    expect((await searchIndexes(sheetId)).map((i) => i.valid)).toEqual([true]);
  });

  it('is no failure when its build fails because the sheet was deleted meanwhile', async () => {
    const sheetId = await createSheet('Deleted meanwhile');
    await server.buildIndexes();
    const holder = await holdSnapshot();
    await addText('Deleted meanwhile', 'Memo');
    const building = server.buildIndexes();
    const pid = await runningBuild(sheetId);
    // As a deletion committed between the job reading the catalog and its build would leave it.
    await observer.query('UPDATE sheets SET deleted_at = now() WHERE id = $1', [sheetId]);
    await observer.query('SELECT pg_terminate_backend($1)', [pid]);
    await release(holder);
    await building;
    expect(await buildJobs()).toEqual([]);
    // Brought back, the sheet's invalid half-built index is found at the next start, dropped and built again.
    await observer.query('UPDATE sheets SET deleted_at = NULL WHERE id = $1', [sheetId]);
    expect((await searchIndexes(sheetId)).map((i) => i.valid)).toContain(false);
    expect(await repairSearchIndexes(server.engine)).toBe(1);
    await server.buildIndexes();
    expect((await searchIndexes(sheetId)).map((i) => i.valid)).toEqual([true]);
  });
});
