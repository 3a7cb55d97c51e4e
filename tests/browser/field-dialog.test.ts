import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;

interface FieldJson {
  name: string;
  required: boolean;
  unique: boolean;
  description: string;
  defaultValue: unknown;
  options: Record<string, unknown>;
}
const api = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<T> => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return (res.status() === 204 ? undefined : res.json()) as Promise<T>;
};
const fieldOf = async (name: string) => (await api<{ fields: FieldJson[] }>('GET', '/sheets/Deals')).fields.find((f) => f.name === name)!;
const dialog = () => page.getByRole('dialog');
const editField = async (name: string, label: string) => {
  await page.getByRole('button', { name: `${label}: ${name}` }).click();
  await page.getByRole('menuitem', { name: label === '欄位選單' ? '編輯欄位' : 'Edit field' }).click();
  await dialog().waitFor();
};
const fieldRow = (label: string) => page.locator('.form-row', { has: page.locator('label', { hasText: label }) });

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Owner' } });
  ws = (await setup.json()).workspace.id;
  await api('POST', '/sheets', {
    name: 'Deals',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Code', type: 'text' },
      { name: 'Amount', type: 'number' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Open' }, { name: 'Won' }] } },
      { name: 'Checked by', type: 'user' },
    ],
  });
  for (const [name, code] of [['First', 'A1'], ['Second', 'A1']]) await api('POST', '/sheets/Deals/records', { fields: { Name: name, Code: code } });
}, 120_000);

afterAll(() => app?.close());

