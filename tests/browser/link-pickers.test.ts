import type { Locator, Page } from 'playwright-core';
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
let memberId: string;
const deals: { id: string; name: string }[] = [];

const api = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown): Promise<T> => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json() as Promise<T>;
};
const stored = async (id: string) => (await api<{ fields: Record<string, unknown> }>('GET', `/sheets/Deals/records/${id}`)).fields;
const titles = async (id: string, field: string) => ((await stored(id))[field] as { title: string }[] | undefined)?.map((l) => l.title) ?? [];
const cell = (row: number, field: string) => page.locator(`[role=row][aria-rowindex="${row}"] [role=gridcell][data-field="${field}"]`);
const ROWS = 30;

/** The list opened from `cell` is next to it (under, or above it near the screen's bottom), on screen and on top. */
async function expectNextTo(list: Locator, anchor: Locator) {
  const [box, cellOnly, editor, viewport] = await Promise.all([list.boundingBox(), anchor.boundingBox(), anchor.getByRole('combobox').boundingBox(), page.viewportSize()]);
  // The cell, or the editor where it grows out of the cell.
  const bottom = Math.max(cellOnly!.y + cellOnly!.height, editor!.y + editor!.height);
  const cellBox = { x: cellOnly!.x, y: Math.min(cellOnly!.y, editor!.y), width: cellOnly!.width, height: bottom - Math.min(cellOnly!.y, editor!.y) };
  const under = box!.y >= cellBox!.y + cellBox!.height - 2 && box!.y <= cellBox!.y + cellBox!.height + 60;
  const above = box!.y + box!.height <= cellBox!.y + 2 && box!.y + box!.height >= cellBox!.y - 60;
  expect(under || above, `list ${JSON.stringify(box)} beside cell ${JSON.stringify(cellBox)}`).toBe(true);
  expect(Math.abs(box!.x - cellBox!.x)).toBeLessThan(220);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport!.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport!.height);
  // Nothing (the next row, the grid's edge) covers the first option.
  const first = list.getByRole('option').first();
  const point = await first.boundingBox();
  const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('[role=listbox]') !== null, [point!.x + point!.width / 2, point!.y + point!.height / 2]);
  expect(onTop).toBe(true);
}

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Olivia Owner' } });
  ws = (await setup.json()).workspace.id;
  memberId = newId('usr');
  await app.server.db.insertInto('users').values({ id: memberId, email: 'mia@example.com', name: 'Mia Chen', password_hash: await hashPassword('mia password') }).execute();
  await joinWorkspace(app.server.db, ws, memberId, 'editor');
  await api('POST', '/sheets', { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] });
  for (const name of ['Acme', 'Globex', 'Initech']) await api('POST', '/sheets/Accounts/records', { fields: { Name: name } });
  dealsId = (
    await api<{ id: string }>('POST', '/sheets', {
      name: 'Deals',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Deals' } },
        { name: 'Owner', type: 'user' },
        { name: 'Partners', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_many', inverseName: 'Partner deals' } },
      ],
    })
  ).id;
  for (let i = 1; i <= ROWS; i++) {
    const name = `Deal ${String(i).padStart(2, '0')}`;
    deals.push({ id: (await api<{ id: string }>('POST', '/sheets/Deals/records', { fields: { Name: name } })).id, name });
  }
}, 120_000);

afterAll(() => app?.close());

