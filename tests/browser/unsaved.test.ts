import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

// Nothing a user typed is lost in the browser: leaving a record form, the form designer or the document editor with
// unsaved changes asks first (in-app links, the back button, reloading or closing the tab), and a quote's line item
// filled in but not added is saved with the quote or the save stops and says why.

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let notesId: string;
let quotesId: string;

async function api<T = Record<string, unknown>>(method: string, url: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(`${base}/api/w/${ws}${url}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as T;
}

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  await api('POST', '/templates/full-crm/install', { sampleData: false });
  quotesId = (await api<{ id: string }>('GET', '/sheets/Quotes')).id;
  notesId = (await api<{ id: string }>('POST', '/sheets', { name: 'Notes', fields: [{ name: 'Title', type: 'text' }, { name: 'Body', type: 'long_text' }, { name: 'Topic', type: 'text' }] })).id;
  await api('POST', `/sheets/${notesId}/records`, { fields: { Title: 'First note' } });
  await api('POST', `/sheets/${notesId}/records`, { fields: { Title: 'Second note' } });
}, 180_000);

afterAll(() => app?.close());

const question = () => page.getByRole('alertdialog');
const path = () => new URL(page.url()).pathname;

/** Reloads the page with the browser's own prompt dismissed (the user stays); answers whether it was asked. */
async function reloadAndStay(): Promise<boolean> {
  const asked: string[] = [];
  const onDialog = (dialog: Dialog) => {
    asked.push(dialog.type());
    void dialog.dismiss();
  };
  page.on('dialog', onDialog);
  await page.reload({ timeout: 3_000 }).catch(() => undefined);
  page.off('dialog', onDialog);
  return asked.includes('beforeunload');
}

/**
 * The browser's back button when the page undoes the step (the user is asked first): Playwright may wait for a
 * navigation that the undo replaced, so its wait is cut short and the question is what the test waits for.
 */
async function backAndAsk() {
  // A question still closing would take the back button's popstate for itself.
  await question().waitFor({ state: 'hidden' });
  const from = page.url();
  // Traversals the page saw begin (the Navigation API's navigate event, before any popstate listener of the app).
  await page.evaluate(() => {
    const w = window as unknown as { traversals: number; navigation: EventTarget };
    w.traversals = 0;
    w.navigation.addEventListener('navigate', (event) => {
      if ((event as Event & { navigationType?: string }).navigationType === 'traverse') w.traversals++;
    });
  });
  let began = false;
  for (let press = 0; press < 3 && !began; press++) {
    await page.goBack({ timeout: 3_000 }).catch(() => undefined);
    // A busy browser may drop the press itself: pressed again only when the page saw no traversal begin at all, so
    // a back step the app failed to ask about still fails below.
    began = await page.waitForFunction(() => (window as unknown as { traversals: number }).traversals > 0, undefined, { timeout: 5_000 }).then(
      () => true,
      () => false,
    );
  }
  expect(began, 'the back button never began a traversal').toBe(true);
  await question()
    .waitFor()
    .catch(async (error: Error) => {
      const state = await page.evaluate(() => ({ url: location.href, state: JSON.stringify(history.state), length: history.length }));
      throw new Error(`no question after the back button (from ${from}; now ${JSON.stringify(state)}): ${error.message}`);
    });
}

/** Leaves through an in-app link with nothing unsaved: no question, the page changes. */
async function leavesWithoutAsking(click: () => Promise<void>, to: RegExp) {
  await click();
  await page.waitForURL(to);
  expect(await question().count()).toBe(0);
}

describe('leaving a page with unsaved changes in Chromium', () => {
  it('asks on a new record before a link, the back button, Cancel or a reload, and keeps what was typed', async () => {
    await page.goto(`${base}/w/${ws}/s/${notesId}`);
    // Nothing typed: the new record page is left without a question.
    await page.getByRole('link', { name: '+ New record' }).click();
    await page.getByLabel('Title', { exact: true }).waitFor();
    await leavesWithoutAsking(() => page.getByRole('link', { name: 'Quotes', exact: true }).click(), /\/s\/sht[^/]+$/);
    await page.goBack();
    await page.getByLabel('Title', { exact: true }).waitFor();
    expect(await reloadAndStay()).toBe(false);

    const newPath = path();
    await page.getByLabel('Title', { exact: true }).click();
    await page.getByLabel('Title', { exact: true }).fill('Call the printer');
    await page.getByLabel('Body', { exact: true }).fill('About the brochure, 500 copies');
    // A link inside the app: the app's own question, Stay keeps everything.
    await page.getByRole('link', { name: 'Quotes', exact: true }).click();
    await question().waitFor();
    expect(await question().getByRole('heading').innerText()).toBe('Leave without saving?');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Stay on this page');
    await screenshot(page, 'unsaved-leave-dialog', false);
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    expect(await question().count()).toBe(0);
    expect(path()).toBe(newPath);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Call the printer');

    // The browser's back button: the step is undone while the question is open; Escape stays.
    await backAndAsk();
    await expect.poll(path).toBe(newPath);
    await page.keyboard.press('Escape');
    expect(await question().count()).toBe(0);
    expect(path()).toBe(newPath);
    expect(await page.getByLabel('Body', { exact: true }).inputValue()).toBe('About the brochure, 500 copies');

    // Cancel leaves the page too, so it asks as well.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await question().waitFor();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    expect(path()).toBe(newPath);

    // Signing out would lose it too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    expect(path()).toBe(newPath);
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(200);

    // Reloading or closing the tab: the browser's own prompt.
    expect(await reloadAndStay()).toBe(true);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Call the printer');

    // Back, and this time leave: the sheet opens, nothing was saved.
    await backAndAsk();
    await question().getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL(new RegExp(`/s/${notesId}$`));
    expect(((await api<{ records: unknown[] }>('GET', `/sheets/${notesId}/records`)).records).length).toBe(2);
    // Forward again to the new record page and back once more: nothing typed now, nothing asked.
    await page.getByRole('link', { name: '+ New record' }).click();
    await page.getByLabel('Title', { exact: true }).waitFor();
    await leavesWithoutAsking(() => page.goBack().then(() => undefined), new RegExp(`/s/${notesId}$`));
  });

  it('saves a new record without asking and lands on it', async () => {
    await page.getByRole('link', { name: '+ New record' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Order toner');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Order toner' }).waitFor();
    expect(await question().count()).toBe(0);
    expect(path()).toMatch(new RegExp(`/s/${notesId}/r/\\d+$`));
  });

  it('asks on a record page with edits (in English, Chinese and on a phone), not once they are saved', async () => {
    const recordPath = path();
    await page.getByLabel('Topic', { exact: true }).fill('Supplies');
    await page.getByRole('link', { name: /Back to Notes/ }).click();
    await question().waitFor();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    expect(path()).toBe(recordPath);

    // The same question in Traditional Chinese, and at a phone's width.
    await page.getByLabel('Language').selectOption('zh-TW');
    await page.getByRole('link', { name: /回到 Notes/ }).click();
    await question().waitFor();
    expect(await question().getByRole('heading').innerText()).toBe('要離開而不儲存嗎？');
    expect(await question().getByRole('button').allInnerTexts()).toEqual(['留在此頁', '離開，不儲存']);
    await screenshot(page, 'unsaved-leave-dialog-zh-TW', false);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'unsaved-leave-dialog-phone-zh-TW', false);
    await question().getByRole('button', { name: '留在此頁' }).click();
    await page.getByLabel('語言').selectOption('en');
    await page.getByRole('link', { name: /Back to Notes/ }).click();
    await question().waitFor();
    await screenshot(page, 'unsaved-leave-dialog-phone', false);
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.getByLabel('Topic', { exact: true }).inputValue()).toBe('Supplies');

    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api<{ fields: Record<string, unknown> }>('GET', `/sheets/${notesId}/records/${recordPath.split('/').pop()}`)).fields.Topic).toBe('Supplies');
    // The server has it; the page knows once it says so (the answer may still be on its way when the API is asked).
    await page.getByText('Saved', { exact: true }).first().waitFor();
    expect(await reloadAndStay()).toBe(false);
    await leavesWithoutAsking(() => page.getByRole('link', { name: /Back to Notes/ }).click(), new RegExp(`/s/${notesId}$`));
  });

  it('asks in the form designer with unsaved changes, not after Save draft', async () => {
    await api('POST', `/sheets/${notesId}/forms`, { name: 'Note form' });
    // Opened inside the app (sheet, its forms, the form), so the back button steps within it.
    await page.goto(`${base}/w/${ws}/s/${notesId}`);
    await page.getByRole('link', { name: 'Forms' }).click();
    await page.getByRole('link', { name: 'Note form' }).first().click();
    await page.getByRole('region', { name: 'Form layout' }).waitFor();
    const designerPath = path();
    await leavesWithoutAsking(() => page.getByRole('link', { name: 'Quotes', exact: true }).click(), /\/s\/sht[^/]+$/);
    await page.goBack();
    await page.getByRole('region', { name: 'Form layout' }).waitFor();

    await page.getByRole('button', { name: 'Remove Topic', exact: true }).click();
    await page.getByRole('link', { name: 'Quotes', exact: true }).click();
    await question().waitFor();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    await backAndAsk();
    await expect.poll(path).toBe(designerPath);
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    expect(await reloadAndStay()).toBe(true);
    expect(await page.getByRole('button', { name: 'Remove Topic', exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.locator('.designer-status').innerText()).toBe('Not published yet');
    await leavesWithoutAsking(() => page.getByRole('link', { name: 'Quotes', exact: true }).click(), /\/s\/sht[^/]+$/);
  });

  it('asks in the document editor with unsaved changes, not for another preview record nor after Save', async () => {
    await api('POST', `/sheets/${notesId}/documents`, { name: 'Letter', template: '<h1>{{[Title]}}</h1>' });
    // Opened from a record's Documents menu, inside the app.
    const first = (await api<{ records: { id: string; fields: { Title?: string } }[] }>('GET', `/sheets/${notesId}/records`)).records.find((r) => r.fields.Title === 'First note')!;
    await page.goto(`${base}/w/${ws}/s/${notesId}/r/${first.id}`);
    await page.getByRole('button', { name: 'Documents' }).click();
    await page.getByRole('menuitem', { name: 'Edit document templates…' }).click();
    const template = page.getByLabel('Template (Handlebars)');
    await template.waitFor();
    await template.fill('<h1>{{[Title]}}</h1>\n<p>Dear customer,</p>');
    // Previewing another record changes only the address's query: the editor stays, nothing is asked.
    const picker = page.getByLabel('Preview with');
    await expect.poll(() => picker.locator('option').count()).toBeGreaterThan(1);
    await picker.selectOption({ label: 'Second note' });
    await expect.poll(() => page.url()).toContain('?record=');
    expect(await question().count()).toBe(0);

    await page.getByRole('link', { name: '← Notes' }).click();
    await question().waitFor();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    await backAndAsk();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    await expect.poll(() => page.url()).toMatch(/\/documents\?record=/);
    expect(await template.inputValue()).toContain('Dear customer');
    expect(await reloadAndStay()).toBe(true);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await api<{ template: string }[]>('GET', `/sheets/${notesId}/documents`))[0]!.template).toContain('Dear customer');
    await leavesWithoutAsking(() => page.getByRole('link', { name: '← Notes' }).click(), new RegExp(`/s/${notesId}/r/\\d+$`));
  });
});

describe('a related list\'s row filled in but not added in Chromium', () => {
  const table = () => page.getByRole('table', { name: 'Line items' });
  const newRow = () => table().locator('tr.new-row');
  const cell = (column: number) => newRow().locator('td').nth(column).locator('input');
  // Columns: open, Item, Product, List price, Unit price, Quantity, Discount, Line total.
  const [ITEM, PRICE, QUANTITY] = [1, 4, 5];
  const quoteCount = async () => (await api<{ records: unknown[] }>('GET', '/sheets/Quotes/records?limit=100')).records.length;

  async function newQuote(title: string) {
    await page.goto(`${base}/w/${ws}/s/${quotesId}/new`);
    await table().waitFor();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Quote date').fill('2026-11-02');
  }

  it('saves a new quote with the line item typed in its new row, never dropping it', async () => {
    await newQuote('Brochures');
    await cell(ITEM).fill('Printing');
    await cell(PRICE).fill('1,200');
    await cell(QUANTITY).fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /^Q-\d+$/ }).waitFor();
    expect(await question().count()).toBe(0);
    const quote = await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Quotes/records/${path().split('/').pop()}`);
    expect(quote.fields.Title).toBe('Brochures');
    expect(quote.fields.Subtotal).toBe(2400);
    const lines = quote.fields['Line items'] as { id: string }[];
    expect(lines).toHaveLength(1);
    const line = await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Quote lines/records/${lines[0]!.id}`);
    expect(line.fields).toMatchObject({ Item: 'Printing', 'Unit price': 1200, Quantity: 2 });
  });

  it('stops the save and says why when the line item typed in is refused, keeping it as typed', async () => {
    const before = await quoteCount();
    await newQuote('Posters');
    await cell(ITEM).fill('Poster run');
    await cell(QUANTITY).fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.locator('.linked-error');
    await expect.poll(() => error.innerText()).toBe('Line items: The new row was not saved: A line without a product needs a unit price');
    await screenshot(page, 'unsaved-line-refused');
    expect(path()).toMatch(/\/new$/);
    expect(await quoteCount()).toBe(before);
    expect(await cell(ITEM).inputValue()).toBe('Poster run');
    expect(await cell(QUANTITY).inputValue()).toBe('3');

    // A quantity that is no number is never sent: the save stops at once, naming the field and the problem.
    await cell(PRICE).fill('40');
    await cell(QUANTITY).fill('three');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => error.innerText()).toBe('Line items: The new row is not added yet: Quantity is not a number: type digits, such as 1234.5');
    expect(await page.locator('body').innerText()).not.toContain('NaN');
    // "+ Add row" refuses it the same way, under the table.
    await newRow().getByRole('button', { name: '+ Add row' }).click();
    await expect.poll(() => table().locator('..').locator('.linked-error').first().innerText()).toContain('Quantity is not a number');
    expect(await table().locator('tr.draft').count()).toBe(0);
    expect(await quoteCount()).toBe(before);

    // Leaving now asks (the row alone is an unsaved change); fixed, the quote saves with the line.
    await page.getByRole('link', { name: 'Quotes', exact: true }).click();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    await cell(QUANTITY).fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /^Q-\d+$/ }).waitFor();
    const quote = await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Quotes/records/${path().split('/').pop()}`);
    expect(quote.fields.Subtotal).toBe(120);
  });

  it('adds the line item typed in on a saved quote when the quote is saved, with the quote\'s own changes', async () => {
    const quote = await api<{ id: string }>('POST', '/sheets/Quotes/records', { fields: { Title: 'Flyers', 'Quote date': '2026-11-03' } });
    await page.goto(`${base}/w/${ws}/s/${quotesId}/r/${quote.id}`);
    await table().waitFor();
    await page.getByLabel('Title').fill('Flyers, folded');
    await cell(ITEM).fill('Folding');
    await cell(PRICE).fill('0.05');
    await cell(QUANTITY).fill('1,000');
    await page.getByRole('link', { name: /Back to Quotes/ }).click();
    await question().getByRole('button', { name: 'Stay on this page' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Quotes/records/${quote.id}`)).fields.Title).toBe('Flyers, folded');
    const saved = await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Quotes/records/${quote.id}`);
    expect(saved.fields.Subtotal).toBe(50);
    expect(saved.fields['Line items']).toHaveLength(1);
    // The row is now one of the quote's lines, and the new row is empty again.
    await expect.poll(() => table().locator('tbody tr:not(.new-row)').count()).toBe(1);
    expect(await cell(ITEM).inputValue()).toBe('');
    // A saved line's quantity that is no number stays in its cell with the reason, and is not sent.
    const saved0 = table().locator('tbody tr:not(.new-row)').first().locator('td').nth(QUANTITY).locator('input');
    await saved0.fill('lots');
    await saved0.press('Enter');
    await expect.poll(() => table().locator('tbody tr:not(.new-row) [role=alert]').innerText()).toBe('Quantity is not a number: type digits, such as 1234.5');
    expect(await saved0.inputValue()).toBe('lots');
    await saved0.fill('1000');
    await saved0.press('Enter');
    await expect.poll(() => table().locator('tbody tr:not(.new-row) [role=alert]').count()).toBe(0);
    await leavesWithoutAsking(() => page.getByRole('link', { name: /Back to Quotes/ }).click(), new RegExp(`/s/${quotesId}$`));
  });
});
