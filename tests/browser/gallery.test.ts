import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, SCREENSHOTS, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
}, 120_000);

afterAll(() => app?.close());

describe('the template gallery in Chromium', () => {
  it('previews a form, installs the Full CRM with sample data and shows its sheets on the workspace home', async () => {
    await page.goto(`${base}/w/${ws}`);
    await page.getByRole('link', { name: 'Start from a template' }).click();
    const card = page.getByRole('article', { name: 'Full CRM' });
    await card.getByText('Quote lines').waitFor();
    // And the roles it creates, to invite people with.
    await card.getByText('And these roles, to invite people with').waitFor();
    for (const role of ['Sales rep', 'Sales manager']) await card.getByText(role, { exact: true }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'gallery-roles', false);

    // The quote form, read-only: its line items as a related list, its totals.
    await card.getByRole('button', { name: 'Preview forms' }).click();
    await card.getByRole('tab', { name: 'Quote', exact: true }).click();
    const form = card.locator('.gallery-form');
    await form.getByRole('heading', { name: 'Line items' }).waitFor();
    await form.getByText('Linked records, editable in place').waitFor();
    await form.getByText('Grand total', { exact: true }).waitFor();
    await screenshot(page, 'gallery-preview', false);

    await expect.poll(() => card.getByLabel('With sample records').isChecked()).toBe(true);
    await card.getByRole('button', { name: 'Install Full CRM' }).click();
    // The first sheet it created opens.
    await page.waitForURL(/\/s\/sht/, { timeout: 60_000 });
    await page.getByRole('link', { name: 'CRM builder' }).click();
    const home = page.locator('.sheet-cards');
    for (const name of ['Leads', 'Accounts', 'Contacts', 'Opportunities', 'Products', 'Quotes', 'Quote lines', 'Contracts', 'Activities']) {
      await home.getByRole('link', { name: new RegExp(`^${name}`) }).waitFor();
    }
    await screenshot(page, 'gallery-installed');
    const quotes = await (await page.request.get(`${base}/api/w/${ws}/sheets/Quotes/records?limit=1`)).json();
    expect(quotes.records[0].fields['Quote number']).toBe('Q-000001');
  }, 120_000);

  it('opens a quote of the installed CRM and prints it with its line items and grand total', async () => {
    await page.locator('.sheet-cards').getByRole('link', { name: /^Quotes/ }).click();
    // The grid lists quotes in the order they were written: the first is Q-000001.
    await page.getByRole('gridcell', { name: 'Q-000001' }).waitFor();
    await page.getByRole('link', { name: /^open / }).first().click();
    await page.getByRole('heading', { name: 'Q-000001' }).waitFor();
    await page.getByRole('button', { name: 'Documents' }).click();
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('menuitem', { name: 'Quote' }).click()]);
    await tab.getByRole('heading', { name: 'Quote for Cancity – GTX Plus Basic' }).waitFor();
    await screenshot(tab, 'gallery-quote');
    // What the browser's print preview lays out: the page in print media (A4, printed below as a PDF).
    await tab.emulateMedia({ media: 'print' });
    const rows = (await tab.locator('table.lines tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    expect(rows).toEqual([
      ['1', 'GTX Pro', '3', '$4,821.00', '15.0%', '$12,293.55'],
      ['2', 'MG Special', '7', '$55.00', '7.5%', '$356.13'],
      ['3', 'Installation', '2', '$299.99', '–', '$599.98'],
    ]);
    const grand = tab.locator('.totals .grand');
    expect(await grand.isVisible()).toBe(true);
    expect((await grand.innerText()).replace(/\s+/g, ' ')).toBe('Grand total $13,912.14');
    await mkdir(SCREENSHOTS, { recursive: true });
    const pdf = await tab.pdf({ path: path.join(SCREENSHOTS, 'gallery-quote.pdf'), preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await tab.close();
  }, 60_000);

  it('converts a qualified lead of the installed CRM from its record page and shows what it became', async () => {
    const leads = (await (await page.request.get(`${base}/api/w/${ws}/sheets/Leads/records?limit=100`)).json()).records as { id: string; fields: Record<string, unknown> }[];
    const convert = page.getByRole('button', { name: 'Convert to account, contact and opportunity' });
    // A new lead is not qualified yet: the button says why it cannot convert.
    await page.goto(`${base}/w/${ws}/s/Leads/r/${leads.find((r) => r.fields.Status === 'New')!.id}`);
    expect(await convert.isDisabled()).toBe(true);
    expect(await convert.getAttribute('title')).toBe('Status must be "Qualified" to convert');

    const liam = leads.find((r) => r.fields.Name === 'Liam Patel')!;
    await page.goto(`${base}/w/${ws}/s/Leads/r/${liam.id}`);
    await convert.click();
    const dialog = page.getByRole('dialog', { name: 'Convert to account, contact and opportunity' });
    await dialog.getByRole('button', { name: 'Convert to account, contact and opportunity' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The lead form leaves the conversion links out; the record page shows them beside it, as chips.
    const more = page.getByRole('region', { name: 'More fields' });
    await more.getByRole('button', { name: 'Liam Patel' }).waitFor();
    expect(await convert.isDisabled()).toBe(true);
    expect(await page.getByLabel('Status').inputValue()).toBe('Converted');
    await screenshot(page, 'lead-converted');
    await more.getByRole('button', { name: 'Betatech' }).first().click();
    await page.getByRole('heading', { name: 'Betatech' }).waitFor();
  }, 60_000);

  it('installs in Traditional Chinese beside the English sheets', async () => {
    await page.goto(`${base}/w/${ws}/templates`);
    const card = page.getByRole('article', { name: 'Leads' });
    await card.getByLabel('Language').selectOption('zh-TW');
    await card.getByLabel('With sample records').uncheck();
    await card.getByRole('button', { name: 'Install Leads' }).click();
    await page.waitForURL(/\/s\/sht/, { timeout: 60_000 });
    const sheets = await (await page.request.get(`${base}/api/w/${ws}/sheets`)).json();
    expect(sheets.map((s: { name: string }) => s.name)).toContain('潛在客戶');
  }, 60_000);

  it('saves the workspace as a template file with its records and installs the file in another workspace', async () => {
    await page.goto(`${base}/w/${ws}/templates`);
    const own = page.getByRole('region', { name: 'Your own templates' });
    await own.getByLabel('With its records').check();
    const [download] = await Promise.all([page.waitForEvent('download'), own.getByRole('link', { name: 'Download template file' }).click()]);
    const file = path.join(SCREENSHOTS, 'workspace-template.json');
    await download.saveAs(file);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { sheets: { name: string; records?: unknown[] }[] };
    expect(saved.sheets.map((s) => s.name)).toContain('潛在客戶');
    expect(saved.sheets.find((s) => s.name === 'Quotes')!.records).toHaveLength(12);

    const other = (await (await page.request.post(`${base}/api/workspaces`, { data: { name: 'Branch office' } })).json()).id;
    await page.goto(`${base}/w/${other}/templates`);
    await page.getByRole('region', { name: 'Your own templates' }).getByLabel('Choose a template file…').setInputFiles(file);
    await page.waitForURL(/\/s\/sht/, { timeout: 60_000 });
    const sheets = await (await page.request.get(`${base}/api/w/${other}/sheets`)).json();
    expect(sheets.map((s: { name: string }) => s.name).sort()).toEqual(saved.sheets.map((s) => s.name).sort());
    const quotes = await (await page.request.get(`${base}/api/w/${other}/sheets/Quotes/records?limit=100`)).json();
    expect(quotes.records).toHaveLength(12);

    // A file that is not a template is refused with a message, and nothing is created.
    await page.goto(`${base}/w/${other}/templates`);
    await page.getByRole('region', { name: 'Your own templates' }).getByLabel('Choose a template file…').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"sheets": 3}') });
    await page.getByText(/^template\.key: /).waitFor();
    await screenshot(page, 'gallery-own-templates', false);
    expect((await (await page.request.get(`${base}/api/w/${other}/sheets`)).json()).length).toBe(sheets.length);
  }, 120_000);
});
