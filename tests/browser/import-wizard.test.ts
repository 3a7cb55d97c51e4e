import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/export.js';
import { addMember } from '../helpers/members.js';
import { pageApi, screenshot, startBrowserApp, type BrowserApp } from './browser.js';

/**
 * The import wizard in Chromium (issue 15): a small Chinese CSV into an existing sheet, one column made a new field,
 * bad rows skipped, progress to the end, a reload finding the finished import, and the problems report; then an
 * aborted import and a discarded one that leave nothing written.
 */

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;
let call: ReturnType<typeof pageApi>;
/** The import the first test finished. */
let finished: string;

/** Five customers; the fourth (row 5 of the file, after the header) has an amount that is no number. */
const CUSTOMERS = [
  '客戶名稱,電話,金額,日期,等級',
  '台北貿易,02-2345-6789,"1,200",25/12/2026,金級',
  '台中商行,04-2222-3333,"35,000",03/01/2027,銀級',
  '高雄企業,07-1234-5678,"1,234,567",13/02/2027,金級',
  '新竹科技,03-5555-6666,一千,14/02/2027,銅級',
  '花蓮民宿,03-8888-9999,800,01/03/2027,銀級',
].join('\n');

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

beforeAll(async () => {
  app = await startBrowserApp({ width: 1280, height: 800 }, { jobs: true });
  ({ page, base } = app);
  call = pageApi(page, base);
  ws = (await call('post', '/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Owner' })).workspace.id;
  sheetId = (
    await call('post', `/api/w/${ws}/sheets`, {
      name: '客戶',
      fields: [
        { name: '客戶名稱', type: 'text' },
        { name: '電話', type: 'phone' },
        { name: '金額', type: 'currency', options: { currency: 'TWD', precision: 0 } },
        { name: '日期', type: 'date' },
      ],
    })
  ).id;
}, 180_000);

afterAll(() => app?.close());

const records = async (sheet: string) => (await call('get', `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}/records?limit=100`)).records as { fields: Record<string, unknown> }[];
const column = (p: Page, name: string) => p.locator(`.import-column[data-column="${name}"]`);

