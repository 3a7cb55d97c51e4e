import { expect } from 'vitest';
import { fingerprint } from '../helpers/fingerprint.js';
import type { Response, TestServer } from '../helpers/server.js';

/**
 * Runs an attack that must be refused: the status, the API's error shape, the place named in `details.fields` (and
 * what it says, when `problem` is given), and the database exactly as it was before.
 */
export async function refused(
  server: TestServer,
  run: () => Promise<Response>,
  expected: { status?: number; place?: string; problem?: RegExp } = {},
): Promise<{ code: string; message: string; details?: { fields?: Record<string, string>; [key: string]: unknown } }> {
  const before = await fingerprint(server.db);
  const res = await run();
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(expected.status ?? 400);
  expect(res.body?.error, JSON.stringify(res.body).slice(0, 500)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  if (expected.place !== undefined) {
    expect(Object.keys(res.body.error.details?.fields ?? {}), JSON.stringify(res.body.error)).toContain(expected.place);
    if (expected.problem) expect(res.body.error.details.fields[expected.place]).toMatch(expected.problem);
  } else if (expected.problem) {
    expect(res.body.error.message).toMatch(expected.problem);
  }
  expect(await fingerprint(server.db), 'a refused request changed the database').toBe(before);
  return res.body.error;
}

/** A JSON body sent as written (numbers JSON.stringify cannot write, escapes it would not make). */
export const rawJson = { 'content-type': 'application/json' };
