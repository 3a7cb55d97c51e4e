import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, startBrowserApp, type BrowserApp } from './browser.js';

/**
 * Issued documents in Chromium (issue 16, item 1): picking a product in a new quote line fills its unit price in the
 * form (copy on pick), and an accepted quote shows its fields locked to an editor, in English and Chinese.
 */

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let call: ReturnType<typeof pageApi>;
const sheetIds = new Map<string, string>();

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  call = pageApi(page, base);
  ws = (await call('post', '/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Owner' })).workspace.id;
  const installed = await call('post', `/api/w/${ws}/templates/full-crm/install`, { sampleData: true });
  for (const sheet of installed.sheets as { id: string; name: string }[]) sheetIds.set(sheet.name, sheet.id);
}, 180_000);

afterAll(() => app?.close());

describe('issued documents in Chromium', () => {
  it('fills the unit price when a new quote line picks a product', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quote lines')}/new`);
    const price = page.getByLabel('Unit price', { exact: true });
    await price.waitFor();
    await expect.poll(() => price.inputValue()).toBe('');
    await page.getByLabel('Search Products').fill('GTX Pro');
    await page.getByRole('option', { name: 'GTX Pro' }).click();
    await expect.poll(() => price.inputValue()).toMatch(/^4,?821(\.00)?$/);
    await screenshot(page, 'issued-copy-on-pick-1280-en');
    // The value is the line's own: the user may still change it before saving, and the save keeps theirs.
    await price.fill('4500');
    await page.getByRole('textbox', { name: 'Item', exact: true }).fill('Negotiated GTX Pro');
    await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('1');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => ((await call('get', `/api/w/${ws}/sheets/Quote lines/records?limit=100`)).records as { fields: Record<string, unknown> }[]).find((r) => r.fields.Item === 'Negotiated GTX Pro')?.fields['Unit price'])
      .toBe(4500);
  });

  it('offers copy on pick in the field dialog', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quote lines')}`);
    await page.getByRole('button', { name: 'Field menu: Unit price' }).click();
    await page.getByRole('menuitem', { name: 'Edit field' }).or(page.getByRole('button', { name: 'Edit field' })).first().click();
    const dialog = page.getByRole('dialog', { name: 'Edit field' });
    await dialog.getByText('Copy from a linked record').waitFor();
    expect(await dialog.getByLabel('When this link is picked').locator('option:checked').textContent()).toBe('Product');
    expect(await dialog.getByLabel('Copy this field of the linked record').locator('option:checked').textContent()).toBe('Unit price');
    expect(await dialog.getByLabel('When the link changes').inputValue()).toBe('on_change');
    await screenshot(page, 'issued-field-dialog-1280-en');
    const box = (await dialog.locator('fieldset.copy-from').boundingBox())!;
    const dialogBox = (await dialog.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(dialogBox.x + dialogBox.width);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'issued-field-dialog-390-en', false);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Kept as it is when the dialog saves.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const sheet = await call('get', `/api/w/${ws}/sheets/${sheetIds.get('Quote lines')}`);
    expect(sheet.fields.find((f: { name: string }) => f.name === 'Unit price').options.copyFrom).toMatchObject({ again: 'on_change' });
  });

  it('shows an accepted quote locked to an editor, in both languages and at phone width', async () => {
    const invited = await call('post', `/api/w/${ws}/invitations`, { email: 'editor@example.com', role: 'editor' });
    const token = String(invited.url).split('/invite/')[1]!;
    const quotes = (await call('get', `/api/w/${ws}/sheets/Quotes/records?limit=100`)).records as { id: string; fields: Record<string, unknown> }[];
    const accepted = quotes.find((q) => q.fields.Status === 'Accepted')!;
    // Accepting the invitation signs the page in as the editor.
    await call('post', `/api/invitations/${token}/accept`, { name: 'Eddie', password: 'editor password' });

    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quotes')}/r/${accepted.id}`);
    await page.getByText('This record is locked: An accepted quote is issued and cannot be changed').waitFor();
    // Its Title shows locked, with no control to change it.
    const titleRow = page.locator('.form-row.locked').filter({ has: page.locator('label', { hasText: /^Title/ }) });
    await titleRow.waitFor();
    expect(await titleRow.getAttribute('title')).toBe('Locked: An accepted quote is issued and cannot be changed');
    expect(await titleRow.locator('input:not([disabled]):not([readonly]), textarea:not([disabled]):not([readonly])').count()).toBe(0);
    await page.getByRole('img', { name: 'Locked: An accepted quote is issued and cannot be changed' }).first().waitFor();
    await screenshot(page, 'issued-locked-quote-1280-en');

    // The grid: the accepted quote's cells are locked (a double click edits nothing), a draft's are not.
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quotes')}`);
    const lockedCell = page.locator('[role="gridcell"].locked[data-field="Title"]').first();
    await lockedCell.waitFor();
    expect(await lockedCell.getAttribute('title')).toBe('Locked: An accepted quote is issued and cannot be changed');
    await lockedCell.dblclick();
    expect(await lockedCell.locator('input').count()).toBe(0);
    await screenshot(page, 'issued-locked-grid-1280-en', false);

    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quotes')}/r/${accepted.id}`);
    await page.getByText('此記錄已鎖定：An accepted quote is issued and cannot be changed').waitFor();
    await screenshot(page, 'issued-locked-quote-1280-zh-TW');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByText('此記錄已鎖定：', { exact: false }).waitFor();
    await screenshot(page, 'issued-locked-quote-390-zh-TW');
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.reload();
    await page.getByText('This record is locked:', { exact: false }).waitFor();
    await screenshot(page, 'issued-locked-quote-390-en');
  });
});
