import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, setupOwner, startBrowserApp, type BrowserApp } from './browser.js';

// A `button` field added in the field dialog (a workflow or a URL template), pressed in the grid and on the record
// page, in English and Traditional Chinese.

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;
let recordId: string;
let workflowId: string;

const cell = (field: string) => page.locator(`[role=gridcell][data-field="${field}"]`).first();
const api = () => pageApi(page, base);
const runsOf = async () => ((await api()('get', `/api/w/${ws}/workflows/${workflowId}/runs`)).runs as { id: string; recordId: string }[]).length;

/** Adds a button field through the grid's field dialog. */
async function addButton(name: string, label: string, action: { workflow: string } | { url: string }) {
  await page.getByRole('button', { name: 'Add field' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Field name').fill(name);
  await dialog.getByLabel('Type').selectOption('button');
  await dialog.getByLabel('Label').fill(label);
  if ('workflow' in action) {
    await dialog.getByLabel('When pressed').selectOption('workflow');
    await dialog.locator('select[name=button-workflow]').selectOption({ label: action.workflow });
  } else {
    await dialog.getByLabel('When pressed').selectOption('url');
    await dialog.getByLabel(/^URL/).fill(action.url);
  }
  await screenshot(page, `button-field-dialog-${'workflow' in action ? 'workflow' : 'url'}-en-1280`, false);
  const done = page.waitForResponse((r) => r.request().method() === 'POST' && /\/fields$/.test(r.url()));
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect((await done).status()).toBe(201);
  await page.getByRole('columnheader', { name: new RegExp(name) }).waitFor();
}

beforeAll(async () => {
  app = await startBrowserApp(undefined, { jobs: true });
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  const sheet = await api()('post', `/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Lost' }] } },
    ],
  });
  sheetId = sheet.id;
  recordId = (await api()('post', `/api/w/${ws}/sheets/${sheetId}/records`, { fields: { Name: 'Ann & Bob', Status: 'New' } })).id;
  workflowId = (
    await api()('post', `/api/w/${ws}/workflows`, { name: 'Mark lost', trigger: { type: 'button', sheet: 'Leads', label: 'Lose' }, steps: [{ type: 'update_record', fields: { Status: 'Lost' } }] })
  ).id;
}, 120_000);

afterAll(() => app?.close());

describe('button fields in Chromium', () => {
  it('adds a workflow button and a URL button in the field dialog; pressing them in the grid starts the run or opens the page', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await addButton('Lose it', 'Mark lost', { workflow: 'Lose' });
    await addButton('Look up', 'Find', { url: `${base}/?q={{Name}}` });
    const sheet = await api()('get', `/api/w/${ws}/sheets/${sheetId}`);
    const options = Object.fromEntries(sheet.fields.map((f: { name: string; options: unknown }) => [f.name, f.options]));
    expect(options).toMatchObject({ 'Lose it': { label: 'Mark lost', workflow: workflowId }, 'Look up': { label: 'Find', url: `${base}/?q={{Name}}` } });

    const press = cell('Lose it').getByRole('button', { name: 'Mark lost' });
    await press.click();
    await page.getByText('"Mark lost" started').waitFor();
    await expect.poll(runsOf).toBe(1);
    await expect.poll(async () => (await api()('get', `/api/w/${ws}/sheets/${sheetId}/records/${recordId}`)).fields.Status).toBe('Lost');
    await screenshot(page, 'button-field-grid-en-1280');
    // A button has nothing to summarize: its column offers no summary (the name column does).
    expect(await page.getByLabel('Summary of Name').count()).toBe(1);
    expect(await page.getByLabel('Summary of Lose it').count()).toBe(0);

    const popup = page.waitForEvent('popup');
    await cell('Look up').getByRole('button', { name: 'Find' }).click();
    const tab = await popup;
    await tab.waitForURL(`${base}/?q=${encodeURIComponent('Ann & Bob')}`);
    await tab.close();
  });

  it('shows the buttons on the record page and presses them there', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${recordId}`);
    const press = page.locator('[data-button-field="Lose it"]');
    await expect.poll(() => press.innerText()).toBe('Mark lost');
    await press.click();
    await page.getByText('"Mark lost" started').waitFor();
    await expect.poll(runsOf).toBe(2);
    const popup = page.waitForEvent('popup');
    await page.locator('[data-button-field="Look up"]').click();
    const tab = await popup;
    await tab.waitForURL(`${base}/?q=${encodeURIComponent('Ann & Bob')}`);
    await tab.close();
    await screenshot(page, 'button-field-record-en-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'button-field-record-en-390');
  });

  it('works in Traditional Chinese, at 1280 and 390 px', async () => {
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${recordId}`);
      const press = page.locator('[data-button-field="Lose it"]');
      await expect.poll(() => press.innerText()).toBe('Mark lost');
      const before = await runsOf();
      await press.click();
      await page.getByText('已開始「Mark lost」').waitFor();
      await expect.poll(runsOf).toBe(before + 1);
      await screenshot(page, `button-field-record-zh-${width}`);
      await page.goto(`${base}/w/${ws}/s/${sheetId}`);
      await cell('Name').waitFor();
      if (width === 1280) {
        await expect.poll(() => cell('Lose it').innerText()).toBe('Mark lost');
        await page.getByRole('button', { name: '欄位選單: Look up' }).click();
        await page.getByRole('menuitem', { name: '編輯欄位' }).click();
        const dialog = page.getByRole('dialog');
        await expect.poll(() => dialog.getByLabel('按下時').inputValue()).toBe('url');
        await screenshot(page, 'button-field-dialog-zh-1280', false);
        await dialog.getByRole('button', { name: '取消' }).click();
      }
      await screenshot(page, `button-field-grid-zh-${width}`);
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
  });
});
