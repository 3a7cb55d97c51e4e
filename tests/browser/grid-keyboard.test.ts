import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../schema-engine/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { joinWorkspace } from '../helpers/members.js';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let dealsId: string;
const ids: string[] = [];

interface Stored {
  id: string;
  version: number;
  fields: Record<string, unknown>;
}
const api = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown): Promise<T> => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json() as Promise<T>;
};
/** Row `n` (from 1) as stored. */
const row = (n: number) => api<Stored>('GET', `/sheets/Deals/records/${ids[n - 1]}`);
const value = async (n: number, field: string) => (await row(n)).fields[field];
const allRecords = async () => (await api<{ records: Stored[] }>('GET', '/sheets/Deals/records?limit=100')).records;
const cell = (n: number, field: string) => page.locator(`.grid-row[aria-rowindex="${n}"] [role=gridcell][data-field="${field}"]`);
const activeCell = () => page.locator('.grid-row .cell.active');
const activeAt = async () => {
  const active = activeCell();
  return `${await active.evaluate((el) => el.closest('[aria-rowindex]')!.getAttribute('aria-rowindex'))}:${await active.getAttribute('data-field')}`;
};
/** Scrolls the grid back to its first column (columns off screen are not rendered). */
const home = () => page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, 0));
const editor = () => page.locator('[role=gridcell].editing input');
const toasts = () => page.locator('.toast').allInnerTexts();
/** Clipboard text pasted into the grid as Excel or Google Sheets would (a paste event with the text). */
const paste = (text: string) =>
  page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Olivia Owner' } });
  ws = (await setup.json()).workspace.id;
  const memberId = newId('usr');
  await app.server.db.insertInto('users').values({ id: memberId, email: 'mia@example.com', name: 'Mia Chen', password_hash: await hashPassword('mia password') }).execute();
  await joinWorkspace(app.server.db, ws, memberId, 'editor');
  await api('POST', '/sheets', { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] });
  for (const name of ['Acme', 'Globex', 'Initech']) await api('POST', '/sheets/Accounts/records', { fields: { Name: name } });
  dealsId = (
    await api<{ id: string }>('POST', '/sheets', {
      name: 'Deals',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Amount', type: 'number' },
        { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }, { name: 'Lost' }] } },
        { name: 'Done', type: 'checkbox' },
        { name: 'Close', type: 'date' },
        { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Deals' } },
        { name: 'Owner', type: 'user' },
        { name: 'Double', type: 'formula', options: { expression: '{Amount} * 2' } },
      ],
    })
  ).id;
  for (let i = 1; i <= 5; i++) ids.push((await api<{ id: string }>('POST', '/sheets/Deals/records', { fields: { Name: `D${i}`, Amount: i * 10, Stage: i === 1 ? 'Won' : 'New' } })).id);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
}, 120_000);

afterAll(() => app?.close());

