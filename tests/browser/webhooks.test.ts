import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, startBrowserApp, type BrowserApp } from './browser.js';

/**
 * Record-event webhooks in Chromium, with the real job runner and a receiver on 127.0.0.1: an admin adds one from the
 * Workflows page, copies its secret (shown once), a new record is delivered signed with it, and the delivery log shows
 * it delivered; a webhook to a refused address shows its failure and why. In English and Chinese, at 1280 and 390 px.
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let receiver: http.Server;
let port: number;
const received: { body: string; signature: string }[] = [];

const api = (method: 'get' | 'post' | 'patch', path: string, data?: unknown) => pageApi(page, base)(method, path, data);

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['x-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '0.0.0.0', resolve));
  port = (receiver.address() as AddressInfo).port;
  app = await startBrowserApp(undefined, { jobs: true, webhookAllowHosts: ['127.0.0.1'] });
  ({ page, base } = app);
  ws = (await api('post', '/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Olivia Owner' })).workspace.id;
  await api('post', `/api/w/${ws}/sheets`, { name: 'Leads', fields: [{ name: 'Name', type: 'text' }] });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('webhooks in Chromium', () => {
  it('adds a webhook, shows its secret once, and logs a signed delivery', async () => {
    await page.goto(`${base}/w/${ws}/workflows`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();

    // A bad URL: the server's message by the field, nothing added.
    await page.getByLabel('Receiver URL (http or https)').fill('ftp://example.com/x');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByText('must be an http:// or https:// URL').waitFor();

    await page.getByLabel('Receiver URL (http or https)').fill(`http://127.0.0.1:${port}/leads`);
    await page.getByLabel('Deleted').uncheck();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(30);
    const row = page.locator('[data-webhook]');
    await expect.poll(() => row.textContent()).toContain('Leads · Created, Updated');
    await screenshot(page, 'webhooks-secret-1280-en');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    await api('post', `/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'Ada' } });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    await row.getByText('Delivered').waitFor({ timeout: 30_000 });
    await row.getByText('1 attempt(s) · HTTP 204').waitFor();
    expect(received).toHaveLength(1);
    expect(received[0]!.signature).toBe(`sha256=${createHmac('sha256', secret).update(received[0]!.body).digest('hex')}`);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'created', sheet: { name: 'Leads' }, record: { fields: { Name: 'Ada' } } });
  });

  it('shows a refused delivery and why, in both languages and at phone width', async () => {
    await api('post', `/api/w/${ws}/webhooks`, { url: `http://127.0.0.2:${port}/private`, sheet: 'Leads', events: ['created'] });
    await api('post', `/api/w/${ws}/sheets/Leads/records`, { fields: { Name: 'Grace' } });
    await page.reload();
    const refused = page.locator('[data-webhook]').filter({ hasText: '127.0.0.2' });
    await refused.getByRole('button', { name: 'Deliveries' }).click();
    await refused.getByText('Failed').waitFor({ timeout: 30_000 });
    await refused.getByText(/loopback, private or link-local address: refused/).waitFor();
    await page.locator('[data-webhook]').first().getByRole('button', { name: 'Deliveries' }).click();
    await screenshot(page, 'webhooks-deliveries-1280-en');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'webhooks-deliveries-390-en');

    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.reload();
    await page.getByRole('heading', { name: 'Webhook', exact: true }).waitFor();
    for (const hook of await page.locator('[data-webhook]').all()) await hook.getByRole('button', { name: '傳送紀錄' }).click();
    await page.getByText('已送達').first().waitFor();
    await page.getByText('失敗').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'webhooks-deliveries-390-zh-TW');
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'webhooks-deliveries-1280-zh-TW');
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
  });
});
