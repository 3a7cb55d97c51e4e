import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pageApi, screenshot, SCREENSHOTS, setupOwner, startBrowserApp, type BrowserApp } from './browser.js';

/** Issue 16 item 8: the app on a 390 × 844 phone, in English and Traditional Chinese. */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
const sheetIds = new Map<string, string>();
let quoteId: string;

const WIDTH = 390;

/** Nothing wider than the phone: the document never scrolls sideways. */
const pageWidth = () => page.evaluate(() => document.scrollingElement!.scrollWidth);
/** Each visible element matching `selector` lies inside the viewport horizontally (its left and right edge). */
async function withinViewport(selector: string): Promise<string[]> {
  return page.evaluate(
    ([sel, width]) =>
      [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((el) => el.offsetParent !== null)
        .flatMap((el) => {
          const r = el.getBoundingClientRect();
          return r.left < 0 || r.right > width + 0.5 ? [`${el.textContent?.trim() || el.getAttribute('aria-label')}: ${Math.round(r.left)}–${Math.round(r.right)}`] : [];
        }),
    [selector, WIDTH] as const,
  );
}

beforeAll(async () => {
  app = await startBrowserApp({ width: WIDTH, height: 844 });
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  const call = pageApi(page, base);
  // Installing the whole CRM with its sample records takes a while on a busy machine.
  const install = await page.request.post(`${base}/api/w/${ws}/templates/full-crm/install`, { data: { sampleData: true }, timeout: 150_000 });
  expect(install.status()).toBe(201);
  const installed = await install.json();
  for (const sheet of installed.sheets as { id: string; name: string }[]) sheetIds.set(sheet.name, sheet.id);
  const lines = (await call('get', `/api/w/${ws}/sheets/Quote lines/records?limit=100`)).records as { fields: { Quote?: { id: string }[] } }[];
  quoteId = lines.find((l) => l.fields.Quote?.length)!.fields.Quote![0]!.id;
}, 180_000);

afterAll(() => app?.close());

describe.each(['en', 'zh-TW'] as const)('a 390 × 844 phone in %s', (locale) => {
  beforeAll(async () => {
    await page.goto(`${base}/`);
    await page.evaluate((l) => localStorage.setItem('locale', l), locale);
  });

  it('shows the sheet toolbar with a usable search and nothing cut off', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quotes')}`);
    const search = page.getByRole('searchbox');
    await search.waitFor();
    await screenshot(page, `phone-sheet-${locale}`, false);
    expect((await search.boundingBox())!.width).toBeGreaterThanOrEqual(120);
    expect(await withinViewport('.sheet-page .toolbar .button, .sheet-page .toolbar .input, .sheet-page .toolbar .segmented')).toEqual([]);
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
  });

  it('shows a quote’s actions and its line items without sideways scrolling', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quotes')}/r/${quoteId}`);
    await page.locator('.linked-table').first().waitFor();
    await screenshot(page, `phone-quote-${locale}`);
    await screenshot(page, `phone-quote-top-${locale}`, false);
    await page.locator('.linked-table').first().screenshot({ path: path.join(SCREENSHOTS, `phone-quote-lines-${locale}.png`) });
    expect(await withinViewport('.record-page .button, .linked-table, .linked-table tr')).toEqual([]);
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
  });

  it('lets the form designer be used', async () => {
    const forms = (await pageApi(page, base)('get', `/api/w/${ws}/sheets/${sheetIds.get('Quotes')}/forms`)) as { id: string }[];
    await page.goto(`${base}/w/${ws}/s/${sheetIds.get('Quotes')}/forms/${forms[0]!.id}`);
    await page.locator('.designer-body').waitFor();
    await screenshot(page, `phone-designer-${locale}`);
    expect(await withinViewport('.designer-page .button, .designer-page input, .designer-page select')).toEqual([]);
    expect(await pageWidth()).toBeLessThanOrEqual(WIDTH);
  });
});
