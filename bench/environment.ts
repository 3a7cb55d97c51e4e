import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ServerReady } from './server.js';

/** `BENCH_DATABASE` renames it (a plain lowercase name), so two checkouts can bench on one server without dropping each other's. */
export const BENCH_DATABASE = benchDatabaseName(process.env.BENCH_DATABASE);

function benchDatabaseName(name: string | undefined): string {
  if (name === undefined || name === '') return 'crm_bench';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`BENCH_DATABASE must be a lowercase identifier, not ${JSON.stringify(name)}`);
  return name;
}
/** Far from the app's own embedded PostgreSQL (54329) and data directory, which the bench never touches. */
export const BENCH_DATA_DIR = './data/bench';
export const BENCH_PG_PORT = 54339;

export interface BenchServer extends ServerReady {
  database: 'external' | 'embedded';
  /** The server process (its memory is read from /proc). */
  pid: number;
  /** The server process's cumulative CPU time (user + system), in milliseconds. */
  cpuMs(): Promise<number>;
  /** Stops the server's job runner (jobs are still added, and wait), and starts it again. */
  pauseJobs(): Promise<void>;
  resumeJobs(): Promise<void>;
  stop(): Promise<void>;
}

/** A fresh database every run: `crm_bench` (or `BENCH_DATABASE`) is dropped and created on the DATABASE_URL server; the embedded one starts from an empty cluster. */
async function freshDatabase(databaseUrl: string | undefined): Promise<string | undefined> {
  if (!databaseUrl) {
    await rm(path.join(BENCH_DATA_DIR, 'pg'), { recursive: true, force: true });
    return undefined;
  }
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

/** Starts server/start.ts's startServer in a child process on a free loopback port and waits until it is ready. */
export async function startBenchServer(databaseUrl: string | undefined): Promise<BenchServer> {
  const benchUrl = await freshDatabase(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: BENCH_DATA_DIR, EMBEDDED_PG_PORT: String(BENCH_PG_PORT), LOG_LEVEL: 'warn' };
  if (benchUrl) env.DATABASE_URL = benchUrl;
  else delete env.DATABASE_URL;
  const script = fileURLToPath(new URL('./server.ts', import.meta.url));
  // execArgv carries tsx's loader, so the child runs TypeScript like this process does.
  const child = fork(script, [], { env, execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServerReady));
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before it was ready`)));
    child.once('error', reject);
  });
  return {
    ...ready,
    database: benchUrl ? 'external' : 'embedded',
    pid: child.pid!,
    cpuMs: () => cpuOf(child),
    pauseJobs: () => ask(child, 'pause-jobs'),
    resumeJobs: () => ask(child, 'resume-jobs'),
    stop: () => stopChild(child),
  };
}

/** Sends a command to the server and waits for its answer (`{jobs: command}`). */
function ask(child: ChildProcess, command: 'pause-jobs' | 'resume-jobs'): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || (message as { jobs?: unknown }).jobs !== command) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send(command);
  });
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('cpuMs' in message)) return;
      child.off('message', onMessage);
      resolve(Number(message.cpuMs));
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}
