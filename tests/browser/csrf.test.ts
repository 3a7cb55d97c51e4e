import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../helpers/fingerprint.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launch } from './browser.js';

/**
 * A page on another port of the same host (same site, another origin: the browser sends the SameSite=Lax session
 * cookie with its requests) tries to act as the signed-in victim. Replayed in Chromium against the real server.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let ws: string;
let trashId: string;
let attacker: Server;
let attackerUrl: string;
/** The attacker's page, written once the app's address is known. */
let attackPage = '';
const answers: { url: string; status: number; origin?: string; cookie: boolean }[] = [];

const count = async (table: 'api_tokens' | 'sessions' | 'attachments') => Number((await server.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const storedFiles = async () => readdir(path.join(server.app.ctx.dataDir, 'files', ws)).catch(() => []);

beforeAll(async () => {
  server = await startTestServer();
  // What the server answered, as it saw each request: the attacker's page cannot read the answers, we can.
  server.app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET') answers.push({ url: request.url, status: reply.statusCode, origin: request.headers.origin, cookie: /crm_session=/.test(request.headers.cookie ?? '') });
  });
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  attacker = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(attackPage);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  browser = await launch();
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  // The victim signs up and works in the app in this browser: the session cookie is in its jar.
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'victim@example.com', password: 'correct horse', name: 'Victim' } });
  ws = (await setup.json()).workspace.id;
  await page.request.post(`${base}/api/w/${ws}/sheets`, { data: { name: 'Old', fields: [{ name: 'Name', type: 'text' }] } });
  await page.request.delete(`${base}/api/w/${ws}/sheets/Old`);
  trashId = (await (await page.request.get(`${base}/api/w/${ws}/trash`)).json())[0].id;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  attacker?.close();
});

/** Simple requests (no CORS preflight), which a browser sends cross-origin with cookies, then a form posted in the page. */
const ATTACK = (app: string, workspace: string, trash: string) => `<!doctype html><html><body>
<form id="signout" method="POST" action="${app}/api/auth/logout"><input name="x" value="1"></form>
<script>
const opts = { method: 'POST', mode: 'no-cors', credentials: 'include' };
const upload = new FormData();
upload.append('file', new Blob(['forged by another site'], { type: 'text/plain' }), 'forged.txt');
Promise.allSettled([
  fetch('${app}/api/w/${workspace}/attachments', { ...opts, body: upload }),
  fetch('${app}/api/w/${workspace}/trash/${trash}/restore', opts),
  fetch('${app}/api/tokens', { ...opts, headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'stolen' }) }),
  fetch('${app}/api/w/${workspace}/sheets', { ...opts, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Forged' }),
]).then(() => { document.title = 'sent'; document.getElementById('signout').submit(); });
</script></body></html>`;

describe('a page of another origin on the same host', () => {
  it('cannot upload, restore, create or sign the victim out with the victim’s cookie', async () => {
    attackPage = ATTACK(base, ws, trashId);
    const before = await fingerprint(server.db);
    const tokens = await count('api_tokens');
    const sessions = await count('sessions');
    answers.length = 0;
    await page.goto(`${attackerUrl}/`);
    // The form's navigation lands on the app's refusal.
    await page.waitForURL(`${base}/api/auth/logout`);
    expect(await fingerprint(server.db)).toBe(before);
    expect(await count('api_tokens')).toBe(tokens);
    expect(await count('sessions')).toBe(sessions);
    expect(await storedFiles()).toEqual([]);
    // Every request reached the server with the cookie and was refused.
    expect(answers.map((a) => a.url).sort()).toEqual(['/api/auth/logout', '/api/tokens', `/api/w/${ws}/attachments`, `/api/w/${ws}/sheets`, `/api/w/${ws}/trash/${trashId}/restore`]);
    expect(answers.every((a) => a.status === 403 && a.origin === attackerUrl && a.cookie), JSON.stringify(answers)).toBe(true);
    expect(JSON.parse(await page.locator('body').innerText())).toMatchObject({ error: { code: 'csrf' } });
    // Still signed in: the victim's session was not ended.
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(200);
  });

  it('while the app’s own pages (same origin) do the same and succeed', async () => {
    await page.goto(`${base}/api/health`);
    const results = await page.evaluate(
      async ({ workspace, trash }) => {
        const upload = new FormData();
        upload.append('file', new Blob(['mine'], { type: 'text/plain' }), 'mine.txt');
        const uploaded = await fetch(`/api/w/${workspace}/attachments`, { method: 'POST', body: upload });
        const restored = await fetch(`/api/w/${workspace}/trash/${trash}/restore`, { method: 'POST' });
        const token = await fetch('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'mine' }) });
        return [uploaded.status, restored.status, token.status];
      },
      { workspace: ws, trash: trashId },
    );
    expect(results).toEqual([201, 200, 201]);
    expect(await storedFiles()).toHaveLength(1);
  });
});
