import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Debian's Chromium (installed by .ci/run); Playwright cannot download its own browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('test-results/screenshots');

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * Builds the client once per test file into its own directory, as `npm start` would; except that vitest's
 * NODE_ENV=test gives React's development build (its warnings help tests), unless `production` asks for the real one.
 */
export async function buildClient(outDir: string, options: { production?: boolean } = {}): Promise<string> {
  const nodeEnv = process.env.NODE_ENV;
  if (options.production) process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** The API through the page's session (its cookies): the JSON answered, or an error with the status and answer. */
export function pageApi(page: Page, base: string) {
  return async (method: 'get' | 'post' | 'patch' | 'delete', path: string, data?: unknown) => {
    const response = await page.request[method](`${base}${path}`, data === undefined ? {} : { data });
    const body = await response.json().catch(() => undefined);
    if (response.status() >= 400) throw new Error(`${method} ${path}: ${response.status()} ${JSON.stringify(body)}`);
    return body;
  };
}

/** Sets up the installation's owner (signed in on `page`) and its first workspace; answers the workspace's id. */
export async function setupOwner(page: Page, base: string): Promise<string> {
  const answer = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Owner' } });
  return (await answer.json()).workspace.id;
}

/** The workflow editor's step `index` (0-based), and the workflow id in the editor's address. */
export const workflowStep = (page: Page, index: number) => page.locator(`[data-step="steps.${index}"]`);
export const workflowIdOf = (url: string) => /\/workflows\/(wfl[^/?#]+)/.exec(url)?.[1];

export interface BrowserApp {
  server: TestServer;
  browser: Browser;
  /** A desktop-sized page whose errors fail loudly in the test output. */
  page: Page;
  /** The server's address, e.g. http://127.0.0.1:40123. */
  base: string;
  close(): Promise<void>;
}

/**
 * The built client served by a real server on a fresh database, and Chromium to drive it; with `jobs`, the job runner
 * too, so workflows triggered in the test really run; with `smtpUrl`, mail goes to that (loopback) SMTP server.
 */
export async function startBrowserApp(viewport = { width: 1280, height: 800 }, options: { jobs?: boolean; smtpUrl?: string; mailFrom?: string; webhookAllowHosts?: string[] } = {}): Promise<BrowserApp> {
  const clientDir = await buildClient(await mkdtemp(path.join(os.tmpdir(), 'crm-client-')));
  const server = await startTestServer({ clientDir, jobs: options.jobs, smtpUrl: options.smtpUrl, mailFrom: options.mailFrom, webhookAllowHosts: options.webhookAllowHosts });
  const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launch();
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && console.error(`[browser console] ${message.text()}`));
  return {
    server,
    browser,
    page,
    base,
    async close() {
      await browser.close();
      await server.close();
      await rm(clientDir, { recursive: true, force: true });
    },
  };
}