describe('the import wizard', () => {
  it('imports a Chinese CSV into a sheet, a column as a new field, skipping the bad row, and lists it after a reload', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByRole('link', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Import a file into 客戶' }).count()).toBe(1);
    await page.locator('input[type=file]').setInputFiles(csvFile('客戶.csv', CUSTOMERS));
    await page.waitForURL(/\/imports\/imp[^/?]+\?sheet=/);
    const importId = /\/imports\/(imp[^/?]+)/.exec(page.url())![1]!;
    finished = importId;

    // Preview: the first values under the column names; a wrong encoding garbles them, the right one mends them.
    const preview = page.getByRole('table', { name: 'First values of the file' });
    await expect.poll(() => preview.textContent()).toContain('台北貿易');
    expect(await preview.textContent()).toContain('1,234,567');
    await page.getByLabel('Text encoding').selectOption('big5');
    await expect.poll(() => preview.textContent()).not.toContain('台北貿易');
    await page.getByLabel('Text encoding').selectOption('utf-8');
    await expect.poll(() => preview.textContent()).toContain('台北貿易');
    await page.getByRole('button', { name: 'Next' }).click();

    // Mapping: the sheet's fields matched by name; the choice column becomes a new field of the inferred type.
    await expect.poll(() => page.getByLabel('Sheet', { exact: true }).inputValue()).toBe(sheetId);
    for (const name of ['客戶名稱', '電話', '金額', '日期']) expect(await page.getByLabel(`Field for column ${name}`).inputValue()).toBe(name);
    expect(await page.getByLabel('Field for column 等級').inputValue()).toBe(':new');
    // Five rows are too few to call three values choices: the type is overridden, its choices taken from the values.
    expect(await page.getByLabel('Type of the new field for 等級').inputValue()).toBe('text');
    await page.getByLabel('Type of the new field for 等級').selectOption('single_select');
    expect((await column(page, '等級').getByLabel('Choices').inputValue()).split('\n').sort()).toEqual(['金級', '銀級', '銅級'].sort());
    // A name the sheet already has is refused by the server, and said beside that column.
    await page.getByLabel('Name of the new field for 等級').fill('電話');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Skip that row and import the others').check();
    expect(await page.getByLabel('Dates are written').inputValue()).toBe('dmy');
    await page.getByRole('button', { name: /Start import/ }).click();
    await expect.poll(() => column(page, '等級').getByRole('alert').first().textContent()).toContain('Choose another name for the new field.');
    expect(await column(page, '等級').textContent()).toContain('電話');
    await screenshot(page, 'import-wizard-3-map-error-1280-en');
    expect((await call('get', `/api/w/${ws}/imports/${importId}`)).status).toBe('previewed');
    await page.getByLabel('Name of the new field for 等級').fill('客戶等級');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByLabel('Skip that row and import the others').isChecked()).toBe(true);
    await page.getByRole('button', { name: /Start import/ }).click();

    // Progress to the end, then the counts and the problem.
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await expect.poll(() => page.locator('.import-progress .chip').textContent(), { timeout: 60_000 }).toBe('Done');
    expect(await bar.getAttribute('value')).toBe('5');
    expect(await bar.getAttribute('max')).toBe('5');
    expect(await page.locator('.import-processed').textContent()).toBe('5 of 5 rows');
    const counts = async () => (await page.locator('.import-counts').innerText()).replace(/\s+/g, ' ');
    expect(await counts()).toBe('Added 4 Updated 0 Skipped 1');
    const problems = page.getByRole('table', { name: 'Problems' });
    expect((await problems.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t'))).toEqual([['5', '金額', '一千', 'is not a number']]);

    // A reload finds the finished import at its own address, and the list of imports has it.
    await page.reload();
    await expect.poll(() => page.locator('.import-counts').count()).toBe(1);
    expect(await counts()).toBe('Added 4 Updated 0 Skipped 1');
    expect(await page.getByRole('table', { name: 'Problems' }).locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'import-wizard-done');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download problems (CSV)' }).click()]);
    const text = (await readFile((await download.path())!)).toString('utf8');
    expect(download.suggestedFilename()).toMatch(/^import-\d+-problems\.csv$/);
    expect(parseCsv(text.replace(/^\ufeff/, ''))).toEqual([
      ['row', 'column', 'value', 'reason'],
      ['5', '金額', '一千', 'is not a number'],
    ]);

    await page.getByRole('link', { name: 'Open the sheet' }).click();
    await page.waitForURL(`${base}/w/${ws}/s/${sheetId}`);
    const written = (await records(sheetId)).map((r) => r.fields);
    expect(written).toHaveLength(4);
    expect(written.find((f) => f.客戶名稱 === '高雄企業')).toEqual({ 客戶名稱: '高雄企業', 電話: '07-1234-5678', 金額: 1234567, 日期: '2027-02-13', 客戶等級: '金級' });
    const sheet = await call('get', `/api/w/${ws}/sheets/${sheetId}`);
    expect(sheet.fields.find((f: { name: string }) => f.name === '客戶等級')).toMatchObject({ type: 'single_select' });

    await page.goto(`${base}/w/${ws}/imports`);
    await expect.poll(() => page.getByRole('link', { name: '客戶.csv' }).count()).toBe(1);
    await page.getByRole('link', { name: '客戶.csv' }).click();
    await page.waitForURL(`${base}/w/${ws}/imports/${importId}`);
    await expect.poll(() => counts()).toBe('Added 4 Updated 0 Skipped 1');
  }, 180_000);

  it('aborts on a bad row into a new sheet (dropped on the page, in Traditional Chinese on a phone), writing nothing', async () => {
    const phone = await app.browser.newPage({ viewport: { width: 390, height: 780 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(base);
    await phone.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await phone.goto(`${base}/w/${ws}`);
    await phone.getByRole('link', { name: '匯入' }).click();
    await phone.waitForURL(`${base}/w/${ws}/imports`);
    // Dropped, as a file dragged from the desktop would be.
    const drop = await phone.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], '新客戶.csv', { type: 'text/csv' }));
      return transfer;
    }, CUSTOMERS);
    await phone.getByTestId('import-dropzone').dispatchEvent('drop', { dataTransfer: drop });
    await phone.waitForURL(/\/imports\/imp[^/?]+$/);
    const importId = /\/imports\/(imp[^/?]+)/.exec(phone.url())![1]!;
    await expect.poll(() => phone.getByRole('table', { name: '檔案的前幾筆資料' }).textContent()).toContain('台北貿易');
    await phone.getByRole('button', { name: '下一步' }).click();
    expect(await phone.getByLabel('新工作表名稱').inputValue()).toBe('新客戶');
    // The amounts are text to the preview (one is no number); made a currency field, that one is a problem.
    expect(await phone.getByLabel('「金額」的新欄位類型').inputValue()).toBe('text');
    await phone.getByLabel('「金額」的新欄位類型').selectOption('currency');
    await screenshot(phone, 'import-wizard-map-phone-zh-TW');
    await phone.getByRole('button', { name: '下一步' }).click();
    expect(await phone.getByLabel('全部不匯入（修正檔案後再試）').isChecked()).toBe(true);
    await phone.getByRole('button', { name: /開始匯入/ }).click();
    await expect.poll(() => phone.locator('.import-progress .chip').textContent(), { timeout: 60_000 }).toBe('失敗');
    expect(await phone.locator('.import-progress [role=alert]').textContent()).toContain('沒有寫入任何資料');
    expect((await phone.getByRole('table', { name: '問題' }).locator('tbody tr').allInnerTexts()).map((r) => r.split('\t'))).toEqual([['5', '金額', '一千', '不是數字']]);
    await screenshot(phone, 'import-wizard-failed-phone-zh-TW');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    // Nothing written: no new sheet, and the import says so.
    const sheets = (await call('get', `/api/w/${ws}/sheets`)) as { name: string }[];
    expect(sheets.map((s) => s.name)).not.toContain('新客戶');
    expect(await call('get', `/api/w/${ws}/imports/${importId}`)).toMatchObject({ status: 'failed', inserted: 0, updated: 0 });
    await phone.close();
  }, 120_000);

  it('discards an import before it starts, writing nothing', async () => {
    const before = (await records(sheetId)).length;
    await page.goto(`${base}/w/${ws}/imports?sheet=${sheetId}`);
    await page.locator('input[type=file]').setInputFiles(csvFile('again.csv', CUSTOMERS));
    await page.waitForURL(/\/imports\/imp[^/?]+\?sheet=/);
    const importId = /\/imports\/(imp[^/?]+)/.exec(page.url())![1]!;
    await page.getByRole('button', { name: 'Discard' }).click();
    await page.waitForURL(`${base}/w/${ws}/imports`);
    expect(await call('get', `/api/w/${ws}/imports/${importId}`)).toMatchObject({ status: 'cancelled', inserted: 0 });
    expect(await records(sheetId)).toHaveLength(before);
  }, 60_000);

  it('shows every step in English and Chinese, at desktop and phone width, without scrolling sideways', async () => {
    const res = await page.request.post(`${base}/api/w/${ws}/imports`, { multipart: { file: csvFile('客戶.csv', CUSTOMERS) } });
    expect(res.status()).toBe(201);
    const { id } = await res.json();
    for (const locale of ['en', 'zh-TW'] as const) {
      for (const width of [1280, 390]) {
        const p = await app.browser.newPage({ viewport: { width, height: width > 400 ? 800 : 780 } });
        await p.context().addCookies(await page.context().cookies());
        await p.goto(base);
        await p.evaluate((l) => localStorage.setItem('locale', l), locale);
        const shot = async (step: string) => {
          expect(await p.evaluate(() => document.documentElement.scrollWidth), `${step} ${locale} ${width}`).toBeLessThanOrEqual(width);
          await screenshot(p, `import-wizard-${step}-${width}-${locale}`);
        };
        await p.goto(`${base}/w/${ws}/imports?sheet=${sheetId}`);
        await expect.poll(() => p.locator('.import-list tbody tr').count()).toBeGreaterThan(0);
        await shot('1-upload');
        await p.goto(`${base}/w/${ws}/imports/${id}?sheet=${sheetId}`);
        await expect.poll(() => p.locator('.import-preview tbody tr').count()).toBe(5);
        await shot('2-preview');
        await p.locator('.import-actions .button.primary').click();
        await expect.poll(() => p.locator('.import-column').count()).toBe(5);
        await shot('3-map');
        await p.locator('.import-actions .button.primary').click();
        await expect.poll(() => p.locator('.import-options').count()).toBe(1);
        await shot('4-options');
        await p.goto(`${base}/w/${ws}/imports/${finished}`);
        await expect.poll(() => p.locator('.import-counts').count()).toBe(1);
        await shot('5-done');
        await p.close();
      }
    }
  }, 180_000);

  it('shows the way in to those who may import only: an editor into existing sheets, never a viewer', async () => {
    for (const role of ['editor', 'viewer'] as const) {
      await addMember(app.server, ws, `${role}@example.com`, role, 'member password');
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await context.newPage();
      expect((await p.request.post(`${base}/api/auth/login`, { data: { email: `${role}@example.com`, password: 'member password' } })).ok()).toBe(true);
      await p.goto(`${base}/w/${ws}/s/${sheetId}`);
      await expect.poll(() => p.locator('.export-menu').count()).toBe(1);
      expect(await p.getByRole('link', { name: 'Import', exact: true }).count(), role).toBe(role === 'editor' ? 1 : 0);
      await p.goto(`${base}/w/${ws}`);
      await expect.poll(() => p.locator('.sheet-card').count()).toBeGreaterThan(0);
      expect(await p.getByRole('link', { name: 'Import', exact: true }).count(), role).toBe(role === 'editor' ? 1 : 0);
      if (role === 'editor') {
        // An editor fills the sheet's fields: no new sheet, no new field is offered.
        const res = await p.request.post(`${base}/api/w/${ws}/imports`, { multipart: { file: csvFile('客戶.csv', CUSTOMERS) } });
        expect(res.status()).toBe(201);
        await p.goto(`${base}/w/${ws}/imports/${(await res.json()).id}?sheet=${sheetId}`);
        await p.getByRole('button', { name: 'Next' }).click();
        await expect.poll(() => p.locator('.import-column').count()).toBe(5);
        expect(await p.getByLabel('A new sheet').count()).toBe(0);
        expect(await p.getByLabel('Field for column 等級').inputValue()).toBe(':skip');
        expect(await p.getByLabel('Field for column 等級').locator('option', { hasText: 'New field…' }).count()).toBe(0);
      }
      await context.close();
    }
  }, 120_000);

  it("reads the worksheet of a workbook the user picks", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('說明').addRows([['這個活頁簿的說明'], ['請看第二個工作表']]);
    book.addWorksheet('訂單').addRows([['訂單編號', '金額'], ['A-1', 1200], ['A-2', 800]]);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    await page.goto(`${base}/w/${ws}/imports`);
    await page.locator('input[type=file]').setInputFiles({ name: '訂單.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await page.waitForURL(/\/imports\/imp[^/?]+$/);
    const preview = page.getByRole('table', { name: 'First values of the file' });
    await expect.poll(() => preview.textContent()).toContain('請看第二個工作表');
    expect(await page.getByLabel('Text encoding').count()).toBe(0);
    await page.getByLabel('Worksheet').selectOption('訂單');
    await expect.poll(() => preview.locator('th').allInnerTexts()).toEqual(['訂單編號\nText', '金額\nNumber']);
    expect(await preview.textContent()).toContain('A-2');
    await screenshot(page, 'import-wizard-2-preview-xlsx-1280-en');
  }, 60_000);
});
