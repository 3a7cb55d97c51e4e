import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../schema-engine/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { joinWorkspace } from '../helpers/members.js';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

// duration and multi_user in the browser: added through the field dialog, entered in a form and in the grid.
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let ownerId: string;
let miaId: string;

const api = async <T = any>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json() as Promise<T>;
};
const cell = (n: number, field: string) => page.locator(`.grid-row[aria-rowindex="${n}"] [role=gridcell][data-field="${field}"]`);
const editor = () => page.locator('[role=gridcell].editing input');

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Owner' } });
  const body = await setup.json();
  ws = body.workspace.id;
  ownerId = body.user.id;
  miaId = newId('usr');
  await app.server.db.insertInto('users').values({ id: miaId, email: 'mia@example.com', name: 'Mia', password_hash: await hashPassword('mia password') }).execute();
  await joinWorkspace(app.server.db, ws, miaId, 'editor');
  await api('POST', '/sheets', { name: 'Calls', fields: [{ name: 'Name', type: 'text' }] });
  await api('POST', '/sheets/Calls/records', { fields: { Name: 'First call' } });
}, 120_000);

afterAll(() => app?.close());

describe('duration and people fields', () => {
  it('adds both through the field dialog, and takes "1:30" and two people in a form and the grid', async () => {
    await page.goto(`${base}/w/${ws}/s/Calls`);
    const dialog = page.getByRole('dialog');
    for (const [name, type] of [['Took', 'duration'], ['Crew', 'multi_user']]) {
      await page.getByRole('button', { name: 'Add field' }).click();
      await dialog.getByLabel('Field name').fill(name!);
      await dialog.getByLabel('Type').selectOption(type!);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('columnheader', { name: new RegExp(name!) }).waitFor();
    }
    const sheet = await api('GET', '/sheets/Calls');
    expect(sheet.fields.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual(['Name:text', 'Took:duration', 'Crew:multi_user']);

    // The grid: Enter opens the editor, "1:30" is an hour and a half.
    await cell(1, 'Took').click();
    await page.keyboard.press('Enter');
    await editor().fill('1:30');
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(1, 'Took').innerText()).toBe('1:30');
    const first = (await api('GET', '/sheets/Calls/records')).records[0];
    expect(first.fields.Took).toBe(5400);

    // A form: a plain number is minutes in h:mm; text that is no duration is refused before sending.
    await page.goto(`${base}/w/${ws}/s/Calls/new`);
    await page.getByLabel('Name').fill('Second call');
    await page.getByLabel('Took').fill('soon');
    await expect.poll(() => page.getByLabel('Took').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Took').fill('45');
    const crew = page.getByLabel('Crew');
    await crew.click();
    await page.getByRole('option', { name: 'Mia (mia@example.com)' }).click();
    await crew.click();
    await expect.poll(() => page.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual(['Owner (owner@example.com)']);
    await page.getByRole('option', { name: 'Owner (owner@example.com)' }).click();
    await expect.poll(async () => (await page.locator('.multi-user .chip').allInnerTexts()).map((t) => t.replace('×', '').trim())).toEqual(['Mia', 'Owner']);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Second call' }).waitFor();
    const recordUrl = page.url();
    const id = new URL(recordUrl).pathname.split('/').pop()!;
    const saved = await api('GET', `/sheets/Calls/records/${id}`);
    expect(saved.fields.Took).toBe(2700);
    expect(saved.fields.Crew.map((u: { id: string }) => u.id)).toEqual([miaId, ownerId]);

    // The grid shows the people as chips and the duration formatted.
    await page.goto(`${base}/w/${ws}/s/Calls`);
    await expect.poll(() => cell(2, 'Crew').locator('.chip').allInnerTexts()).toEqual(['Mia', 'Owner']);
    await expect.poll(() => cell(2, 'Took').innerText()).toBe('0:45');

    for (const locale of ['en', 'zh-TW'] as const) {
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
        await page.goto(recordUrl);
        await page.getByLabel('Took').waitFor();
        await expect.poll(() => page.getByLabel('Took').inputValue()).toBe('0:45');
        await screenshot(page, `new-types-form-${locale}-${width}`, width === 390);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${locale} ${width}`).toBeLessThanOrEqual(width);
        await page.goto(`${base}/w/${ws}/s/Calls`);
        await cell(2, 'Name').waitFor();
        await screenshot(page, `new-types-grid-${locale}-${width}`, false);
      }
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 180_000);
});
