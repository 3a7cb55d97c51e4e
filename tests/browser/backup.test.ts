import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  const api = pageApi(page, base);
  await api('post', `/api/w/${ws}/sheets`, { name: 'Deals', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'number' }] });
  await api('post', `/api/w/${ws}/sheets/Deals/records`, { records: [{ fields: { Name: '台北 Acme', Amount: 1200 } }, { fields: { Name: 'Globex', Amount: 900 } }] });
}, 120_000);

afterAll(() => app?.close());

describe('workspace backup in Chromium', () => {
  it('downloads the backup and restores it as a new workspace, which opens', async () => {
    await page.goto(`${base}/w/${ws}/templates`);
    const card = page.getByRole('region', { name: 'Backup' });
    await card.getByRole('link', { name: 'Download backup' }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'backup-card-en-1280', false);
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download backup' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.crm-backup\.zip$/);
    const file = await download.path();
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    await card.locator('input[type=file]').setInputFiles({ name: 'backup.zip', mimeType: 'application/zip', buffer: bytes });
    await page.waitForURL((url) => /\/w\/wsp/.test(url.pathname) && !url.pathname.includes(ws));
    await page.locator('.sheet-cards').getByRole('link', { name: /^Deals/ }).waitFor();
    await screenshot(page, 'backup-restored-en-1280', false);
  }, 120_000);

  it('says what it does in Traditional Chinese, and fits a phone', async () => {
    const phone = await app.browser.newPage({ viewport: { width: 390, height: 780 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(base);
    for (const locale of ['en', 'zh-TW']) {
      await phone.evaluate((l) => localStorage.setItem('locale', l), locale);
      await phone.goto(`${base}/w/${ws}/templates`);
      const card = phone.getByRole('region', { name: locale === 'en' ? 'Backup' : '備份' });
      await card.getByRole('link', { name: locale === 'en' ? 'Download backup' : '下載備份' }).waitFor();
      await card.scrollIntoViewIfNeeded();
      const box = await card.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      await screenshot(phone, `backup-card-${locale}-390`, false);
    }
    await phone.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.goto(`${base}/w/${ws}/templates`);
    const card = page.getByRole('region', { name: '備份' });
    await card.getByRole('link', { name: '下載備份' }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'backup-card-zh-TW-1280', false);
    // A file that is not a backup: the server's reason in the app's language, and no new workspace.
    const before = (await (await page.request.get(`${base}/api/workspaces`)).json()).length;
    await card.locator('input[type=file]').setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
    await page.getByText(/無法還原此備份檔/).waitFor();
    await screenshot(page, 'backup-refused-zh-TW-1280', false);
    expect((await (await page.request.get(`${base}/api/workspaces`)).json()).length).toBe(before);
    await phone.close();
  }, 120_000);
});
