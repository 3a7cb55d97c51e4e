import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

// Nothing a user typed is lost in the browser: a number input never shows NaN and keeps text that is no number, with
// the reason; a grid cell's edit the server refuses stays in the cell, still edited, until fixed or undone.

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let ordersId: string;

async function api<T = Record<string, unknown>>(method: string, url: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(`${base}/api/w/${ws}${url}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}
const records = async () => (await api<{ records: { id: string; version: number; fields: Record<string, unknown> }[] }>('GET', `/sheets/${ordersId}/records?sort=Code`)).records;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  ordersId = (
    await api<{ id: string }>('POST', '/sheets', {
      name: 'Orders',
      fields: [
        { name: 'Code', type: 'text', unique: true },
        { name: 'Qty', type: 'number', options: { precision: 0 } },
        { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
        { name: 'Rate', type: 'percent', options: { precision: 1 } },
        { name: 'Score', type: 'rating' },
      ],
    })
  ).id;
  await api('POST', `/sheets/${ordersId}/rules`, { condition: { or: [{ '!': { var: 'Qty' } }, { '<=': [{ var: 'Qty' }, 1000] }] }, message: 'An order holds at most 1000 units' });
  await api('POST', `/sheets/${ordersId}/records`, { records: [{ fields: { Code: 'A-1', Qty: 5, Amount: 10 } }, { fields: { Code: 'A-2', Qty: 7, Amount: 20 } }] });
}, 180_000);

afterAll(() => app?.close());

const fieldError = (label: string) => page.locator('.form-row', { has: page.locator('label', { hasText: label }) }).getByRole('alert');
const noNaN = async () => expect(await page.locator('body').innerText()).not.toMatch(/NaN/);

describe('number inputs in Chromium', () => {
  it('keeps text that is no number as typed and says why when the field is left, never showing NaN', async () => {
    await page.goto(`${base}/w/${ws}/s/${ordersId}/new`);
    const qty = page.getByLabel('Qty', { exact: true });
    await qty.waitFor();
    const cases: [string, string][] = [
      ['abc', 'Qty is not a number: type digits, such as 1234.5'],
      ['--', 'Qty is not a number: type digits, such as 1234.5'],
      ['1e999', 'Qty is too large to store'],
      ['1,5', 'Qty has commas in the wrong place: commas only separate thousands and a point marks decimals, such as 1,234.5'],
      ['12345678901234567890', 'Qty has more digits than a number keeps exactly (about 15 at most)'],
    ];
    for (const [typed, message] of cases) {
      await qty.fill(typed);
      await qty.press('Tab');
      await expect.poll(() => fieldError('Qty').innerText()).toBe(message);
      expect(await qty.inputValue()).toBe(typed);
      expect(await qty.getAttribute('aria-invalid')).toBe('true');
      await noNaN();
    }
    // Fixing it clears the error as it is typed; clearing the field is no error either.
    await qty.fill('12');
    await expect.poll(() => fieldError('Qty').count()).toBe(0);
    await qty.fill('');
    await qty.press('Tab');
    expect(await fieldError('Qty').count()).toBe(0);
  });

  it('refuses to save while a number is not one, with the errors in English, Chinese and on a phone', async () => {
    await page.getByLabel('Code', { exact: true }).fill('B-1');
    await page.getByLabel('Qty', { exact: true }).fill('twelve');
    await page.getByLabel('Amount', { exact: true }).fill('1.234,50');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual(
      expect.arrayContaining(['Qty is not a number: type digits, such as 1234.5', expect.stringMatching(/^Amount has commas in the wrong place/)]),
    );
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toMatch(/^f-fld/);
    expect(await page.getByLabel('Qty', { exact: true }).inputValue()).toBe('twelve');
    await noNaN();
    expect((await records()).length).toBe(2);
    await screenshot(page, 'unsaved-number-errors');

    await page.getByLabel('Language').selectOption('zh-TW');
    await page.getByRole('button', { name: '儲存' }).click();
    await expect.poll(() => fieldError('Qty').innerText()).toBe('Qty 不是數字：請輸入數字，例如 1234.5');
    await screenshot(page, 'unsaved-number-errors-zh-TW');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'unsaved-number-errors-phone-zh-TW');
    await page.getByLabel('語言').selectOption('en');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fieldError('Qty').innerText()).toContain('is not a number');
    await screenshot(page, 'unsaved-number-errors-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('reads thousands separators, currency symbols, percent signs and full-width digits, and saves the numbers', async () => {
    await page.getByLabel('Qty', { exact: true }).fill('１２');
    await page.getByLabel('Amount', { exact: true }).fill('$1,234.50');
    await page.getByLabel('Rate', { exact: true }).fill('12.5%');
    await page.getByRole('radio', { name: '4' }).click();
    for (const label of ['Qty', 'Amount', 'Rate']) expect(await fieldError(label).count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'B-1' }).waitFor();
    const saved = (await records()).find((r) => r.fields.Code === 'B-1')!;
    expect(saved.fields).toEqual({ Code: 'B-1', Qty: 12, Amount: 1234.5, Rate: 0.125, Score: 4 });
    // On the record page the numbers read back as plain text, the percent as typed (12.5, not 12.500000000000002).
    expect(await page.getByLabel('Qty', { exact: true }).inputValue()).toBe('12');
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('1234.5');
    expect(await page.getByLabel('Rate', { exact: true }).inputValue()).toBe('12.5');
    await noNaN();
  });
});

describe('a public form in Chromium', () => {
  it('keeps a visitor\'s number text with the reason, asks before a reload loses the answers, then takes them', async () => {
    const form = await api<{ id: string; version: number }>('POST', `/sheets/${ordersId}/forms`, { name: 'Order form' });
    await api('POST', `/sheets/${ordersId}/forms/${form.id}/publish`, { version: form.version });
    const { token } = (await api<{ public: { token: string } }>('PUT', `/sheets/${ordersId}/forms/${form.id}/public`, { enabled: true })).public;
    const anonymous = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const visitor = await anonymous.newPage();
      visitor.on('pageerror', (error) => console.error(`[visitor] ${error.message}`));
      await visitor.goto(`${base}/f/${token}`);
      await visitor.getByLabel('Code', { exact: true }).fill('W-1');
      await visitor.getByLabel('Qty', { exact: true }).fill('a dozen');
      await visitor.getByRole('button', { name: 'Submit' }).click();
      const error = visitor.locator('.form-row', { has: visitor.locator('label', { hasText: 'Qty' }) }).getByRole('alert');
      await expect.poll(() => error.innerText()).toBe('Qty is not a number: type digits, such as 1234.5');
      expect(await visitor.getByLabel('Qty', { exact: true }).inputValue()).toBe('a dozen');
      expect(await visitor.locator('body').innerText()).not.toMatch(/NaN/);
      await screenshot(visitor, 'unsaved-public-number-phone');
      // Closing or reloading the page with answers typed in: the browser's own prompt (dismissed: the visitor stays).
      const asked: string[] = [];
      visitor.on('dialog', (dialog) => {
        asked.push(dialog.type());
        void dialog.dismiss();
      });
      await visitor.reload({ timeout: 3_000 }).catch(() => undefined);
      expect(asked).toEqual(['beforeunload']);
      await visitor.getByLabel('Qty', { exact: true }).fill('12');
      await visitor.getByRole('button', { name: 'Submit' }).click();
      await visitor.getByRole('status').filter({ hasText: /thank/i }).first().waitFor();
      expect((await records()).find((r) => r.fields.Code === 'W-1')?.fields.Qty).toBe(12);
    } finally {
      await anonymous.close();
    }
  });
});

describe('a refused grid edit in Chromium', () => {
  const row = (code: string) => page.getByRole('row').filter({ has: page.locator('[data-field="Code"]', { hasText: new RegExp(`^${code}$`) }) });
  const editing = () => page.locator('[role=gridcell].editing');
  const editor = () => editing().locator('input');
  const cellError = () => editing().locator('.cell-error');

  it('keeps a duplicate code the server refuses in the cell, still edited, with the reason, until it is fixed', async () => {
    await page.goto(`${base}/w/${ws}/s/${ordersId}`);
    await row('A-2').locator('[data-field="Code"]').dblclick();
    await editor().fill('A-1');
    await editor().press('Enter');
    await expect.poll(() => cellError().innerText()).toBe('Code must be unique: "A-1" is already used by another record\nEsc undoes your change');
    expect(await editing().getAttribute('data-field')).toBe('Code');
    expect(await editor().inputValue()).toBe('A-1');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('A-1');
    await screenshot(page, 'unsaved-grid-refused');

    // Clicking elsewhere leaves it open where it was: the same value would be refused again.
    await row('A-1').locator('[data-field="Qty"]').click();
    expect(await editing().getAttribute('data-field')).toBe('Code');
    expect(await editor().inputValue()).toBe('A-1');

    await page.getByLabel('Language').selectOption('zh-TW');
    await expect.poll(() => cellError().innerText()).toContain('按 Esc 可復原變更');
    await screenshot(page, 'unsaved-grid-refused-zh-TW');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'unsaved-grid-refused-phone-zh-TW');
    await page.getByLabel('語言').selectOption('en');
    await screenshot(page, 'unsaved-grid-refused-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await editor().fill('A-3');
    await editor().press('Enter');
    await expect.poll(() => editing().count()).toBe(0);
    await expect.poll(async () => (await records()).map((r) => r.fields.Code)).toEqual(['A-1', 'A-3', 'B-1', 'W-1']);
  });

  it('keeps a quantity a rule refuses, also when the cell was left by a click, and Escape undoes it', async () => {
    const qty = row('A-1').locator('[data-field="Qty"]');
    await qty.dblclick();
    await editor().fill('5000');
    // Left by a click on another cell: the refusal brings the edit back where it was typed.
    await row('A-3').locator('[data-field="Amount"]').click();
    await expect.poll(() => cellError().innerText()).toBe('An order holds at most 1000 units\nEsc undoes your change');
    expect(await editor().inputValue()).toBe('5000');
    expect(await editing().getAttribute('data-field')).toBe('Qty');
    await editor().press('Escape');
    await expect.poll(() => editing().count()).toBe(0);
    await expect.poll(() => row('A-1').locator('[data-field="Qty"]').innerText()).toBe('5');
    expect((await records()).find((r) => r.fields.Code === 'A-1')!.fields.Qty).toBe(5);
  });

  it('keeps text that is no number in a number cell without asking the server, and saves it once it is one', async () => {
    const amount = row('A-3').locator('[data-field="Amount"]');
    const before = (await records()).find((r) => r.fields.Code === 'A-3')!.version;
    await amount.dblclick();
    await editor().fill('twenty');
    await editor().press('Enter');
    await expect.poll(() => cellError().innerText()).toBe('Amount is not a number: type digits, such as 1234.5\nEsc undoes your change');
    expect(await editor().inputValue()).toBe('twenty');
    await noNaN();
    expect((await records()).find((r) => r.fields.Code === 'A-3')!.version).toBe(before);
    await editor().fill('$2,000');
    await editor().press('Enter');
    await expect.poll(() => row('A-3').locator('[data-field="Amount"]').innerText()).toBe('$2,000.00');
    expect((await records()).find((r) => r.fields.Code === 'A-3')!.fields.Amount).toBe(2000);
  });
});
