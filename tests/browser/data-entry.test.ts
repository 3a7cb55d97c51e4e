import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ server, browser, page, base } = app);
}, 120_000);

afterAll(() => app?.close());

describe('the data-entry app in Chromium', () => {
  it('sets up the first account and lands in the workspace', async () => {
    await page.goto(base);
    await page.getByLabel('Name').fill('Owner');
    await page.getByLabel('Email').fill('owner@example.com');
    await page.getByLabel('Password').fill('correct horse');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Sheets' }).waitFor();
    ws = new URL(page.url()).pathname.split('/')[2]!;
    expect(ws).toMatch(/^wsp/);
  });

  it('enters a record through the generated form, showing a validation error first', async () => {
    const created = await page.request.post(`${base}/api/w/${ws}/sheets`, {
      data: {
        name: 'Deals',
        fields: [
          { name: 'Name', type: 'text', required: true },
          { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
          { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }] } },
          { name: 'Email', type: 'email' },
          { name: 'Close date', type: 'date' },
        ],
      },
    });
    expect(created.status()).toBe(201);
    sheetId = (await created.json()).id;
    for (let i = 1; i <= 120; i++) await page.request.post(`${base}/api/w/${ws}/sheets/${sheetId}/records`, { data: { fields: { Name: `Deal ${String(i).padStart(3, '0')}`, Amount: i * 10 } } });
    await page.goto(`${base}/w/${ws}/s/${sheetId}/new`);
    await page.getByLabel('Email').fill('not an email');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual(expect.arrayContaining(['Name is required', 'Email must be an email address such as name@example.com']));
    await screenshot(page, 'form-errors');
    await page.getByLabel('Name').fill('Acme renewal');
    await page.getByLabel('Email').fill('buyer@acme.example');
    await page.getByLabel('Amount').fill('1234.5');
    await page.getByLabel('Stage').selectOption('Won');
    await page.getByLabel('Close date').fill('2026-12-31');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Acme renewal' }).waitFor();
    await screenshot(page, 'record-page');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/records/${id}`)).json();
    expect(stored.fields).toEqual({ Name: 'Acme renewal', Amount: 1234.5, Stage: 'Won', Email: 'buyer@acme.example', 'Close date': '2026-12-31' });
  });

  it('finds the record in the grid by search, scrolls through pages, and edits a cell inline', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    const cellWith = (text: string) => page.locator('[role=gridcell]', { hasText: text });
    await cellWith('Deal 001').waitFor();
    await screenshot(page, 'grid');
    // Scrolling loads the next page (100 per page) without a count.
    await expect
      .poll(async () => {
        await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
        return cellWith('Deal 120').count();
      })
      .toBe(1);
    await expect.poll(() => page.locator('.grid-footer').innerText()).toBe('121 records loaded');
    // Row elements are reused for the records scrolled into their place: an edit starts from the record now shown.
    await cellWith('Deal 120').dblclick();
    expect(await page.locator('[role=gridcell].editing input').inputValue()).toBe('Deal 120');
    await page.keyboard.press('Escape');
    // Arrow keys scroll the active cell into view below the header, through rows that were not rendered.
    await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, 0));
    await cellWith('Deal 001').click();
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
    const selected = page.locator('[role=gridcell][aria-selected=true]');
    await expect.poll(() => selected.innerText()).toBe('Deal 041');
    const [cellBox, headerBox, scrollerBox] = await Promise.all([selected.boundingBox(), page.locator('.grid-header').boundingBox(), page.locator('.grid-scroll').boundingBox()]);
    expect(cellBox!.y).toBeGreaterThanOrEqual(headerBox!.y + headerBox!.height - 1);
    expect(cellBox!.y + cellBox!.height).toBeLessThanOrEqual(scrollerBox!.y + scrollerBox!.height + 1);
    await page.getByLabel('Search').fill('acme');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    const cell = page.locator('[role=gridcell][data-field="Amount"]').first();
    await expect.poll(() => cell.innerText()).toBe('$1,234.50');
    await cell.dblclick();
    const editor = cell.locator('input');
    await editor.fill('2000');
    await editor.press('Enter');
    await expect.poll(() => cell.innerText()).toBe('$2,000.00');
    // Keyboard: arrow to the next cell, Enter to edit, Escape to cancel.
    await cell.click();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('[role=gridcell][aria-selected=true]').getAttribute('data-field')).resolves.toBe('Stage');
  });

  it('shows the change in the record history', async () => {
    await page.getByRole('link', { name: /^open / }).first().click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    const history = page.locator('.timeline');
    await expect.poll(() => history.innerText()).toMatch(/Owner changed Amount/);
    await expect.poll(() => history.innerText()).toMatch(/\$1,234\.50 → \$2,000\.00/);
  });

  it('keeps what the user typed on a 409 and offers the other person\'s change', async () => {
    const list = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/records?search=${encodeURIComponent('Deal 003')}`)).json();
    const record = list.records[0];
    await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${record.id}`);
    await page.getByLabel('Name').waitFor();
    // Someone else changes the amount and the name meanwhile.
    const other = await page.request.patch(`${base}/api/w/${ws}/sheets/${sheetId}/records/${record.id}`, { data: { fields: { Amount: 999, Name: 'Deal 003 (theirs)' } } });
    expect(other.status()).toBe(200);
    await page.getByLabel('Name').fill('Deal 003 (mine)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.banner.warning').waitFor();
    await expect.poll(() => page.locator('.theirs').innerText()).toMatch(/Their value: Deal 003 \(theirs\)/);
    expect(await page.getByLabel('Name').inputValue()).toBe('Deal 003 (mine)');
    // The untouched field took their value; saving again keeps both changes.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/records/${record.id}`)).json()).fields).toMatchObject({ Name: 'Deal 003 (mine)', Amount: 999 });
  });

  it('finds records with the filter builder and saves the view', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('button', { name: '+ Add condition' }).click();
    await page.getByLabel('Field', { exact: true }).selectOption({ label: 'Amount' });
    await page.getByLabel('Operator').selectOption({ label: '≥' });
    await page.getByLabel('Value').fill('1150');
    await expect.poll(() => page.locator('[role=gridcell][data-field="Name"]').allInnerTexts()).toEqual(['Deal 115', 'Deal 116', 'Deal 117', 'Deal 118', 'Deal 119', 'Deal 120', 'Acme renewal']);
    expect(JSON.parse(new URL(page.url()).searchParams.get('filter')!)).toEqual({ '>=': [{ var: expect.stringMatching(/^fld/) }, 1150] });
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('View name').fill('Big deals');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toMatch(/^viw/);
    // The saved view reopens with its filter from a fresh page load.
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByLabel('View').selectOption({ label: 'Big deals' });
    await expect.poll(() => page.locator('[role=gridcell][data-field="Name"]').count()).toBe(7);
    // Hiding and moving columns is kept in the chosen view.
    await page.getByRole('button', { name: 'Field menu: Close date' }).click();
    await page.getByRole('menuitem', { name: 'Hide field' }).click();
    await page.getByRole('button', { name: 'Field menu: Stage' }).click();
    await page.getByRole('menuitem', { name: 'Move left' }).click();
    const headers = () => page.getByRole('columnheader').allInnerTexts();
    await expect.poll(async () => (await headers()).map((h) => h.replace(/[▾+\s]+$/g, '').trim())).toEqual(['Name', 'Stage', 'Amount', 'Email']);
    await page.reload();
    await expect.poll(async () => (await headers()).map((h) => h.replace(/[▾+\s]+$/g, '').trim())).toEqual(['Name', 'Stage', 'Amount', 'Email']);
    await page.getByRole('button', { name: /Show all fields/ }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: /Close date/ }).count()).toBe(1);
  });

  it('moves a deal along the pipeline on the kanban by mouse and by keyboard', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}?mode=kanban`);
    await page.getByLabel('Sum of').selectOption({ label: 'Σ Amount' });
    const column = (name: string) => page.locator(`.kanban-column[data-column="${name}"]`);
    await expect.poll(() => column('Won').locator('.column-summary').innerText()).toBe('1 records · $2,000.00');
    await screenshot(page, 'kanban', false);
    const card = column('No Stage').locator('.kanban-card', { hasText: 'Deal 001' });
    const from = (await card.boundingBox())!;
    const to = (await column('New').boundingBox())!;
    await page.mouse.move(from.x + 20, from.y + 10);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 20, { steps: 5 });
    // Each step waits for the board's own signal (card picked up, column under it) so a slow machine cannot drop early.
    await expect.poll(() => card.getAttribute('class')).toContain('dragging');
    await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 10 });
    await expect.poll(() => column('New').getAttribute('class')).toContain('over');
    await page.mouse.up();
    await screenshot(page, 'kanban-after-drag', false);
    await expect.poll(() => column('New').locator('.column-summary').innerText()).toBe('1 records · $10.00');
    // Keyboard: focus a card, space to pick it up, arrows (25 px a press) over to "Won", space to drop.
    const second = column('No Stage').locator('.kanban-card', { hasText: 'Deal 002' });
    await second.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => second.getAttribute('class')).toContain('dragging');
    const box = (await column('Won').boundingBox())!;
    const start = (await second.boundingBox())!;
    const steps = Math.round((box.x + 8 - start.x) / 25);
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps < 0 ? 'ArrowLeft' : 'ArrowRight');
    await expect.poll(() => column('Won').getAttribute('class')).toContain('over');
    await page.keyboard.press('Space');
    await expect.poll(() => column('Won').locator('.column-summary').innerText()).toBe('2 records · $2,020.00');
    await page.reload();
    await expect.poll(() => column('Won').locator('.kanban-card').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Deal 002')]));
    await expect.poll(() => column('New').locator('.kanban-card').allInnerTexts()).toEqual([expect.stringContaining('Deal 001')]);
    const stored = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/records?search=${encodeURIComponent('Deal 001')}`)).json();
    expect(stored.records[0].fields.Stage).toBe('New');
  });

  it('adds, edits and removes quote line items inline, with the total updating', async () => {
    const post = async (url: string, data: unknown) => {
      const res = await page.request.post(`${base}/api/w/${ws}${url}`, { data });
      expect(res.status(), await res.text()).toBe(201);
      return res.json();
    };
    await post('/sheets', { name: 'Products', fields: [{ name: 'Name', type: 'text' }, { name: 'Unit price', type: 'currency', options: { currency: 'USD' } }] });
    const quotes = await post('/sheets', { name: 'Quotes', fields: [{ name: 'Name', type: 'text' }] });
    await post('/sheets', {
      name: 'Lines',
      fields: [
        { name: 'Item', type: 'text' },
        { name: 'Quote', type: 'link', options: { sheet: 'Quotes', relationship: 'many_to_one', inverseName: 'Line items' } },
        { name: 'Product', type: 'link', options: { sheet: 'Products', relationship: 'many_to_one' } },
        { name: 'Quantity', type: 'number' },
        { name: 'Price', type: 'lookup', options: { link: 'Product', field: 'Unit price' } },
        { name: 'Line total', type: 'formula', options: { expression: '{Quantity} * {Price}' } },
      ],
    });
    await post('/sheets/Quotes/fields', { name: 'Subtotal', type: 'rollup', options: { link: 'Line items', field: 'Line total', fn: 'sum' } });
    await post('/sheets/Products/records', { fields: { Name: 'Widget', 'Unit price': 10.5 } });
    const quote = await post('/sheets/Quotes/records', { fields: { Name: 'Q-1' } });
    await page.goto(`${base}/w/${ws}/s/${quotes.id}/r/${quote.id}`);
    const table = page.getByRole('table', { name: 'Line items' });
    const newRow = table.locator('tr.new-row');
    await newRow.locator('input').first().fill('Two widgets');
    await newRow.getByPlaceholder('Search Products').fill('Wid');
    await page.getByRole('option', { name: 'Widget' }).click();
    await newRow.locator('input[inputmode=decimal]').fill('2');
    await newRow.getByRole('button', { name: '+ Add row' }).click();
    const subtotal = page.locator('.form-row', { has: page.locator('label', { hasText: 'Subtotal' }) }).locator('.readonly');
    await expect.poll(() => subtotal.innerText()).toBe('$21.00');
    await expect.poll(() => newRow.locator('input[inputmode=decimal]').inputValue()).toBe('');
    const row = table.locator('tbody tr').first();
    await expect.poll(() => row.innerText()).toContain('$21.00');
    await row.locator('input[inputmode=decimal]').fill('3');
    await row.locator('input[inputmode=decimal]').press('Enter');
    await expect.poll(() => subtotal.innerText()).toBe('$31.50');
    await screenshot(page, 'line-items');
    await row.getByRole('button', { name: 'Remove Two widgets' }).click();
    await expect.poll(() => subtotal.innerText()).toBe('$0.00');
  });

  it('lets an admin add, rename, retype (with a preview), delete and restore fields from the grid', async () => {
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByRole('button', { name: 'Add field' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Field name').fill('Priority');
    await dialog.getByLabel('Type').selectOption('single_select');
    await dialog.getByLabel('Choices (one per line)').fill('High\nLow');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('columnheader', { name: /Priority/ }).waitFor();
    // Retype Email (text values) to a number: the preview lists what will not convert, then converts on confirm.
    await page.getByRole('button', { name: 'Field menu: Email' }).click();
    await page.getByRole('menuitem', { name: 'Edit field' }).click();
    await dialog.getByLabel('Field name').fill('Contact');
    await dialog.getByLabel('Type').selectOption('number');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').innerText()).toMatch(/0 values convert, 1 do not/);
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await page.getByRole('columnheader', { name: /Contact/ }).waitFor();
    const sheet = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}`)).json();
    expect(sheet.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual(expect.arrayContaining(['Priority:single_select', 'Contact:number']));
    await page.getByRole('button', { name: 'Field menu: Priority' }).click();
    await page.getByRole('menuitem', { name: 'Delete field' }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: /Priority/ }).count()).toBe(0);
    await page.goto(`${base}/w/${ws}`);
    const trash = page.locator('.trash');
    // The restore's request must finish before the page is left (leaving cancels it).
    const restored = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/restore'));
    await trash.locator('li', { hasText: 'Priority' }).getByRole('button', { name: 'Restore' }).click();
    expect((await restored).status()).toBe(200);
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByRole('columnheader', { name: /Priority/ }).waitFor();
  });

  it('fits data entry on a phone-width screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/w/${ws}/s/${sheetId}/new`);
      await page.getByLabel('Name').waitFor();
      await screenshot(page, 'form-phone');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const input = await page.getByLabel('Name').boundingBox();
      expect(input!.width).toBeGreaterThan(250);
      // The grid renders the columns on screen; arrows scroll sideways to the others.
      await page.goto(`${base}/w/${ws}/s/${sheetId}`);
      await page.locator('[role=gridcell][data-field="Name"]').first().click();
      expect(await page.locator('[role=gridcell][data-field="Close date"]').count()).toBe(0);
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      const selected = page.locator('[role=gridcell][aria-selected=true]');
      await expect.poll(() => selected.getAttribute('data-field')).toBe('Close date');
      const [cellBox, scrollerBox] = await Promise.all([selected.boundingBox(), page.locator('.grid-scroll').boundingBox()]);
      expect(cellBox!.x).toBeGreaterThanOrEqual(scrollerBox!.x - 1);
      expect(cellBox!.x + cellBox!.width).toBeLessThanOrEqual(scrollerBox!.x + scrollerBox!.width + 1);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('switches the interface to Traditional Chinese', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByLabel('Language').selectOption('zh-TW');
    await page.getByRole('link', { name: '+ 新增紀錄' }).waitFor();
    await expect.poll(() => page.locator('.grid-footer').innerText()).toMatch(/^已載入 \d+ 筆紀錄$/);
    await page.getByLabel('語言').selectOption('en');
  });
});
