import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, setupOwner, startBrowserApp, type BrowserApp } from './browser.js';

// Per-type display options set in the field dialog (the type modules' options editors) show in the grid and on the
// record page, in English and Traditional Chinese.

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;
let recordId: string;

const cell = (field: string) => page.locator(`[role=gridcell][data-field="${field}"]`).first();
const openField = async (name: string, menu = 'Edit field') => {
  await page.getByRole('button', { name: `Field menu: ${name}` }).click();
  await page.getByRole('menuitem', { name: menu }).click();
  return page.getByRole('dialog');
};
/** Saves the field dialog and waits for the change to be accepted. */
const save = async (dialog: ReturnType<Page['getByRole']>) => {
  const done = page.waitForResponse((r) => r.request().method() === 'PATCH' && /\/fields\//.test(r.url()));
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect((await done).status()).toBe(200);
};

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  const api = pageApi(page, base);
  const sheet = await api('post', `/api/w/${ws}/sheets`, {
    name: 'Books',
    fields: [
      { name: 'Title', type: 'text' },
      { name: 'Year', type: 'number' },
      { name: 'Price', type: 'currency' },
      { name: 'Published', type: 'date' },
      { name: 'Genre', type: 'single_select', options: { choices: [{ name: 'Novel' }, { name: 'Poetry' }] } },
    ],
  });
  sheetId = sheet.id;
  const record = await api('post', `/api/w/${ws}/sheets/${sheetId}/records`, { fields: { Title: 'Dune', Year: 1996, Price: 1234.4, Published: '2026-03-04', Genre: 'Novel' } });
  recordId = record.id;
}, 120_000);

afterAll(() => app?.close());

describe('field display options in Chromium', () => {
  it('sets thousands separators, a currency, a date format and a choice colour, and the grid and record page show them', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await expect.poll(() => cell('Year').innerText()).toBe('1,996');
    await expect.poll(() => cell('Price').innerText()).toBe('$1,234.40');
    await expect.poll(() => cell('Published').innerText()).toBe('Mar 4, 2026');

    let dialog = await openField('Year');
    await dialog.getByLabel(/Thousands separators/).uncheck();
    await save(dialog);
    await expect.poll(() => cell('Year').innerText()).toBe('1996');

    dialog = await openField('Price');
    await dialog.getByLabel('Currency code').selectOption('EUR');
    await dialog.getByLabel('Decimal places').fill('0');
    await screenshot(page, 'field-options-currency-en-1280', false);
    await save(dialog);
    await expect.poll(() => cell('Price').innerText()).toBe('€1,234');

    dialog = await openField('Published');
    await dialog.getByLabel('Date format').selectOption('iso');
    await save(dialog);
    await expect.poll(() => cell('Published').innerText()).toBe('2026-03-04');

    dialog = await openField('Genre');
    await dialog.getByLabel('Colour of Novel').selectOption('purple');
    await screenshot(page, 'field-options-choices-en-1280', false);
    await save(dialog);
    await expect.poll(() => cell('Genre').locator('.chip').getAttribute('class')).toMatch(/chip-purple/);
    await screenshot(page, 'field-options-grid-en-1280');

    const sheet = await pageApi(page, base)('get', `/api/w/${ws}/sheets/${sheetId}`);
    const options = Object.fromEntries(sheet.fields.map((f: { name: string; options: unknown }) => [f.name, f.options]));
    expect(options).toMatchObject({ Year: { thousands: false }, Price: { currency: 'EUR', precision: 0 }, Published: { dateFormat: 'iso' } });
    expect(options.Genre.choices).toEqual([expect.objectContaining({ name: 'Novel', color: 'purple' }), expect.objectContaining({ name: 'Poetry' })]);

    // The record page: the number is typed without separators, the currency shows its code, the choice its colour.
    await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${recordId}`);
    await expect.poll(() => page.getByLabel('Year').inputValue()).toBe('1996');
    await expect.poll(() => page.locator('.form-row', { hasText: 'Price' }).locator('.affix').innerText()).toBe('EUR');
    await expect.poll(() => page.getByLabel('Genre').getAttribute('class')).toMatch(/chip-purple/);
    await screenshot(page, 'field-options-record-en-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'field-options-record-en-390');
  });

  it('shows the same options in Traditional Chinese, at 1280 and 390 px', async () => {
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.goto(`${base}/w/${ws}/s/${sheetId}`);
      await expect.poll(() => cell('Year').innerText()).toBe('1996');
      await expect.poll(() => cell('Price').innerText()).toBe('€1,234');
      // A narrow grid draws only the columns on screen.
      if (width === 1280) {
        await expect.poll(() => cell('Published').innerText()).toBe('2026-03-04');
        await expect.poll(() => cell('Genre').locator('.chip').getAttribute('class')).toMatch(/chip-purple/);
      }
      await screenshot(page, `field-options-grid-zh-${width}`);
      await page.getByRole('button', { name: '欄位選單: Published' }).click();
      await page.getByRole('menuitem', { name: '編輯欄位' }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.getByLabel('日期格式').inputValue()).toBe('iso');
      await screenshot(page, `field-options-dialog-zh-${width}`, false);
      await dialog.getByRole('button', { name: '取消' }).click();
      await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${recordId}`);
      await expect.poll(() => page.getByLabel('Year').inputValue()).toBe('1996');
      await screenshot(page, `field-options-record-zh-${width}`);
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
  });
});
