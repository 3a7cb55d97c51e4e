import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let me: { id: string; name: string; email: string };
let accountId: string;
let opportunityId: string;

const api = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown): Promise<T> => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json() as Promise<T>;
};
const fieldRow = (label: string) => page.locator('.form-row', { has: page.locator('label', { hasText: new RegExp(`^${label}`) }) });

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await (await page.request.post(`${base}/api/setup`, { data: { email: 'olivia@example.com', password: 'correct horse', name: 'Olivia Owner' } })).json();
  ws = setup.workspace.id;
  me = (await (await page.request.get(`${base}/api/me`)).json()).user;
  await api('POST', '/templates/full-crm/install', { language: 'en', sampleData: false });
  accountId = (await api<{ id: string }>('POST', '/sheets/Accounts/records', { fields: { 'Account name': 'Acme Corp' } })).id;
  await api('POST', '/sheets/Accounts/records', { fields: { 'Account name': 'Globex' } });
  opportunityId = (await api<{ id: string }>('POST', '/sheets/Opportunities/records', { fields: { Opportunity: 'Acme rollout', Stage: 'Proposal', Account: [accountId] } })).id;
  await api('POST', '/sheets/Products/records', { fields: { Product: 'Widget', 'Unit price': 10.5 } });
  await api('POST', '/sheets/Products/records', { fields: { Product: 'Gadget', 'Unit price': 99.99 } });
}, 180_000);

afterAll(() => app?.close());

describe('new records start right', () => {
  it('gives owner fields the user who creates the record, through the API and in the form', async () => {
    // The server: written without an owner, the creator owns it; an owner given (or none, explicitly) is kept.
    const written = await api<{ fields: Record<string, unknown> }>('POST', '/sheets/Accounts/records', { fields: { 'Account name': 'Initech' } });
    expect(written.fields['Account owner']).toEqual(me);
    const none = await api<{ fields: Record<string, unknown> }>('POST', '/sheets/Accounts/records', { fields: { 'Account name': 'Umbrella', 'Account owner': null } });
    expect(none.fields['Account owner']).toBeUndefined();
    const opportunity = await api<{ fields: Record<string, unknown> }>('POST', '/sheets/Opportunities/records', { fields: { Opportunity: 'Side deal', Stage: 'Proposal' } });
    expect(opportunity.fields.Owner).toEqual(me);

    // The form shows it before saving, and saves it.
    await page.goto(`${base}/w/${ws}/s/Opportunities/new`);
    await expect.poll(() => page.getByLabel('Owner', { exact: true }).inputValue()).toBe('Olivia Owner');
    await screenshot(page, 'new-opportunity-owner');
  });

  it('starts a quote from its opportunity with the opportunity and its account', async () => {
    await page.goto(`${base}/w/${ws}/s/Opportunities/r/${opportunityId}`);
    await page.getByRole('heading', { name: 'Acme rollout' }).waitFor();
    await page.getByRole('button', { name: 'New' }).click();
    await screenshot(page, 'new-linked-menu', false);
    await page.getByRole('menuitem', { name: 'Quotes' }).click();
    await page.getByRole('heading', { name: /Quotes/ }).waitFor();
    const chips = (label: string) => fieldRow(label).locator('.chip-link a').allInnerTexts();
    await expect.poll(() => chips('Opportunity')).toEqual(['Acme rollout']);
    await expect.poll(() => chips('Account')).toEqual(['Acme Corp']);
    await expect.poll(() => page.getByLabel('Prepared by', { exact: true }).inputValue()).toBe('Olivia Owner');
  });

  it("updates the quote's totals live as line items are entered, before it is saved", async () => {
    await fieldRow('Title').locator('input').fill('Acme rollout quote');
    await fieldRow('Quote date').locator('input').fill('2026-12-07');
    await fieldRow('Tax rate').locator('input').fill('5');
    const subtotal = fieldRow('Subtotal').locator('.readonly');
    const total = fieldRow('Grand total').locator('.readonly');
    await expect.poll(() => subtotal.innerText()).toBe('$0.00');
    const table = page.getByRole('table', { name: 'Line items' });
    const headers = await table.locator('thead th').allInnerTexts();
    const newRow = table.locator('tr.new-row');
    const input = (column: string) => newRow.locator('td').nth(headers.indexOf(column)).locator('input').first();
    await input('Item').fill('Two widgets');
    await newRow.getByPlaceholder('Search Products').fill('Wid');
    await page.getByRole('option', { name: 'Widget' }).click();
    await input('Quantity').fill('2');
    // Not added yet, not saved: 2 × 10.50 = 21.00, tax 5 % = 1.05.
    await expect.poll(() => subtotal.innerText()).toBe('$21.00');
    await expect.poll(() => total.innerText()).toBe('$22.05');
    // The line shows its own list price and total too.
    const cellOf = (row: ReturnType<typeof table.locator>, column: string) => row.locator('td').nth(headers.indexOf(column));
    await expect.poll(() => cellOf(newRow, 'Line total').innerText()).toBe('$21.00');
    await expect.poll(() => cellOf(newRow, 'List price').innerText()).toBe('$10.50');
    await newRow.getByRole('button', { name: '+ Add row' }).click();
    await expect.poll(() => cellOf(table.locator('tr.draft').first(), 'Line total').innerText()).toBe('$21.00');
    await input('Item').fill('A gadget');
    await newRow.getByPlaceholder('Search Products').fill('Gad');
    await page.getByRole('option', { name: 'Gadget' }).click();
    await input('Quantity').fill('1');
    await input('Discount').fill('10');
    // 21.00 + 99.99 × 0.9 (89.99) = 110.99; tax 5.55.
    await expect.poll(() => subtotal.innerText()).toBe('$110.99');
    await expect.poll(() => total.innerText()).toBe('$116.54');
    await screenshot(page, 'new-quote-live-totals');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/r\/[^/]+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const saved = await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Quotes/records/${id}`);
    expect(saved.fields).toMatchObject({ Subtotal: 110.99, 'Grand total': 116.54, 'Prepared by': me });
    expect((saved.fields.Account as { id: string }[]).map((l) => l.id)).toEqual([accountId]);
    expect((saved.fields.Opportunity as { id: string }[]).map((l) => l.id)).toEqual([opportunityId]);
  });

  it('reads the same in Traditional Chinese and at phone width', async () => {
    for (const [locale, width] of [['en', 390], ['zh-TW', 1280], ['zh-TW', 390]] as const) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      await page.goto(`${base}/w/${ws}/s/Quotes/new?from=${opportunityId}&via=${(await api<{ fields: { id: string; name: string }[] }>('GET', '/sheets/Quotes')).fields.find((f) => f.name === 'Opportunity')!.id}`);
      await fieldRow('Account').locator('.chip-link').or(page.locator('.chip-link', { hasText: 'Acme Corp' })).first().waitFor();
      await screenshot(page, `new-quote-${locale}-${width}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.goto(`${base}/w/${ws}/s/Opportunities/r/${opportunityId}`);
      await page.getByRole('heading', { name: 'Acme rollout' }).waitFor();
      await page.locator('.record-head button[aria-haspopup=menu]').first().click();
      await page.getByRole('menuitem', { name: 'Quotes' }).waitFor();
      await screenshot(page, `new-linked-menu-${locale}-${width}`, false);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
