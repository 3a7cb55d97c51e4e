import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageApi, screenshot, startBrowserApp, type BrowserApp } from './browser.js';

/**
 * The whole app in Traditional Chinese: every page an owner visits, and the public form a visitor whose browser
 * speaks Chinese opens, shows no English word outside the names of formats and protocols. The data is named in
 * Chinese, so every Latin word left on a page is the app's own. Judged on the DOM's text and the attributes people
 * read (the machine has no CJK font, so screenshots show layout only).
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let sheet: string;
let record: string;
let formId: string;
let token: string;

/**
 * Latin words Chinese text keeps: names of formats, protocols, products and keyboard keys, and the name of the
 * language menu's other language.
 */
const KEPT = new Set(['API', 'CSV', 'TSV', 'XLSX', 'JSON', 'URL', 'HTTP', 'HTTPS', 'http', 'https', 'POST', 'X-Signature', 'Webhook', 'OpenAPI', 'Excel', 'Handlebars', 'UTF-8', 'UTF-16', 'Big5', 'MB', 'CRM', 'Esc', 'Ctrl', 'Shift', 'ID', 'HMAC-SHA256', 'Bearer', 'Authorization', 'UTC', 'English', 'Linux', 'Chrome', 'Windows', 'Firefox', 'Safari', 'Edge']);

/**
 * Where a page shows code or identifiers, not language: code and JSON (the audit log's details and changed keys),
 * and the IANA names of the time-zone menu.
 */
const NOT_LANGUAGE = 'code, pre, .mono, .audit-diff, [aria-hidden="true"], .honeypot';
const TIME_ZONE = '^[A-Z][A-Za-z_]+/[A-Za-z_/-]+$';

/** The Latin words a page shows: its visible text and the attributes people read, less e-mail and web addresses. */
async function englishWords(p: Page): Promise<string[]> {
  const text = await p.evaluate(
    ({ skip, zone }) => {
      const isZone = new RegExp(zone);
      const parts: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(skip) || parent.closest('script, style')) continue;
        if (parent.closest('option')) {
          const option = parent.closest('option')!;
          if (!isZone.test(option.value) && option.value !== 'UTC') parts.push(node.textContent ?? '');
        } else if (parent.checkVisibility()) parts.push(node.textContent ?? '');
      }
      for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],[alt]')) {
        if (el.closest(skip)) continue;
        // A browser's identification (a session's tooltip) is data, not text of the app.
        for (const name of ['placeholder', 'title', 'aria-label', 'alt']) if (!/^Mozilla\//.test(el.getAttribute(name) ?? '')) parts.push(el.getAttribute(name) ?? '');
      }
      return parts.join('\n');
    },
    { skip: NOT_LANGUAGE, zone: TIME_ZONE },
  );
  const prose = text
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\{\{[^}]*\}\}/g, ' ');
  const words = prose.match(/[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*/g) ?? [];
  return [...new Set(words)].filter((word) => /[A-Za-z]{2}/.test(word) && !KEPT.has(word));
}

const api = (method: 'get' | 'post' | 'patch' | 'delete' | 'put', path: string, data?: unknown) =>
  method === 'put' || method === 'delete'
    ? page.request[method](`${base}${path}`, data === undefined ? {} : { data }).then((r) => r.json())
    : pageApi(page, base)(method, path, data);

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: '王小明' }, headers: { 'accept-language': 'zh-TW' } });
  ws = (await setup.json()).workspace.id;
  const created = await api('post', `/api/w/${ws}/sheets`, {
    name: '客戶',
    fields: [
      { name: '名稱', type: 'text', required: true },
      { name: '金額', type: 'number' },
      { name: '階段', type: 'single_select', options: { choices: [{ name: '新' }, { name: '成交' }] } },
      { name: '日期', type: 'date' },
      { name: '備註', type: 'long_text' },
      { name: '舊欄位', type: 'text' },
    ],
  });
  sheet = created.id;
  record = (await api('post', `/api/w/${ws}/sheets/${sheet}/records`, { fields: { 名稱: '甲公司', 金額: 1200, 階段: '新' } })).id;
  await api('delete', `/api/w/${ws}/sheets/${sheet}/fields/${encodeURIComponent('舊欄位')}`);
  const el = (id: string, field: string) => ({ kind: 'field', id, field });
  const layout = { tabs: [{ id: 't', title: '基本資料', sections: [{ id: 's', title: '客戶', rows: [{ id: 'r', columns: [{ id: 'c', elements: [el('e1', '名稱'), el('e2', '金額'), el('e3', '階段')] }] }] }] }] };
  formId = (await api('post', `/api/w/${ws}/sheets/${sheet}/forms`, { name: '客戶表單', layout })).id;
  await api('post', `/api/w/${ws}/sheets/${sheet}/forms/${formId}/publish`, {});
  token = (await api('put', `/api/w/${ws}/sheets/${sheet}/forms/${formId}/public`, { enabled: true })).public.token;
  await page.addInitScript(() => localStorage.setItem('locale', 'zh-TW'));
}, 120_000);

afterAll(() => app?.close());

const PAGES: [string, () => string][] = [
  ['home', () => `/w/${ws}`],
  ['sheet-grid', () => `/w/${ws}/s/${sheet}`],
  ['record', () => `/w/${ws}/s/${sheet}/r/${record}`],
  ['new-record', () => `/w/${ws}/s/${sheet}/new`],
  ['designer', () => `/w/${ws}/s/${sheet}/forms/${formId}`],
  ['documents', () => `/w/${ws}/s/${sheet}/documents`],
  ['settings', () => '/settings'],
  ['members', () => `/w/${ws}/members`],
  ['roles', () => `/w/${ws}/roles`],
  ['audit', () => `/w/${ws}/audit`],
  ['workflows', () => `/w/${ws}/workflows`],
  ['webhooks', () => `/w/${ws}/webhooks`],
  ['imports', () => `/w/${ws}/imports`],
  ['templates', () => `/w/${ws}/templates`],
];

describe('the app in Traditional Chinese', () => {
  for (const [name, path] of PAGES) {
    it(`shows no English on the ${name} page`, async () => {
      await page.goto(`${base}${path()}`, { waitUntil: 'networkidle' });
      await page.locator('main, .shell, #root > *').first().waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');
      await screenshot(page, `zh-tw-${name}-1280`);
      // The page did render its text (in Chinese): a blank page would pass the check below.
      expect(await page.evaluate(() => (document.body.innerText.match(/\p{Script=Han}/gu) ?? []).length)).toBeGreaterThan(20);
      expect(await englishWords(page), name).toEqual([]);
    });
  }

  it('shows the filter builder, row heights and the grid menus in Chinese', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheet}`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: '篩選' }).click();
    await page.getByRole('button', { name: '新增條件' }).click();
    await screenshot(page, 'zh-tw-filter-1280');
    expect(await englishWords(page)).toEqual([]);
  });

  it('shows the public form in the visitor browser’s language, with its errors', async () => {
    const visitor = await app.browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 800 } });
    const form = await visitor.newPage();
    await form.goto(`${base}/f/${token}`, { waitUntil: 'networkidle' });
    await form.getByRole('button').last().waitFor();
    expect(await englishWords(form)).toEqual([]);
    await form.getByRole('button').last().click();
    await form.getByRole('alert').first().waitFor();
    await screenshot(form, 'zh-tw-public-form-1280');
    expect(await englishWords(form)).toEqual([]);
    await form.setViewportSize({ width: 390, height: 800 });
    await screenshot(form, 'zh-tw-public-form-390');
    expect(await form.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await visitor.close();
  });
});
