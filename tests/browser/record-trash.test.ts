import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '../helpers/members.js';
import { screenshot, startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

/**
 * Deleted records come back from the app (issue 16 item 6): a delete asks first and offers "Undo" in its toast; the
 * trash beside sheets and fields lists a sheet's deleted records with who and when, and restores them; a viewer is
 * offered neither.
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let viewerContext: BrowserContext | undefined;
/** The Deals sheet's id: the app's addresses name sheets by id. */
let deals: string;
const ids: Record<string, string> = {};

const api = async (method: 'GET' | 'POST', path: string, data?: unknown) => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, data });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json();
};
const status = async (path: string) => (await page.request.get(`${base}/api/w/${ws}${path}`)).status();
const gridNames = async (p: Page) => (await p.locator('.grid-row').allInnerTexts()).join('\n');

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  await api('POST', '/sheets', { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] });
  deals = (await api('POST', '/sheets', { name: 'Deals', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'number' }] })).id;
  await api('POST', '/sheets/Deals/fields', { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Deals' } });
  const globex = await api('POST', '/sheets/Accounts/records', { fields: { Name: 'Globex' } });
  ids.Globex = globex.id;
  const made = await api('POST', '/sheets/Deals/records', {
    records: ['Big deal', 'Alpha', 'Beta', 'Gamma'].map((Name, i) => ({ fields: { Name, Amount: (i + 1) * 100, Account: [globex.id] } })),
  });
  for (const record of made.records) ids[record.fields.Name] = record.id;
}, 120_000);

afterAll(async () => {
  await viewerContext?.close();
  await app?.close();
});

