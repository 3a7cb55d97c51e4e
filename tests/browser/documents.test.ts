import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, SCREENSHOTS, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let quoteId: string;

const api = async (method: 'GET' | 'POST', url: string, data?: unknown) => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${url}`, { method, data });
  expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true);
  return res.json();
};

const TEMPLATE = `<header class="doc-header"><strong>Acme Trading</strong><span class="muted">{{date now "long"}}</span></header>
<h1>Quote {{[Name]}}</h1>
{{#each Account}}<p>{{Name}}<br>{{lines Address}}</p>{{/each}}
<table>
  <thead><tr><th>#</th><th>Product</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Total</th></tr></thead>
  <tbody>
  {{#each [Line items]}}
    <tr><td>{{inc @index}}</td><td>{{join Product}}</td><td class="num">{{number Quantity}}</td><td class="num">{{currency [Unit price] "USD"}}</td><td class="num">{{currency [Line total] "USD"}}</td></tr>
  {{/each}}
  </tbody>
</table>
<table class="totals"><tr class="grand"><th>Total</th><td>{{currency Subtotal "USD"}}</td></tr></table>
<footer class="doc-footer">Acme Trading · {{record.title}}</footer>`;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  await api('POST', '/sheets', { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }, { name: 'Address', type: 'long_text' }] });
  await api('POST', '/sheets', { name: 'Products', fields: [{ name: 'Name', type: 'text' }, { name: 'Price', type: 'currency', options: { currency: 'USD', precision: 2 } }] });
  await api('POST', '/sheets', { name: 'Line items', fields: [{ name: 'Description', type: 'text' }, { name: 'Quantity', type: 'number', options: { precision: 0 } }] });
  await api('POST', '/sheets/Line%20items/fields', { name: 'Product', type: 'link', options: { sheet: 'Products', relationship: 'many_to_one' } });
  await api('POST', '/sheets/Line%20items/fields', { name: 'Unit price', type: 'lookup', options: { link: 'Product', field: 'Price' } });
  await api('POST', '/sheets/Line%20items/fields', { name: 'Line total', type: 'formula', options: { expression: '{Quantity} * {Unit price}' } });
  await api('POST', '/sheets', { name: 'Quotes', fields: [{ name: 'Name', type: 'text' }] });
  await api('POST', '/sheets/Quotes/fields', { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
  await api('POST', '/sheets/Quotes/fields', { name: 'Line items', type: 'link', options: { sheet: 'Line items', relationship: 'one_to_many', inverseName: 'Quote' } });
  await api('POST', '/sheets/Quotes/fields', { name: 'Subtotal', type: 'rollup', options: { link: 'Line items', field: 'Line total', fn: 'sum' } });
  const account = await api('POST', '/sheets/Accounts/records', { fields: { Name: 'Globex', Address: '7 Xinyi Road\nTaipei 110' } });
  const products = await api('POST', '/sheets/Products/records', { records: [{ fields: { Name: 'Widget', Price: 1250 } }, { fields: { Name: 'Gadget', Price: 99.99 } }] });
  // Enough lines for a second printed page: the table header repeats there and no row is split.
  const lines = Array.from({ length: 36 }, (_, i) => ({ fields: { Product: [products.records[i % 2].id], Quantity: i + 1 } }));
  quoteId = (await api('POST', '/sheets/Quotes/records', { fields: { Name: 'Q-7', Account: [account.id], 'Line items': lines } })).id;
  await api('POST', '/sheets/Quotes/documents', { name: 'Quote', template: TEMPLATE });
}, 120_000);

afterAll(() => app?.close());

describe('documents in Chromium', () => {
  it('opens a quote from its record page in a new tab, with its lines and total, and prints it to PDF', async () => {
    await page.goto(`${base}/w/${ws}/s/Quotes/r/${quoteId}`);
    await page.getByRole('button', { name: 'Documents' }).click();
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('menuitem', { name: 'Quote' }).click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${base}/api/w/${ws}/sheets/${(await api('GET', '/sheets/Quotes')).id}/records/${quoteId}/documents/${(await api('GET', '/sheets/Quotes/documents'))[0].id}`);
    await tab.getByRole('heading', { name: 'Quote Q-7' }).waitFor();
    const rows = await tab.locator('tr:has(> td.num)').allInnerTexts();
    expect(rows).toHaveLength(36);
    expect(rows[0]!.split('\t')).toEqual(['1', 'Widget', '1', '$1,250.00', '$1,250.00']);
    expect(rows[1]!.split('\t')).toEqual(['2', 'Gadget', '2', '$99.99', '$199.98']);
    // 18 widgets of 1, 3, …, 35 and 18 gadgets of 2, 4, …, 36: 324 × 1250 + 342 × 99.99
    await expect.poll(() => tab.locator('.totals').innerText()).toMatch(/Total\s+\$439,196\.58/);
    expect(await tab.locator('p').first().innerText()).toBe('Globex\n7 Xinyi Road\nTaipei 110');
    await screenshot(tab, 'document-quote');
    await mkdir(SCREENSHOTS, { recursive: true });
    const pdf = await tab.pdf({ path: path.join(SCREENSHOTS, 'document-quote.pdf'), preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBeGreaterThan(1);
    await tab.close();
  });

  it('edits a template with a live preview, shows an error with its line, and saves', async () => {
    await page.goto(`${base}/w/${ws}/s/Quotes/r/${quoteId}`);
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('menuitem', { name: 'Edit document templates…' }).click();
    const editor = page.getByRole('textbox', { name: 'Template (Handlebars)' });
    await expect.poll(() => editor.inputValue()).toBe(TEMPLATE);
    const preview = page.frameLocator('iframe[title="Preview"]');
    await preview.getByRole('heading', { name: 'Quote Q-7' }).waitFor();

    await editor.fill(TEMPLATE.replace('<h1>Quote {{[Name]}}</h1>', '<h1>Quotation {{[Name]}}</h1>\n<p class="note">{{count [Line items]}} lines</p>'));
    await preview.getByRole('heading', { name: 'Quotation Q-7' }).waitFor();
    await preview.getByText('36 lines').waitFor();

    await editor.fill('<h1>{{[Name]}}</h1>\n<p>{{#each [Line items]}}{{Quantity}}</p>');
    const problem = page.getByRole('alert');
    await expect.poll(() => problem.innerText()).toMatch(/^Line 2, column \d+:/);
    await screenshot(page, 'document-editor-error');

    await editor.fill(TEMPLATE.replace('<h1>Quote {{[Name]}}</h1>', '<h1>Offer {{[Name]}}</h1>'));
    await preview.getByRole('heading', { name: 'Offer Q-7' }).waitFor();
    await expect.poll(() => problem.count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', '/sheets/Quotes/documents'))[0].template).toContain('<h1>Offer {{[Name]}}</h1>');
    await screenshot(page, 'document-editor');
  });
});
