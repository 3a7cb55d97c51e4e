import { fingerprint } from '../helpers/fingerprint.js';
import type { Client, Response, TestServer } from '../helpers/server.js';
import { toJsonText } from './fuzz-arbitraries.js';

/** A run's seed: FUZZ_SEED=<n> replays it; a failure prints it. */
export const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

export const fuzzOptions = (runs: number) => ({ seed: SEED, numRuns: runs, endOnFailure: true, includeErrorInReport: true });

export function reportSeed(error: unknown): never {
  throw new Error(`fuzz failed with FUZZ_SEED=${SEED}\n${String(error instanceof Error ? error.message : error)}`);
}

/**
 * The property both fuzz suites check, over the server and client their beforeAll makes: never a 500 nor an answer
 * outside the API's error shape, and a refused request leaves the database's fingerprint as it was.
 */
export function fuzzHarness(current: () => { server: TestServer; client: Client }) {
  /** The fingerprint (no job runner: the index builds schema changes queue stay queued, part of it). */
  const print = (): Promise<string> => fingerprint(current().server.db);

  /** Fails on a 500 or an answer outside the API's error shape; answers the response. */
  const answered = (res: Response, what: string): Response => {
    if (res.status >= 500 || (res.status >= 400 && typeof res.body?.error?.message !== 'string')) {
      throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    return res;
  };

  const send = (method: 'POST' | 'PATCH', url: string, body: unknown) => current().client.request(method, url, toJsonText(body), { 'content-type': 'application/json' });

  /** A write that, when refused, must leave the fingerprint as it was (`state` holds the fingerprint between runs). */
  const writes = async (state: { print: string }, what: string, run: () => Promise<Response>): Promise<Response> => {
    const res = answered(await run(), what);
    const after = await print();
    if (res.status >= 400 && after !== state.print) throw new Error(`${what} was refused (${res.status}) but changed the database`);
    state.print = after;
    return res;
  };

  return { print, answered, send, writes };
}