describe('deleting and restoring records in Chromium', () => {
  it('asks before deleting from the record page, and Undo in the toast brings the record back with its values and links', async () => {
    await page.goto(`${base}/w/${ws}/s/${deals}/r/${ids['Big deal']}`);
    const question = page.getByRole('alertdialog', { name: 'Delete "Big deal"?' });
    // Cancel keeps it.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    expect(await status(`/sheets/Deals/records/${ids['Big deal']}`)).toBe(200);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => question.innerText()).toContain('trash of Deals');
    await screenshot(page, 'record-trash-confirm', false);
    await question.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL(`${base}/w/${ws}/s/${deals}`);
    const toast = page.locator('.toast', { hasText: 'Deleted "Big deal"' });
    await toast.waitFor();
    await expect.poll(() => gridNames(page)).toContain('Gamma');
    await screenshot(page, 'record-trash-undo-toast', false);
    expect(await status(`/sheets/Deals/records/${ids['Big deal']}`)).toBe(404);
    expect((await api('GET', `/sheets/Accounts/records/${ids.Globex}`)).fields.Deals.map((l: { title: string }) => l.title)).not.toContain('Big deal');

    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL(`${base}/w/${ws}/s/${deals}/r/${ids['Big deal']}`);
    await page.locator('.toast', { hasText: 'Record restored' }).waitFor();
    const back = await api('GET', `/sheets/Deals/records/${ids['Big deal']}`);
    expect(back.fields).toMatchObject({ Name: 'Big deal', Amount: 100, Account: [{ id: ids.Globex, title: 'Globex' }] });
    expect((await api('GET', `/sheets/Accounts/records/${ids.Globex}`)).fields.Deals.map((l: { title: string }) => l.title)).toContain('Big deal');
    await page.getByRole('heading', { name: 'Big deal' }).waitFor();
  });

  it('deletes two selected rows of the grid; the trash lists them with who and when, and restores one into the grid', async () => {
    await page.goto(`${base}/w/${ws}/s/${deals}`);
    await page.locator('.grid-row', { hasText: 'Alpha' }).getByRole('checkbox').check();
    await page.locator('.grid-row', { hasText: 'Beta' }).getByRole('checkbox').check();
    const footer = page.locator('.grid-footer');
    await expect.poll(() => footer.innerText()).toContain('2 selected');
    await screenshot(page, 'record-trash-grid-selected', false);
    await footer.getByRole('button', { name: 'Delete', exact: true }).click();
    const question = page.getByRole('alertdialog', { name: 'Delete 2 records?' });
    await question.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('.toast', { hasText: 'Deleted 2 records' }).waitFor();
    await expect.poll(() => gridNames(page)).not.toContain('Alpha');
    expect(await gridNames(page)).not.toContain('Beta');
    expect(await gridNames(page)).toContain('Gamma');
    expect(await footer.innerText()).not.toContain('selected');

    await page.goto(`${base}/w/${ws}`);
    const trash = page.locator('.record-trash');
    await trash.getByLabel('Sheet').selectOption({ label: 'Deals' });
    const items = trash.getByRole('listitem');
    await expect.poll(() => items.allInnerTexts()).toEqual([expect.stringMatching(/^Beta\nDeleted .+ by Owner/), expect.stringMatching(/^Alpha\nDeleted .+ by Owner/)]);
    for (const [locale, suffix] of [['en', ''], ['zh-TW', '-zh-TW']] as const) {
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 844 });
        await page.reload();
        await page.locator('.record-trash select').selectOption({ label: 'Deals' });
        await expect.poll(() => page.locator('.record-trash li').count()).toBe(2);
        if (locale === 'zh-TW') expect(await page.locator('.record-trash').innerText()).toContain('已刪除的紀錄');
        // Nothing sticks out sideways at phone width.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await screenshot(page, `record-trash-list-${width}${suffix}`);
      }
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await trash.getByLabel('Sheet').selectOption({ label: 'Deals' });
    await trash.getByRole('searchbox', { name: 'Search deleted records' }).fill('alp');
    await expect.poll(() => items.allInnerTexts()).toEqual([expect.stringMatching(/^Alpha\n/)]);
    await items.filter({ hasText: 'Alpha' }).getByRole('button', { name: 'Restore' }).click();
    await page.locator('.toast', { hasText: '"Alpha" restored' }).waitFor();
    await expect.poll(() => items.count()).toBe(0);
    await trash.getByRole('searchbox', { name: 'Search deleted records' }).fill('');
    await expect.poll(() => items.allInnerTexts()).toEqual([expect.stringMatching(/^Beta\n/)]);

    await page.getByRole('link', { name: /^Deals/ }).first().click();
    await expect.poll(() => gridNames(page)).toContain('Alpha');
    expect(await gridNames(page)).not.toContain('Beta');
    expect((await api('GET', `/sheets/Deals/records/${ids.Alpha}`)).fields).toMatchObject({ Name: 'Alpha', Amount: 200, Account: [{ title: 'Globex' }] });
  });

  it('shows the question and the toast at phone width in both languages', async () => {
    for (const [locale, suffix, title] of [['en', '', 'Delete "Gamma"?'], ['zh-TW', '-zh-TW', '刪除「Gamma」？']] as const) {
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/w/${ws}/s/${deals}/r/${ids.Gamma}`);
      await page.locator('.record-head .button.danger').click();
      const question = page.getByRole('alertdialog', { name: title });
      await question.waitFor();
      await screenshot(page, `record-trash-confirm-390${suffix}`, false);
      await question.locator('.button.danger').click();
      await page.waitForURL(`${base}/w/${ws}/s/${deals}`);
      const toast = page.locator('.toast', { hasText: 'Gamma' });
      await expect.poll(() => gridNames(page)).toContain('Alpha');
      await screenshot(page, `record-trash-undo-toast-390${suffix}`, false);
      await toast.locator('.toast-action').click();
      await expect.poll(() => status(`/sheets/Deals/records/${ids.Gamma}`)).toBe(200);
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('offers a viewer no delete and no restore', async () => {
    await addMember(app.server, ws, 'viewer@example.com', 'viewer');
    viewerContext = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const viewer = await viewerContext.newPage();
    viewer.setDefaultTimeout(10_000);
    await viewer.goto(`${base}/login`);
    await viewer.getByLabel('Email').fill('viewer@example.com');
    await viewer.getByLabel('Password').fill('member password');
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.getByRole('link', { name: 'Account settings' }).waitFor();
    await viewer.goto(`${base}/w/${ws}/s/${deals}`);
    await expect.poll(() => gridNames(viewer)).toContain('Gamma');
    expect(await viewer.locator('.grid-row input[type=checkbox]').count()).toBe(0);
    await viewer.goto(`${base}/w/${ws}/s/${deals}/r/${ids.Gamma}`);
    await viewer.getByRole('heading', { name: 'Gamma' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
    await viewer.goto(`${base}/w/${ws}`);
    await viewer.getByRole('heading', { name: 'Sheets' }).waitFor();
    expect(await viewer.locator('.record-trash').count()).toBe(0);
    expect(await viewer.getByText('Deleted records').count()).toBe(0);
    // The server refuses what the app does not offer.
    expect((await viewer.request.get(`${base}/api/w/${ws}/sheets/Deals/records/deleted`)).status()).toBe(403);
    expect((await viewer.request.post(`${base}/api/w/${ws}/sheets/Deals/records/${ids.Beta}/restore`)).status()).toBe(403);
  });
});
