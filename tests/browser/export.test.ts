import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/export.js';
import { screenshot, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

/** The sheet toolbar's Export menu downloads what the page shows: its search, sort and columns (issue 15). */

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;

const api = async (method: 'GET' | 'POST', url: string, data?: unknown) => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${url}`, { method, data });
  expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true);
  return res.json();
};

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  sheetId = (
    await api('POST', '/sheets', {
      name: '客戶',
      fields: [
        { name: '名稱', type: 'text' },
        { name: 'Amount', type: 'currency', options: { currency: 'TWD', precision: 0 } },
        { name: 'Notes', type: 'text' },
      ],
    })
  ).id;
  await api('POST', `/sheets/${sheetId}/records`, {
    records: [
      { fields: { 名稱: '台北公司', Amount: 1200, Notes: 'a' } },
      { fields: { 名稱: '台中公司', Amount: 5400, Notes: '=1+1' } },
      { fields: { 名稱: 'Kaohsiung Ltd', Amount: 800, Notes: 'c' } },
    ],
  });
}, 120_000);

afterAll(() => app?.close());

/** Opens the Export menu and downloads one format; answers the suggested file name and the bytes. */
async function downloadFrom(p: Page, item: string) {
  await p.getByRole('button', { name: /Export|匯出/ }).click();
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('menuitem', { name: item }).click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

describe('the Export menu in Chromium', () => {
  it('downloads the searched, sorted grid as CSV and as an Excel workbook', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}?sort=-Amount`);
    await page.getByRole('searchbox').fill('公司');
    await expect.poll(() => page.locator('.grid-row').count()).toBe(2);
    await page.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => page.getByRole('menuitem').count()).toBe(2);
    await screenshot(page, 'export-menu', false);
    await page.keyboard.press('Escape');

    const csv = await downloadFrom(page, 'CSV (UTF-8)');
    expect(csv.name).toBe('客戶.csv');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(csv.bytes.subarray(3).toString('utf8'))).toEqual([
      ['名稱', 'Amount', 'Notes'],
      ['台中公司', '5400', `'=1+1`],
      ['台北公司', '1200', 'a'],
    ]);

    const xlsx = await downloadFrom(page, 'Excel workbook (XLSX)');
    expect(xlsx.name).toBe('客戶.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ExcelJS.Buffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1))).toEqual([
      ['名稱', 'Amount', 'Notes'],
      ['台中公司', 5400, '=1+1'],
      ['台北公司', 1200, 'a'],
    ]);
    expect(sheet.getCell('B2').numFmt).toBe('"NT$"#,##0');
  }, 60_000);

  it('leaves out a hidden column, in Traditional Chinese, and fits a phone', async () => {
    const view = await api('POST', `/sheets/${sheetId}/views`, { name: 'No notes', config: { hiddenFields: ['Notes'] } });
    const phone = await app.browser.newPage({ viewport: { width: 390, height: 780 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(base);
    await phone.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await phone.goto(`${base}/w/${ws}/s/${sheetId}?view=${view.id}&sort=Amount`);
    await phone.getByRole('button', { name: '匯出' }).click();
    await expect.poll(() => phone.getByRole('menuitem').count()).toBe(2);
    const box = await phone.locator('.export-menu .menu').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(phone, 'export-menu-phone-zh-TW', false);
    await phone.keyboard.press('Escape');
    const csv = await downloadFrom(phone, 'CSV（UTF-8）');
    const rows = parseCsv(csv.bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(['名稱', 'Amount']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['Kaohsiung Ltd', '台北公司', '台中公司']);
    await phone.close();
  }, 60_000);
});