describe('the field dialog’s required, unique, default value and description', () => {
  it('refuses unique over duplicates naming the field and the value, then sets everything and the form and grid show it', async () => {
    await page.goto(`${base}/w/${ws}/s/Deals`);
    await editField('Code', 'Field menu');
    await dialog().getByLabel('Required').check();
    await dialog().getByLabel(/Unique \(/).check();
    await dialog().getByLabel('Description').fill('The customer’s internal code');
    await dialog().getByRole('button', { name: 'Save' }).click();
    const problem = dialog().getByRole('alert');
    await expect.poll(() => problem.innerText()).toMatch(/"Code".*"A1"/);
    await screenshot(page, 'field-dialog-unique-refused');
    expect((await fieldOf('Code')).unique).toBe(false);

    // Without the duplicate the same dialog saves.
    const records = await api<{ records: { id: string; fields: { Name: string } }[] }>('GET', '/sheets/Deals/records');
    await api('PATCH', `/sheets/Deals/records/${records.records.find((r) => r.fields.Name === 'Second')!.id}`, { fields: { Code: 'B2' } });
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await fieldOf('Code')).toMatchObject({ required: true, unique: true, description: 'The customer’s internal code' });

    // Defaults with a control of each field's type; "current user" for a user field.
    await editField('Amount', 'Field menu');
    await dialog().getByLabel('Default value').fill('1,250');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await editField('Stage', 'Field menu');
    await dialog().getByLabel('Default value').selectOption('Won');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await editField('Checked by', 'Field menu');
    expect(await dialog().getByLabel('Default value').count()).toBe(0);
    await dialog().getByLabel('New records get the user who creates them').check();
    await screenshot(page, 'field-dialog-user-1280');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await fieldOf('Amount')).toMatchObject({ defaultValue: 1250 });
    expect(await fieldOf('Stage')).toMatchObject({ defaultValue: 'Won' });
    expect((await fieldOf('Checked by')).options).toMatchObject({ defaultCurrentUser: true });

    // The column header's tooltip is the description.
    await expect.poll(() => page.getByRole('columnheader', { name: /Code/ }).locator('.header-button').getAttribute('title')).toBe('The customer’s internal code');

    // A new record's form: defaults filled in, the description as help, required and unique refused.
    await page.goto(`${base}/w/${ws}/s/Deals/new`);
    await expect.poll(() => page.getByLabel('Amount').inputValue()).toMatch(/^1,?250$/);
    await expect.poll(() => page.getByLabel('Stage').inputValue()).toBe('Won');
    await expect.poll(() => fieldRow('Code').locator('.hint').innerText()).toBe('The customer’s internal code');
    await page.getByLabel('Name').fill('Third');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fieldRow('Code').locator('.error').innerText()).toMatch(/Code/);
    await page.getByLabel('Code').fill('A1');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Code/)]));
    await screenshot(page, 'field-dialog-form-refused');
    await page.getByLabel('Code').fill('C3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Third' }).waitFor();
    const saved = await api<{ records: { fields: Record<string, unknown> }[] }>('GET', '/sheets/Deals/records');
    expect(saved.records.find((r) => r.fields.Name === 'Third')?.fields).toMatchObject({ Amount: 1250, Stage: 'Won', Code: 'C3', 'Checked by': { name: 'Owner' } });
  });

  it('adds a field with all of it in Traditional Chinese, at 1280 and 390 px', async () => {
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.goto(`${base}/w/${ws}/s/Deals`);
    await page.getByRole('button', { name: '新增欄位' }).click();
    await dialog().getByLabel('欄位名稱').fill('備註');
    await dialog().getByLabel('必填').check();
    await dialog().getByLabel(/不可重複（/).check();
    await dialog().getByLabel('預設值').fill('無');
    await dialog().getByLabel('說明').fill('給業務看的備註');
    await screenshot(page, 'field-dialog-zh-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'field-dialog-zh-390', false);
    const box = await dialog().boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await dialog().getByRole('button', { name: '儲存' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await fieldOf('備註')).toMatchObject({ required: true, unique: true, defaultValue: '無', description: '給業務看的備註' });
    // The form in Chinese: the default filled in, the description as help, required said when emptied.
    await page.goto(`${base}/w/${ws}/s/Deals/new`);
    await expect.poll(() => page.getByLabel('備註').inputValue()).toBe('無');
    await expect.poll(() => fieldRow('備註').locator('.hint').innerText()).toBe('給業務看的備註');
    await page.getByLabel('備註').fill('');
    await page.getByRole('button', { name: '儲存' }).click();
    await expect.poll(() => fieldRow('備註').locator('.error').innerText()).toMatch(/^備註 /);
    await screenshot(page, 'field-dialog-zh-form-390');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
  });

  it('fits the type change preview at every width: inside the screen, scrolling inside, its buttons visible and on top', async () => {
    const long = 'not-a-number-'.repeat(12);
    for (let i = 0; i < 14; i++) await api('POST', '/sheets/Deals/records', { fields: { Name: `Row ${i}`, Code: `R${i}`, '備註': `n${i}` } });
    await api('POST', '/sheets/Deals/fields', { name: 'Reference', type: 'text' });
    const all = await api<{ records: { id: string }[] }>('GET', '/sheets/Deals/records?limit=100');
    for (const [i, r] of all.records.entries()) await api('PATCH', `/sheets/Deals/records/${r.id}`, { fields: { Reference: i % 2 ? `${i}` : `${long}${i}` } });
    await page.goto(`${base}/w/${ws}/s/Deals`);
    await editField('Reference', 'Field menu');
    await dialog().getByLabel('Type').selectOption('number');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().getByRole('button', { name: 'Convert' }).waitFor();
    for (const [width, height] of [[1280, 800], [768, 1024], [390, 844]] as const) {
      await page.setViewportSize({ width, height });
      await screenshot(page, `type-change-${width}`, false);
      const box = (await dialog().boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      // The content is wider and taller than nothing: it wraps and scrolls inside the dialog, the page not at all.
      expect(await dialog().evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
      for (const name of ['Convert', 'Cancel']) {
        const button = (await dialog().getByRole('button', { name }).boundingBox())!;
        expect(button.y + button.height).toBeLessThanOrEqual(box.y + box.height);
        expect(button.x + button.width).toBeLessThanOrEqual(box.x + box.width);
      }
      // Its top is the dialog's own, not the app's top bar over it.
      expect(await page.evaluate(([x, y]) => !!document.elementFromPoint(x!, y!)?.closest('[role=dialog]'), [box.x + box.width / 2, box.y + 4])).toBe(true);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await dialog().getByRole('button', { name: 'Convert' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect((await fieldOf('Reference')).options).toBeDefined();
    expect((await api<{ fields: { name: string; type: string }[] }>('GET', '/sheets/Deals')).fields.find((f) => f.name === 'Reference')?.type).toBe('number');
  });
});
