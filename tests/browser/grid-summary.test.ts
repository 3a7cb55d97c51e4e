import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, setupOwner, startBrowserApp, type BrowserApp } from './browser.js';

/**
 * The grid's summary row and grouping in Chromium: the numbers it shows are the summary API's, the choice of
 * aggregate is kept in the view, grouping by a select shows each group's header with its count, and a header
 * collapses its group.
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let viewId: string;
let api: ReturnType<typeof pageApi>;

const STAGES = ['Prospect', 'Won', 'Lost'];
// Four deals per stage and two without one.
const DEALS = Array.from({ length: 14 }, (_, i) => ({ Name: `Deal ${i + 1}`, Amount: 100 * (i + 1) + 0.5, ...(i < 12 ? { Stage: STAGES[i % 3] } : {}) }));

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  api = pageApi(page, base);
  await api('post', `/api/w/${ws}/sheets`, {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
      { name: 'Stage', type: 'single_select', options: { choices: STAGES.map((name) => ({ name })) } },
    ],
  });
  await api('post', `/api/w/${ws}/sheets/Deals/records`, { records: DEALS.map((fields) => ({ fields })) });
  viewId = (await api('post', `/api/w/${ws}/sheets/Deals/views`, { name: 'Pipeline', type: 'grid' })).id;
}, 120_000);

afterAll(() => app?.close());

/** A number as the summary row shows it ("$1,234.50", "1,234.5"), read back. */
const numberIn = (text: string) => Number(text.replace(/[^0-9.-]/g, ''));
const amountCell = () => page.locator('.grid-summary output[data-field="Amount"]');
const apiTotal = async (values: string) => (await api('get', `/api/w/${ws}/sheets/Deals/summary?values=${encodeURIComponent(values)}`)).total as number[];

