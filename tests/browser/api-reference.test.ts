import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

/**
 * The workspace's API reference page (/w/:ws/api): opened from the top bar, it shows the sheets' real field names from
 * GET /api/w/:ws/openapi.json and sends a request with the user's session from Swagger UI's "Try it out".
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
const SHEET = '客戶 Clients';
const cspViolations: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && cspViolations.push(message.text()));
  ws = await setupOwner(page, base);
  const call = pageApi(page, base);
  await call('post', `/api/w/${ws}/sheets`, {
    name: SHEET,
    fields: [
      { name: '名稱 Name', type: 'text' },
      { name: '階段 Stage', type: 'single_select', options: { choices: [{ name: 'Lead' }, { name: 'Won' }] } },
      { name: 'Amount', type: 'currency', options: { currency: 'TWD' } },
    ],
  });
  await call('post', `/api/w/${ws}/sheets/${encodeURIComponent(SHEET)}/records`, { fields: { '名稱 Name': 'Acme 公司', '階段 Stage': 'Won', Amount: 1200 } });
}, 180_000);
afterAll(() => app?.close());

const listOperation = () => page.locator('.opblock-get').filter({ hasText: `List ${SHEET} records` });

describe('the API reference page', () => {
  it('opens from the top bar and shows the sheet with its real field names', async () => {
    await page.goto(`${base}/w/${ws}`);
    await page.getByRole('link', { name: 'API', exact: true }).click();
    await page.getByRole('heading', { name: 'API reference' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/w/${ws}/api`);
    await listOperation().waitFor();
    await listOperation().locator('.opblock-summary').first().click();
    // The answer's example, generated from the document's schemas, names the fields.
    const opened = listOperation().locator('.opblock-body');
    await opened.waitFor();
    await expect.poll(() => opened.innerText()).toMatch(/名稱 Name[\s\S]*階段 Stage[\s\S]*Amount/);
    expect(await opened.innerText()).toContain('Lead');
  });

  it('tries a listing from the page and gets the real records, with the session', async () => {
    const operation = listOperation();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const live = operation.locator('.live-responses-table');
    await live.waitFor();
    await expect.poll(() => live.locator('tr.response .response-col_status').first().innerText()).toBe('200');
    const body = await live.locator('tr.response .response-col_description').first().innerText();
    expect(body).toContain('Acme 公司');
    expect(body).toContain('"階段 Stage": "Won"');
    expect(cspViolations).toEqual([]);
    await operation.screenshot({ path: 'test-results/screenshots/api-reference-tried-en-1280.png' });
  });

  it('reads in both languages at desktop and phone width', async () => {
    for (const locale of ['en', 'zh-TW'] as const) {
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
        await page.goto(`${base}/w/${ws}/api`);
        await page.getByRole('heading', { name: locale === 'en' ? 'API reference' : 'API 參考文件' }).waitFor();
        await listOperation().waitFor();
        await screenshot(page, `api-reference-${locale}-${width}`, width === 390);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${locale} ${width}`).toBeLessThanOrEqual(width);
      }
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