describe('link and user pickers in grid cells', () => {
  it('saves a link picked with the mouse in the last row, its list beside its cell and on top', async () => {
    await page.goto(`${base}/w/${ws}/s/${dealsId}`);
    await cell(1, 'Name').waitFor();
    await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const last = cell(ROWS, 'Account');
    await last.dblclick();
    await last.getByRole('combobox').fill('Glob');
    const list = page.getByRole('listbox');
    await list.getByRole('option', { name: 'Globex' }).waitFor();
    await expectNextTo(list, last);
    await screenshot(page, 'link-picker-last-row', false);
    await list.getByRole('option', { name: 'Globex' }).click();
    await expect.poll(() => titles(deals[ROWS - 1]!.id, 'Account')).toEqual(['Globex']);
    await expect.poll(() => last.innerText()).toBe('Globex');
    expect(await page.getByRole('listbox').count()).toBe(0);
  });

  it('opens under a cell in the middle of the grid, over the next row', async () => {
    await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, 0));
    const second = cell(2, 'Account');
    await second.dblclick();
    await second.getByRole('combobox').fill('Ini');
    const list = page.getByRole('listbox');
    await list.getByRole('option', { name: 'Initech' }).waitFor();
    await expectNextTo(list, second);
    const [box, cellBox] = await Promise.all([list.boundingBox(), second.boundingBox()]);
    expect(box!.y).toBeGreaterThanOrEqual(cellBox!.y + cellBox!.height - 2);
    await list.getByRole('option', { name: 'Initech' }).click();
    await expect.poll(() => titles(deals[1]!.id, 'Account')).toEqual(['Initech']);
  });

  it('picks with the keyboard only: typing filters, arrows move, Enter picks, Escape closes without a change', async () => {
    await cell(1, 'Name').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    // Tab saves and moves on to the next cell, the grid keeping the keyboard.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.locator('[role=gridcell][aria-selected=true]').getAttribute('data-field')).toBe('Owner');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    const input = cell(1, 'Account').getByRole('combobox');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('e');
    const options = page.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.allInnerTexts()).toEqual(expect.arrayContaining(['Acme', 'Globex', 'Initech']));
    const names = await options.allInnerTexts();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[role=option][aria-selected=true]').innerText()).toBe(names[2]);
    await page.keyboard.press('Enter');
    await expect.poll(() => titles(deals[0]!.id, 'Account')).toEqual([names[2]]);

    // Escape closes the list, a second one the editor: nothing changes.
    await cell(3, 'Account').dblclick();
    await page.keyboard.type('Acme');
    await page.getByRole('option', { name: 'Acme' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('listbox').count()).toBe(0);
    expect(await cell(3, 'Account').getByRole('combobox').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await cell(3, 'Account').getByRole('combobox').count()).toBe(0);
    expect(await titles(deals[2]!.id, 'Account')).toEqual([]);
  });

  it('adds and removes links of a many-link cell, Tab saving them and moving on', async () => {
    const partners = cell(4, 'Partners');
    await partners.dblclick();
    await page.keyboard.type('Acme');
    await page.getByRole('option', { name: 'Acme' }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Glob');
    await page.getByRole('option', { name: 'Globex' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => partners.locator('.chip-link a').allInnerTexts()).toEqual(['Acme', 'Globex']);
    await page.keyboard.press('Tab');
    await expect.poll(() => titles(deals[3]!.id, 'Partners')).toEqual(['Acme', 'Globex']);
    await expect.poll(() => partners.getByRole('combobox').count()).toBe(0);
    // Beside its chips (a click on a chip opens the linked record).
    await partners.dblclick({ position: { x: 170, y: 10 } });
    await partners.getByRole('button', { name: 'Remove Acme' }).click();
    await page.keyboard.press('Enter');
    await expect.poll(() => titles(deals[3]!.id, 'Partners')).toEqual(['Globex']);
  });

  it('picks a person the same way, in the last row and with the keyboard', async () => {
    await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const last = cell(ROWS, 'Owner');
    await last.dblclick();
    const list = page.getByRole('listbox');
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual(['Mia Chen (mia@example.com)', 'Olivia Owner (owner@example.com)']);
    await page.keyboard.type('mia');
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual(['Mia Chen (mia@example.com)']);
    await expectNextTo(list, last);
    await screenshot(page, 'user-picker-last-row', false);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await stored(deals[ROWS - 1]!.id)).Owner).toEqual({ id: memberId, name: 'Mia Chen', email: 'mia@example.com' });
    await expect.poll(() => last.innerText()).toBe('Mia Chen');
    // Mouse, in another row.
    const other = cell(ROWS - 1, 'Owner');
    await other.dblclick();
    await page.getByRole('option', { name: 'Olivia Owner (owner@example.com)' }).click();
    await expect.poll(async () => ((await stored(deals[ROWS - 2]!.id)).Owner as { name: string } | null)?.name).toBe('Olivia Owner');
  });

  it('fits at phone width and in Traditional Chinese', async () => {
    for (const [locale, width] of [['en', 390], ['zh-TW', 1280], ['zh-TW', 390]] as const) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      await page.goto(`${base}/w/${ws}/s/${dealsId}`);
      await cell(1, 'Name').waitFor();
      await page.locator('.grid-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      const last = cell(ROWS, 'Account');
      if (width === 390) {
        await cell(ROWS, 'Name').click();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Enter');
      } else await last.dblclick();
      await page.keyboard.type('Ac');
      const list = page.getByRole('listbox');
      await list.getByRole('option', { name: 'Acme' }).waitFor();
      await expectNextTo(list, last);
      if (locale === 'zh-TW') expect(await last.getByRole('combobox').getAttribute('placeholder')).toBe('搜尋 Accounts');
      await screenshot(page, `link-picker-${locale}-${width}`, false);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
