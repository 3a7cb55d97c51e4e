import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createDb, createPool } from '../../server/database.js';
import { createEngine } from '../../schema-engine/index.js';
import { jobQueue } from '../../server/jobs/enqueue.js';
import { NotificationListener } from '../../server/notification-listener.js';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { adminQuery, TEMPLATE_DB, withDatabase } from '../helpers/postgres.js';

// The attack: the database drops the server's connections under load (pg_terminate_backend of a backend running a
// statement in a transaction, of one idle in a transaction, of the idle pool, of the LISTEN connection, of a
// background index build, which its job then retries). The server runs as a real process, so a crash shows as its exit. The request whose
// connection died answers 503 with Retry-After (never 500, never a dropped socket), the server goes on, and after
// its listener was cut it still hears of a second server's schema changes.

let adminUrl: string;
let dbName: string;
let databaseUrl: string;
let server: ChildServer;
let observer: pg.Client;
let cookie: string;
let ws: string;

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One request to the child server; a socket error (a crash, a dropped connection) rejects. */
async function http(method: string, url: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
}

const sheetUrl = (sheet: string, rest = '') => `/api/w/${ws}/sheets/${sheet}${rest}`;

/** Waits for `probe` to answer something truthy, trying again until `timeoutMs` (a loaded machine is slow). */
async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${server.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Backend {
  pid: number;
  state: string | null;
  wait: string | null;
  query: string;
}

/** The test database's sessions of one application_name ('crm': the pool, 'crm-listen': the listener). */
async function backends(app: string): Promise<Backend[]> {
  const { rows } = await observer.query<Backend>(
    `SELECT pid, state, wait_event_type AS wait, query FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND pid <> pg_backend_pid()`,
    [dbName, app],
  );
  return rows;
}

async function terminate(pids: number[]): Promise<void> {
  for (const pid of pids) await observer.query('SELECT pg_terminate_backend($1)', [pid]);
}

/** Writers that go on until stopped, tallying every answer; a socket error is kept as such. */
function writeLoad(writers: number) {
  const statuses = new Map<number, number>();
  const socketErrors: string[] = [];
  const confirmed: string[] = [];
  let running = true;
  const loops = Array.from({ length: writers }, async (_, w) => {
    for (let n = 0; running; n++) {
      const name = `load ${w}-${n}`;
      try {
        const res = await http('POST', sheetUrl('Load', '/records'), n % 4 ? { fields: { Name: name, Size: n } } : { records: [{ fields: { Name: name } }, { fields: { Name: `${name}b` } }] });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) confirmed.push(...(n % 4 ? [name] : [name, `${name}b`]));
        if (res.status === 503) expect(res.headers.get('retry-after')).toBe('1');
      } catch (error) {
        socketErrors.push(String(error));
      }
    }
  });
  return {
    statuses,
    socketErrors,
    confirmed,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

beforeAll(async () => {
  adminUrl = inject('pgAdminUrl');
  dbName = `crm_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${dbName} TEMPLATE ${TEMPLATE_DB}`);
  databaseUrl = withDatabase(adminUrl, dbName);
  observer = new pg.Client({ connectionString: databaseUrl, application_name: 'fault-test' });
  await observer.connect();
  server = await startChildServer(databaseUrl);
  const setup = await fetch(`${server.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse', name: 'Owner' }),
  });
  expect(setup.status).toBe(201);
  cookie = setup.headers.getSetCookie().find((c) => c.startsWith('crm_session='))!.split(';')[0]!;
  ws = ((await setup.json()) as { workspace: { id: string } }).workspace.id;
  for (const [name, fields] of [
    ['Deals', [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'number' }, { name: 'Gone', type: 'text' }]],
    ['Load', [{ name: 'Name', type: 'text' }, { name: 'Size', type: 'number' }]],
  ] as const) {
    const res = await http('POST', `/api/w/${ws}/sheets`, { name, fields });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await observer?.end();
  if (dbName) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

describe('connections terminated under load', () => {
  it('answers 503 with Retry-After for the request whose connection died, and goes on serving', { timeout: 120_000 }, async () => {
    const load = writeLoad(3);
    await until('the load to write', async () => load.confirmed.length > 10);

    // 1. A backend running a statement in a transaction: a write waiting for a lock the test holds on Deals.
    const { rows } = await observer.query<{ id: string }>(`SELECT id FROM sheets WHERE name = 'Deals'`);
    const locker = new pg.Client({ connectionString: databaseUrl, application_name: 'fault-test' });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ws_${ws}.s_${rows[0]!.id} IN ACCESS EXCLUSIVE MODE`);
    const blocked = http('POST', sheetUrl('Deals', '/records'), { fields: { Name: 'blocked', Amount: 1 } });
    const waiting = await until('the write to wait for the lock', async () => {
      const found = (await backends('crm')).filter((b) => b.wait === 'Lock' && b.query.includes(`s_${rows[0]!.id}`));
      return found.length ? found : undefined;
    });
    await terminate(waiting.map((b) => b.pid));
    await locker.query('ROLLBACK');
    await locker.end();
    const answer = await blocked;
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(answer.body.error.code).toBe('unavailable');
    expect(answer.headers.get('retry-after')).toBe('1');

    // 2. A backend idle in a transaction: the server is frozen (SIGSTOP) at random moments of the load until one of
    // its backends is caught between two statements of a transaction, terminated, and the server thawed.
    let caught = 0;
    await until('a backend idle in a transaction', async () => {
      server.process.kill('SIGSTOP');
      try {
        const idle = (await backends('crm')).filter((b) => b.state === 'idle in transaction');
        await terminate(idle.map((b) => b.pid));
        caught += idle.length;
      } finally {
        server.process.kill('SIGCONT');
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
      return caught > 0;
    }, 30_000);

    // 3. The idle pool.
    await terminate((await backends('crm')).filter((b) => b.state === 'idle').map((b) => b.pid));

    // It answers normally again within seconds: the pool dropped the dead clients and connected new ones.
    await until('normal answers again', async () => {
      const list = await http('GET', sheetUrl('Deals', '/records'));
      const write = await http('POST', sheetUrl('Deals', '/records'), { fields: { Name: 'after', Amount: 2 } });
      return list.status === 200 && write.status === 201;
    });
    const before = load.confirmed.length;
    await until('the load to write again', async () => load.confirmed.length > before + 10);
    await load.stop();

    expect(server.exited(), server.output()).toBeUndefined();
    expect(load.socketErrors).toEqual([]);
    const statuses = Object.fromEntries(load.statuses);
    expect(Object.keys(statuses).filter((s) => s !== '201' && s !== '503'), JSON.stringify(statuses)).toEqual([]);
    expect(server.output()).not.toMatch(/Unhandled|uncaught/i);
    // Every write confirmed to the load is there.
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Answer = await http('GET', sheetUrl('Load', `/records?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      for (const record of page.body.records) stored.add(record.fields.Name);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(load.confirmed.filter((name) => !stored.has(name))).toEqual([]);
    // A write answered 503 was rolled back with its connection (none died while committing): nothing of it is stored.
    const confirmed = new Set(load.confirmed);
    expect([...stored].filter((name) => !confirmed.has(name))).toEqual([]);
    const deals = await http('GET', sheetUrl('Deals', '/records?limit=1000'));
    expect(deals.body.records.map((r: { fields: { Name: string } }) => r.fields.Name).filter((n: string) => n === 'blocked')).toEqual([]);
  });

  it('reconnects its listener and then hears of the schema changes of a second server', { timeout: 120_000 }, async () => {
    const [listening] = await backends('crm-listen');
    expect(listening?.query).toMatch(/^LISTEN/);
    await terminate([listening!.pid]);
    await until('a new LISTEN connection', async () => (await backends('crm-listen')).some((b) => b.pid !== listening!.pid && /^LISTEN/.test(b.query)));

    // This server caches the catalog again now; the second one, on the same database, changes it.
    expect((await http('GET', sheetUrl('Deals'))).status).toBe(200);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-second-'));
    // Its schema changes queue their index builds as any server's do (this one runs no jobs: the first server does).
    const engine = createEngine(createDb(createPool(databaseUrl, 3)), () => {}, jobQueue);
    const second = await buildApp({ engine, dataDir, logLevel: 'silent', clientDir: '/nonexistent' });
    const change = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
      const res = await second.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    try {
      const seen: number[] = [];
      await change('POST', sheetUrl('Deals', '/fields'), { name: 'Added', type: 'text' });
      await until('the new field to be writable here', async () => {
        const res = await http('POST', sheetUrl('Deals', '/records'), { fields: { Name: 'uses Added', Added: 'yes' } });
        seen.push(res.status);
        return res.status === 201 && res.body.fields.Added === 'yes';
      });

      await change('DELETE', sheetUrl('Deals', '/fields/Gone'));
      await until('the deleted field to be refused here', async () => {
        const sort = await http('GET', sheetUrl('Deals', '/records?sort=Gone'));
        const write = await http('POST', sheetUrl('Deals', '/records'), { fields: { Name: 'uses Gone', Gone: 'x' } });
        seen.push(sort.status, write.status);
        return sort.status === 400 && write.status === 400;
      });

      await change('PATCH', sheetUrl('Deals', '/fields/Amount?force=true'), { type: 'text' });
      await until('the retyped field to take text here', async () => {
        const res = await http('POST', sheetUrl('Deals', '/records'), { fields: { Name: 'text amount', Amount: 'about ten' } });
        seen.push(res.status);
        return res.status === 201;
      });
      expect(seen.filter((s) => s >= 500)).toEqual([]);
    } finally {
      await second.close();
      await engine.db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(server.exited(), server.output()).toBeUndefined();
  });

  it('survives a background index build losing its connection, at run time and at start: its job is retried and builds it', { timeout: 180_000 }, async () => {
    const { rows } = await observer.query<{ id: string }>(`SELECT id FROM sheets WHERE name = 'Deals'`);
    const table = `s_${rows[0]!.id}`;
    /** An open snapshot: CREATE INDEX CONCURRENTLY waits for it to end before it finishes. */
    const holdSnapshot = async () => {
      const holder = new pg.Client({ connectionString: databaseUrl, application_name: 'fault-test' });
      await holder.connect();
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT 1 FROM sheets LIMIT 1');
      return holder;
    };
    const killBuild = async () => {
      const builds = await until('a concurrent index build waiting', async () => {
        const found = (await backends('crm')).filter((b) => /CREATE INDEX CONCURRENTLY/i.test(b.query) && b.query.includes(table) && b.state === 'active');
        return found.length ? found : undefined;
      });
      await terminate(builds.map((b) => b.pid));
    };
    const searchIndexes = async () =>
      (
        await observer.query<{ name: string; valid: boolean }>(
          `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
           WHERE t.relname = $1 AND c.relname LIKE 'x\\_%'`,
          [table],
        )
      ).rows;
    const searchIndexValid = async () => {
      const indexes = await searchIndexes();
      return indexes.length === 1 && indexes[0]!.valid;
    };
    /** The job's failed attempts, as graphile-worker logs them. */
    const failedBuilds = () => server.output().match(/job queue: Failed task \d+ \(build_indexes/g)?.length ?? 0;

    // At run time: a new text field queues the rebuild of the sheet's search index with the change. Its build loses
    // its connection; the job, retried with backoff, builds it without any other change.
    let holder = await holdSnapshot();
    expect((await http('POST', sheetUrl('Deals', '/fields'), { name: 'Notes', type: 'text' })).status).toBe(201);
    await killBuild();
    await holder.query('ROLLBACK');
    await holder.end();
    await until('the server to answer after the build died', async () => (await http('GET', sheetUrl('Deals', '/records?search=a'))).status === 200);
    await until('the retried job to build the search index', searchIndexValid, 30_000);
    expect(failedBuilds(), server.output()).toBe(1);
    expect(server.exited(), server.output()).toBeUndefined();

    // At start: the index is missing (a sheet of an earlier version, a build whose job used up its attempts). The
    // restart (the listener's reconnect loop must not keep it from stopping) queues its build, which loses its
    // connection too, and is retried.
    expect(await server.stop(), server.output()).toBe(true);
    expect(server.exited()?.code, server.output()).toBe(0);
    const [index] = await searchIndexes();
    await observer.query(`DROP INDEX ${`ws_${ws}`}.${index!.name}`);
    holder = await holdSnapshot();
    server = await startChildServer(databaseUrl);
    expect(server.output()).toMatch(/queued the build of 1 search index/);
    await killBuild();
    await holder.query('ROLLBACK');
    await holder.end();
    await until('the restarted server to answer', async () => (await http('GET', sheetUrl('Deals', '/records?search=a'))).status === 200);
    await until('the retried job to build the search index again', searchIndexValid, 30_000);
    expect(failedBuilds(), server.output()).toBe(1);
    expect(server.exited(), server.output()).toBeUndefined();
  });

  it('backs off doubling up to its cap while the database is unreachable, and close() ends the loop', async () => {
    const lines: string[] = [];
    // Port 1 on the loopback: refused at once.
    const listener = new NotificationListener('postgres://postgres@127.0.0.1:1/none', { log: (m) => lines.push(m), minDelayMs: 20, maxDelayMs: 80 });
    let heard = 0;
    await listener.listen('crm_test', { onNotify: () => heard++ });
    await listener.start();
    expect(listener.listening).toBe(false);
    await until('five attempts', async () => lines.length >= 5);
    const delays = lines.map((l) => Number(/in (\d+) ms/.exec(l)?.[1]));
    expect(delays.slice(0, 5)).toEqual([20, 40, 80, 80, 80]);
    await listener.close();
    const attempts = lines.length;
    // Three times the longest wait: a loop still running would have tried again.
    await new Promise((resolve) => setTimeout(resolve, 240));
    expect(lines.length).toBe(attempts);
    expect(heard).toBe(0);
  });
});