describe('the grid as a spreadsheet', () => {
  it('starts editing on a typed character, commits with Enter moving down and keeps the arrow keys working', async () => {
    await page.goto(`${base}/w/${ws}/s/${dealsId}`);
    await cell(1, 'Name').click();
    await page.keyboard.press('x');
    await expect.poll(() => editor().inputValue()).toBe('x');
    await page.keyboard.type('yz');
    await page.keyboard.press('Enter');
    await expect.poll(() => value(1, 'Name')).toBe('xyz');
    // Enter moved down and the grid has the keyboard again: the arrows move on.
    await expect.poll(activeAt).toBe('2:Name');
    await page.keyboard.press('ArrowRight');
    await expect.poll(activeAt).toBe('2:Amount');
    await page.keyboard.press('7');
    await page.keyboard.type('5');
    // Tab commits and moves right, Shift+Tab back left.
    await page.keyboard.press('Tab');
    await expect.poll(() => value(2, 'Amount')).toBe(75);
    await expect.poll(activeAt).toBe('2:Stage');
    await page.keyboard.press('Shift+Tab');
    await expect.poll(activeAt).toBe('2:Amount');
    // Enter on a selected cell opens its editor with its value; Shift+Enter commits and moves up.
    await page.keyboard.press('Enter');
    await expect.poll(() => editor().inputValue()).toBe('75');
    await editor().fill('80');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => value(2, 'Amount')).toBe(80);
    await expect.poll(activeAt).toBe('1:Amount');
    // Escape cancels, and the arrows still move.
    await page.keyboard.press('Enter');
    await editor().fill('999');
    await page.keyboard.press('Escape');
    await expect.poll(() => editor().count()).toBe(0);
    await page.keyboard.press('ArrowDown');
    await expect.poll(activeAt).toBe('2:Amount');
    expect(await value(1, 'Amount')).toBe(10);
  });

  it('neither edits nor clears a computed cell, and says why', async () => {
    await cell(1, 'Double').click();
    await page.keyboard.press('5');
    await expect.poll(toasts).toContain('Double cannot be changed here');
    expect(await editor().count()).toBe(0);
    await page.keyboard.press('Delete');
    await expect.poll(toasts).toContain('1 cells were left as they are: they are read-only or locked');
    expect(await value(1, 'Double')).toBe(20);
  });

  it('clears a range with Delete, one write per record, and undoes and redoes it', async () => {
    await home();
    const before = await Promise.all([row(3), row(4)]);
    await cell(3, 'Amount').click();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.locator('.grid-row [role=gridcell][aria-selected=true]').count()).toBe(4);
    await page.keyboard.press('Delete');
    await expect.poll(async () => [await row(3), await row(4)].map((r) => [r.fields.Amount, r.fields.Stage, r.version])).toEqual([
      [undefined, undefined, before[0].version + 1],
      [undefined, undefined, before[1].version + 1],
    ]);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => [await value(3, 'Amount'), await value(3, 'Stage'), await value(4, 'Amount')]).toEqual([30, 'New', 40]);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => [await value(3, 'Amount'), await value(4, 'Amount')]).toEqual([undefined, undefined]);
    await page.keyboard.press('Control+y');
    await expect.poll(toasts).toContain('Nothing to redo');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => [await value(3, 'Amount'), await value(4, 'Amount')]).toEqual([30, 40]);
  });

  it('selects a rectangle by dragging and Shift+click, and copies it as tab-separated text', async () => {
    await api('PATCH', `/sheets/Deals/records/${ids[0]}`, { fields: { Name: 'Say "hi"\tthere' } });
    await page.reload();
    await cell(1, 'Name').waitFor();
    const from = await cell(1, 'Name').boundingBox();
    const to = await cell(2, 'Stage').boundingBox();
    await page.mouse.move(from!.x + 10, from!.y + 10);
    await page.mouse.down();
    await page.mouse.move(to!.x + 10, to!.y + 10, { steps: 5 });
    await page.mouse.up();
    const selectedCells = () => page.locator('.grid-row [role=gridcell][aria-selected=true]').evaluateAll((cells) => cells.map((c) => `${c.closest('[aria-rowindex]')!.getAttribute('aria-rowindex')}:${c.getAttribute('data-field')}`));
    await expect.poll(selectedCells).toEqual(['1:Name', '1:Amount', '1:Stage', '2:Name', '2:Amount', '2:Stage']);
    await cell(3, 'Stage').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.grid-row [role=gridcell][aria-selected=true]').count()).toBe(9);
    await expect.poll(activeAt).toBe('1:Name');
    await screenshot(page, 'grid-range-1280-en');
    await page.keyboard.press('Control+c');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('"Say ""hi""\tthere"\t10\tWon\nD2\t80\tNew\nD3\t30\tNew');
    // An HTML table goes with it, for word processors and mail.
    const html = await page.evaluate(() => {
      const data = new DataTransfer();
      document.activeElement!.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
      return data.getData('text/html');
    });
    expect(html).toContain('<tr><td>Say &quot;hi&quot;\tthere</td><td>10</td><td>Won</td></tr>');
  });

  it('pastes from a spreadsheet per field type, links by title, writes the good cells and reports the bad ones', async () => {
    await home();
    await cell(2, 'Amount').click();
    await paste('1,234.5\tWon\tTRUE\t12/25/2026\tGlobex\tMia Chen\nabc\tLost\t✓\t2026-01-02\tNowhere\tmia@example.com\r\n');
    const report = page.locator('.grid-report');
    await expect.poll(() => report.innerText()).toContain('Row 3, Amount: “abc” is not a number');
    expect(await report.innerText()).toContain('Row 3, Account: “Nowhere” names no record of Accounts');
    expect(await report.innerText()).toContain('Pasted 10 cells.');
    const [two, three] = [(await row(2)).fields, (await row(3)).fields];
    expect(two).toMatchObject({ Amount: 1234.5, Stage: 'Won', Done: true, Close: '2026-12-25', Owner: { name: 'Mia Chen' } });
    expect((two.Account as { title: string }[]).map((l) => l.title)).toEqual(['Globex']);
    // The bad cells were left as they were; the others of their row were written.
    expect(three).toMatchObject({ Amount: 30, Stage: 'Lost', Done: true, Close: '2026-01-02', Owner: { email: 'mia@example.com' } });
    expect(three.Account).toBeUndefined();
    await screenshot(page, 'grid-paste-report-1280-en');
    await report.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => report.count()).toBe(0);
    // The whole paste is one undo step.
    await page.keyboard.press('Control+z');
    await expect.poll(async () => [await value(2, 'Amount'), await value(2, 'Stage'), await value(2, 'Account'), await value(3, 'Stage'), await value(3, 'Done')]).toEqual([80, 'New', undefined, 'New', undefined]);
  });

  it('adds records for the rows pasted past the last one', async () => {
    await home();
    await cell(5, 'Name').click();
    await paste('D5 renamed\nD6\t60\nD7\t70\n');
    // Records added in one batch share their creation time, so their order among themselves is not asserted.
    await expect.poll(async () => (await allRecords()).map((r) => [r.fields.Name, r.fields.Amount]).sort()).toEqual([
      ['D2', 80],
      ['D3', 30],
      ['D4', 40],
      ['D5 renamed', 50],
      ['D6', 60],
      ['D7', 70],
      ['Say "hi"\tthere', 10],
    ]);
    await expect.poll(() => page.locator('.grid-row').count()).toBe(7);
    // Undoing the paste deletes the records it added; redoing adds them again.
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await allRecords()).map((r) => r.fields.Name).slice(3)).toEqual(['D4', 'D5']);
    await expect.poll(() => page.locator('.grid-row').count()).toBe(5);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await allRecords()).map((r) => r.fields.Name).slice(3).sort()).toEqual(['D4', 'D5 renamed', 'D6', 'D7']);
    await expect.poll(() => page.locator('.grid-row').count()).toBe(7);
  });

  it('fills down the first row of a range with Ctrl+D', async () => {
    await home();
    await cell(1, 'Stage').click();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+d');
    await expect.poll(async () => (await allRecords()).slice(0, 4).map((r) => [r.fields.Stage, r.fields.Done ?? false])).toEqual([
      ['Won', false],
      ['Won', false],
      ['Won', false],
      ['New', false],
    ]);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await allRecords()).slice(0, 3).map((r) => r.fields.Stage)).toEqual(['Won', 'New', 'New']);
  });

  it('does not undo over a change someone else made meanwhile, and says so', async () => {
    await home();
    await cell(4, 'Amount').click();
    await page.keyboard.press('4');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await expect.poll(() => value(4, 'Amount')).toBe(44);
    await api('PATCH', `/sheets/Deals/records/${ids[3]}`, { fields: { Amount: 45 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.grid-report').innerText()).toContain('Row 4 was changed by someone else meanwhile and was left as they saved it');
    expect(await value(4, 'Amount')).toBe(45);
    await expect.poll(() => cell(4, 'Amount').innerText()).toBe('45');
  });

  it('shows a range and a paste report at 390 px and in Traditional Chinese', async () => {
    const shots = async (suffix: string) => {
      await cell(1, 'Name').waitFor();
      await cell(2, 'Amount').click();
      await paste('oops\tWon\n');
      await page.locator('.grid-report').waitFor();
      await cell(2, 'Name').click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowRight');
      await screenshot(page, `grid-range-report-${suffix}`);
    };
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    await shots('390-en');
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.reload();
    await shots('390-zh');
    await expect.poll(() => page.locator('.grid-report').innerText()).toContain('第 2 列，Amount：「oops」');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await shots('1280-zh');
  });

  it('neither edits, clears nor pastes into a cell a lock rule holds, and says why', async () => {
    await api('PATCH', `/sheets/Deals/records/${ids[2]}`, { fields: { Stage: 'Lost' } });
    await api('POST', '/sheets/Deals/rules', { kind: 'lock', condition: { '==': [{ var: 'Stage' }, 'Lost'] }, message: 'Lost deals are final', lockedFields: ['Amount'] });
    const before = await row(3);
    // Designers are not held by lock rules: an editor is.
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const mia = await context.newPage();
      await mia.goto(`${base}/login`);
      await mia.getByLabel('Email').fill('mia@example.com');
      await mia.getByLabel('Password').fill('mia password');
      await mia.getByRole('button', { name: 'Sign in' }).click();
      await mia.waitForURL(/\/w\//);
      await mia.goto(`${base}/w/${ws}/s/${dealsId}`);
      const locked = mia.locator('.grid-row[aria-rowindex="3"] [role=gridcell][data-field="Amount"]');
      await locked.click();
      await mia.keyboard.press('7');
      await expect.poll(() => mia.locator('.toast').allInnerTexts()).toContain('Locked: Lost deals are final');
      expect(await mia.locator('[role=gridcell].editing').count()).toBe(0);
      await mia.keyboard.press('Delete');
      await expect.poll(() => mia.locator('.toast').allInnerTexts()).toContain('1 cells were left as they are: they are read-only or locked');
      await mia.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/plain', '99\tWon');
        document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      await expect.poll(() => mia.locator('.grid-report').innerText()).toContain('Row 3, Amount: “99” was not pasted: the cell is locked');
      const after = await row(3);
      expect(after.fields).toMatchObject({ Amount: before.fields.Amount, Stage: 'Won' });
    } finally {
      await context.close();
    }
  });
});
