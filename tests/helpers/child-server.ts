import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The real server (server/main.ts) in a process of its own, so that a crash shows as its exit. */
export interface ChildServer {
  process: ChildProcess;
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Its exit code or signal once it has exited. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM and wait for the exit (SIGKILL after `timeoutMs`); answers whether it exited by itself. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** Starts `node --import tsx server/main.ts` on DATABASE_URL, on a free loopback port; resolves when it listens. */
export async function startChildServer(databaseUrl: string, timeoutMs = 60_000, env: Record<string, string> = {}): Promise<ChildServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crm-child-'));
  // node itself (not npx) so that the process id is the server's own.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const found = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      } else if (exit) {
        clearTimeout(timer);
        reject(new Error(`the server exited (${JSON.stringify(exit)}) before listening:\n${output}`));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', check);
  });
  return {
    process: child,
    url,
    output: () => output,
    exited: () => exit,
    async stop(stopTimeoutMs = 15_000) {
      if (exit) return true;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([exitedPromise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), stopTimeoutMs)))]);
      clearTimeout(timer);
      if (!inTime) {
        child.kill('SIGKILL');
        await exitedPromise;
      }
      await rm(dataDir, { recursive: true, force: true });
      return inTime;
    },
  };
}
