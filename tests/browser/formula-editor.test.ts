import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, setupOwner, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  const api = pageApi(page, base);
  const sheet = await api('post', `/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Quantity', type: 'number' },
      { name: 'Unit price', type: 'currency', options: { currency: 'USD', precision: 2 } },
    ],
  });
  sheetId = sheet.id;
  await api('post', `/api/w/${ws}/sheets/${sheetId}/records`, { fields: { Name: 'Widgets', Quantity: 3, 'Unit price': 2.46 } });
}, 120_000);

afterAll(() => app?.close());

const dialog = () => page.getByRole('dialog');
const editor = () => dialog().locator('.formula-editor textarea');
const options = () => dialog().getByRole('listbox').getByRole('option');
const help = () => dialog().locator('.formula-help');
const status = () => dialog().locator('.formula-editor [aria-live]');

async function openFormulaDialog(name: string) {
  await page.goto(`${base}/w/${ws}/s/${sheetId}`);
  await page.getByRole('button', { name: /^(Add field|新增欄位)$/ }).click();
  await dialog().locator('input').first().fill(name);
  await dialog().locator('select').first().selectOption('formula');
  await editor().click();
}

describe('the formula editor', () => {
  it('completes fields and functions, explains the function, and saves a formula the grid computes', async () => {
    await openFormulaDialog('Total');
    await page.keyboard.type('{Qu');
    await expect.poll(() => options().allInnerTexts()).toEqual(['Quantity']);
    await page.keyboard.press('Enter');
    expect(await editor().inputValue()).toBe('{Quantity}');

    await page.keyboard.type(' * RO');
    await expect.poll(() => options().allInnerTexts()).toEqual([expect.stringMatching(/^ROUND\s*ROUND\(number, \[digits\]\)$/)]);
    // The highlighted function is explained while choosing.
    await expect.poll(() => help().innerText()).toContain('Rounds half away from zero');
    await page.keyboard.press('Tab');
    expect(await editor().inputValue()).toBe('{Quantity} * ROUND(');

    // Arrows move through the fields; Escape closes the list without closing the dialog.
    await page.keyboard.type('{');
    await expect.poll(() => options().count()).toBe(3);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => dialog().locator('[role=option][aria-selected=true]').innerText()).toBe('Unit price');
    await page.keyboard.press('Escape');
    await expect.poll(() => options().count()).toBe(0);
    await expect.poll(() => dialog().count()).toBe(1);
    await page.keyboard.type('Un');
    await expect.poll(() => options().allInnerTexts()).toEqual(['Unit price']);
    await page.keyboard.press('Enter');
    await page.keyboard.type(', 1)');
    expect(await editor().inputValue()).toBe('{Quantity} * ROUND({Unit price}, 1)');

    // The cursor inside ROUND( … ): its signature, description and example.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => help().innerText()).toMatch(/ROUND\(number, \[digits\]\)[\s\S]*Example: ROUND\(\{Price\} \* 1\.05, 2\)/);
    await expect.poll(() => status().innerText()).toBe('Result: Currency');
    await screenshot(page, 'formula-editor-en-1280');

    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('columnheader', { name: /Total/ }).waitFor();
    // 3 × ROUND(2.46, 1) = 3 × 2.5, shown with ROUND's one decimal.
    await page.getByRole('cell', { name: '$7.5', exact: true }).or(page.getByText('$7.5', { exact: true })).first().waitFor();
    await screenshot(page, 'formula-editor-grid-en-1280');
  });

  it('shows why a formula is refused, in English and in Traditional Chinese, at both widths', async () => {
    await openFormulaDialog('Broken');
    await page.keyboard.type('SQRT({Name})');
    await expect.poll(() => status().innerText()).toBe('SQRT needs numbers, not text');
    await expect.poll(() => status().getAttribute('class')).toBe('error');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => help().innerText()).toContain('SQRT(number)');
    await screenshot(page, 'formula-editor-error-en-1280');
    // Saving anyway answers the server's refusal too, and nothing is added.
    await dialog().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog().getByRole('alert').innerText()).toMatch(/SQRT needs numbers, not text/);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'formula-editor-error-en-390');

    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.setViewportSize({ width: 1280, height: 800 });
    await openFormulaDialog('Broken');
    await page.keyboard.type('LEFT({Name})');
    await expect.poll(() => status().innerText()).toBe('LEFT 需要 2 個引數，而不是 1 個 （第 1 個字元）');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => help().innerText()).toContain('開頭的指定數量字元');
    // Saving answers the server's refusal in Chinese too.
    await dialog().locator('button[type=submit]').click();
    await expect.poll(() => dialog().getByRole('alert').innerText()).toMatch(/LEFT 需要 2 個引數，而不是 1 個/);
    await screenshot(page, 'formula-editor-error-zh-1280');
    await editor().fill('');
    await page.keyboard.type('DAY');
    await expect.poll(() => options().allInnerTexts()).toEqual([expect.stringMatching(/^DAY/)]);
    await page.keyboard.press('Enter');
    await page.keyboard.type('{Quantity})');
    await expect.poll(() => status().innerText()).toBe('DAY 需要日期，不能是數字');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'formula-editor-error-zh-390');
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('fits a phone-width screen with its suggestions open', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openFormulaDialog('Phone');
    await page.keyboard.type('DATETIME_');
    await expect.poll(() => options().allInnerTexts()).toEqual([expect.stringMatching(/^DATETIME_DIFF/), expect.stringMatching(/^DATETIME_FORMAT/)]);
    const box = await dialog().locator('.formula-suggestions').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'formula-editor-en-390');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