describe('the grid summary row and groups', () => {
  it('sums a number column as the summary API does, and keeps another aggregate in the view', async () => {
    await page.goto(`${base}/w/${ws}/s/Deals?view=${viewId}`);
    await page.getByRole('gridcell', { name: 'Deal 1', exact: true }).waitFor();
    const [, sum] = await apiTotal('count,sum(Amount)');
    expect(sum).toBe(DEALS.reduce((s, d) => s + d.Amount, 0));
    await expect.poll(async () => numberIn(await amountCell().innerText())).toBe(sum);
    await screenshot(page, 'grid-summary-sum-en-1280', false);

    await page.getByRole('combobox', { name: 'Summary of Amount' }).selectOption('avg');
    const [avg] = await apiTotal('avg(Amount)');
    await expect.poll(async () => numberIn(await amountCell().innerText())).toBeCloseTo(avg!, 2);
    // The Stage column counts its empty values: the two deals without a stage.
    await page.getByRole('combobox', { name: 'Summary of Stage' }).selectOption('empty');
    await expect.poll(() => page.locator('.grid-summary output[data-field="Stage"]').innerText()).toBe('2');
    // Kept in the view, by field id.
    await expect.poll(async () => Object.values((await api('get', `/api/w/${ws}/sheets/Deals/views`))[0].config.summaries ?? {}).sort()).toEqual(['avg', 'empty']);

    await page.reload();
    await page.getByRole('gridcell', { name: 'Deal 1', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Summary of Amount' }).inputValue()).toBe('avg');
    await expect.poll(async () => numberIn(await amountCell().innerText())).toBeCloseTo(avg!, 2);
    await expect.poll(() => page.getByRole('combobox', { name: 'Summary of Stage' }).inputValue()).toBe('empty');
  });

  it('follows an edit: the summary is asked again once a cell is saved', async () => {
    await page.goto(`${base}/w/${ws}/s/Deals?view=${viewId}`);
    // The view's own choice first (its average), then the sum.
    await expect.poll(() => page.getByRole('combobox', { name: 'Summary of Amount' }).inputValue()).toBe('avg');
    await page.getByRole('combobox', { name: 'Summary of Amount' }).selectOption('sum');
    const before = DEALS.reduce((s, d) => s + d.Amount, 0);
    await expect.poll(async () => numberIn(await amountCell().innerText())).toBeCloseTo(before, 2);
    const cell = page.locator('[role=gridcell][data-field="Amount"]').first();
    await cell.dblclick();
    await cell.locator('input').fill('1100.5');
    await cell.locator('input').press('Enter');
    await expect.poll(() => cell.innerText()).toBe('$1,100.50');
    await expect.poll(async () => numberIn(await amountCell().innerText())).toBeCloseTo(before + 1000, 2);
    DEALS[0]!.Amount = 1100.5;
    await page.getByRole('combobox', { name: 'Summary of Amount' }).selectOption('avg');
  });

  it('follows the grid filter: the summary is of the rows shown', async () => {
    const filter = JSON.stringify({ '==': [{ var: 'Stage' }, 'Won'] });
    await page.goto(`${base}/w/${ws}/s/Deals?view=${viewId}&filter=${encodeURIComponent(filter)}`);
    await page.getByRole('gridcell', { name: 'Deal 2', exact: true }).waitFor();
    const won = DEALS.filter((d) => d.Stage === 'Won');
    await expect.poll(async () => numberIn(await amountCell().innerText())).toBeCloseTo(won.reduce((s, d) => s + d.Amount, 0) / won.length, 2);
  });

  it('groups by Stage: a header per stage with its count, collapsed by a click', async () => {
    await page.goto(`${base}/w/${ws}/s/Deals?view=${viewId}`);
    await page.getByRole('gridcell', { name: 'Deal 1', exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Group by: Stage' });
    const headers = page.locator('.grid-group');
    await expect.poll(() => headers.count()).toBe(4);
    expect(await headers.locator('.group-name').allInnerTexts()).toEqual([...STAGES, '(empty)']);
    expect(await headers.locator('.group-count').allInnerTexts()).toEqual(['4 records', '4 records', '4 records', '2 records']);
    // Each header repeats its group's column summary (the average amount, as the view keeps it).
    const wonAvg = DEALS.filter((d) => d.Stage === 'Won').reduce((s, d) => s + d.Amount, 0) / 4;
    expect(numberIn((await headers.nth(1).locator('.group-sum').allInnerTexts()).find((t) => t.startsWith('Amount'))!)).toBeCloseTo(wonAvg, 2);
    // Records come in their groups, in the order of the choices.
    const rows = page.locator('.grid-row');
    await expect.poll(() => rows.count()).toBe(14);
    // Records are numbered 1 to 14 across the groups; the footer counts records, not headers.
    expect(await page.locator('.grid-row .rownum a').last().innerText()).toBe('14');
    await page.getByText('14 records loaded').waitFor();
    await screenshot(page, 'grid-groups-en-1280', false);

    await page.getByRole('button', { name: 'Show or hide the records of Won' }).click();
    await expect.poll(() => rows.count()).toBe(10);
    expect(await page.getByRole('button', { name: 'Show or hide the records of Won' }).getAttribute('aria-expanded')).toBe('false');
    for (const d of DEALS.filter((x) => x.Stage === 'Won')) expect(await page.getByRole('gridcell', { name: d.Name, exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Show or hide the records of Won' }).click();
    await expect.poll(() => rows.count()).toBe(14);
  });

  it('reads in Traditional Chinese, at desktop and phone width', async () => {
    for (const locale of ['en', 'zh-TW'] as const) {
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
        await page.goto(`${base}/w/${ws}/s/Deals?view=${viewId}&group=${encodeURIComponent((await api('get', `/api/w/${ws}/sheets/Deals`)).fields[2].id)}`);
        const headers = page.locator('.grid-group');
        await expect.poll(() => headers.count()).toBe(4);
        const count = locale === 'en' ? '4 records' : '4 筆記錄';
        expect((await headers.locator('.group-count').allInnerTexts())[0]).toBe(count);
        expect(await headers.locator('.group-name').last().innerText()).toBe(locale === 'en' ? '(empty)' : '（空白）');
        await page.getByRole('combobox', { name: locale === 'en' ? 'Summary of Amount' : '「Amount」的摘要' }).waitFor();
        await screenshot(page, `grid-summary-${locale}-${width}`, false);
      }
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
