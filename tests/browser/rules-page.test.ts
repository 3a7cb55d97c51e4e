import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, setupOwner, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;

interface Rule {
  id: string;
  kind?: 'lock';
  condition: unknown;
  message: string;
  lockedFields?: string[] | null;
}
const rules = async () => (await (await page.request.get(`${base}/api/w/${ws}/sheets/Orders/rules`)).json()) as Rule[];
const editor = () => page.locator('form.rule-editor');
const fieldId = async (name: string) => ((await (await page.request.get(`${base}/api/w/${ws}/sheets/Orders`)).json()) as { fields: { id: string; name: string }[] }).fields.find((f) => f.name === name)!.id;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  const res = await page.request.post(`${base}/api/w/${ws}/sheets`, {
    data: { name: 'Orders', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'number' }, { name: 'Status', type: 'single_select', options: { choices: [{ name: 'Draft' }, { name: 'Sent' }] } }] },
  });
  expect(res.ok()).toBe(true);
}, 120_000);

afterAll(() => app?.close());

describe('the sheet’s rules page', () => {
  it('adds a validation rule with the builder, which refuses a bad record in a form with its message', async () => {
    await page.goto(`${base}/w/${ws}/s/Orders`);
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Rules of Orders' }).waitFor();
    await page.getByText('This sheet has no rules yet.').waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    // An empty condition is refused in the browser, an empty message by the server: each said next to its input.
    await editor().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor().locator('.rule-condition .error').innerText()).toBe('Condition: add at least one complete condition');
    await editor().getByRole('button', { name: '+ Add condition' }).click();
    await editor().getByLabel('Field', { exact: true }).selectOption({ label: 'Amount' });
    await editor().getByLabel('Operator').selectOption('>');
    await editor().getByLabel('Value').fill('0');
    await editor().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor().getByRole('alert').innerText()).toMatch(/^Message: .*empty/);
    await editor().getByLabel('Message').fill('Amount must be positive');
    await screenshot(page, 'rules-editor-1280');
    await editor().getByRole('button', { name: 'Save' }).click();
    await editor().waitFor({ state: 'detached' });
    await page.locator('.rule-item', { hasText: 'Amount must be positive' }).waitFor();
    expect(await page.locator('.rule-item .rule-when').innerText()).toBe('Must hold: Amount > 0');
    expect(await rules()).toEqual([expect.objectContaining({ condition: { '>': [{ var: 'Amount' }, 0] }, message: 'Amount must be positive' })]);

    await page.goto(`${base}/w/${ws}/s/Orders/new`);
    await page.getByLabel('Name').fill('Refund');
    await page.getByLabel('Amount').fill('-5');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Amount must be positive')]));
    expect((await (await page.request.get(`${base}/api/w/${ws}/sheets/Orders/records`)).json()).records).toEqual([]);
    await page.getByLabel('Amount').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Refund' }).waitFor();
  });

  it('adds a lock rule on chosen fields, edits a rule and deletes one after confirming', async () => {
    await page.goto(`${base}/w/${ws}/s/Orders/rules`);
    await page.getByRole('button', { name: 'Add rule' }).click();
    await editor().getByLabel('Kind').selectOption('lock');
    await editor().getByRole('button', { name: '+ Add condition' }).click();
    await editor().getByLabel('Field', { exact: true }).selectOption({ label: 'Status' });
    await editor().getByLabel('Operator').selectOption('==');
    await editor().getByLabel('Value').selectOption('Sent');
    await editor().getByLabel('Message').fill('Sent orders cannot be changed');
    await editor().getByLabel(/All fields/).uncheck();
    await editor().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor().locator('.rule-locked .error').innerText()).toMatch(/pick at least one field/);
    await editor().locator('.rule-locked').getByLabel('Amount').check();
    await editor().getByRole('button', { name: 'Save' }).click();
    await editor().waitFor({ state: 'detached' });
    await page.locator('.rule-item', { hasText: 'Locks: Amount' }).waitFor();
    expect(await page.locator('.rule-item', { hasText: 'Locks: Amount' }).locator('.rule-when').innerText()).toBe('Locked while: Status = Sent');
    const lock = (await rules()).find((r) => r.kind === 'lock')!;
    expect(lock).toMatchObject({ condition: { '==': [{ var: 'Status' }, 'Sent'] }, message: 'Sent orders cannot be changed', lockedFields: ['Amount'] });

    // Edit: the builder opens on the rule as saved.
    await page.getByRole('button', { name: 'Edit rule "Amount must be positive"' }).click();
    await expect.poll(() => editor().getByLabel('Value').inputValue()).toBe('0');
    await editor().getByLabel('Message').fill('Amount must be above zero');
    await editor().getByRole('button', { name: 'Save' }).click();
    await editor().waitFor({ state: 'detached' });
    expect((await rules()).map((r) => r.message)).toEqual(['Amount must be above zero', 'Sent orders cannot be changed']);

    // Delete asks first; keeping changes nothing.
    await page.getByRole('button', { name: 'Delete rule "Sent orders cannot be changed"' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await rules()).toHaveLength(2);
    await page.getByRole('button', { name: 'Delete rule "Sent orders cannot be changed"' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete rule' }).click();
    await expect.poll(async () => (await rules()).map((r) => r.message)).toEqual(['Amount must be above zero']);
  });

  it('edits a condition the builder cannot show as JsonLogic, keeping it', async () => {
    const condition = { if: [{ '==': [{ var: 'Status' }, 'Sent'] }, { '>=': [{ var: 'Amount' }, 100] }, true] };
    const made = await page.request.post(`${base}/api/w/${ws}/sheets/Orders/rules`, { data: { condition, message: 'Sent orders are at least 100' } });
    expect(made.ok()).toBe(true);
    await page.goto(`${base}/w/${ws}/s/Orders/rules`);
    await page.getByRole('button', { name: 'Edit rule "Sent orders are at least 100"' }).click();
    const json = editor().getByLabel('Condition (JsonLogic)');
    expect(JSON.parse(await json.inputValue())).toEqual(JSON.parse(JSON.stringify(condition).replace('"Status"', '"' + (await fieldId('Status')) + '"').replace('"Amount"', '"' + (await fieldId('Amount')) + '"')));
    await json.fill('{"if": [');
    await editor().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editor().locator('.rule-condition .error').innerText()).toBe('Condition: is not valid JSON');
    await json.fill(JSON.stringify({ '>=': [{ var: 'Nope' }, 1] }));
    await editor().getByRole('button', { name: 'Save' }).click();
    // The server's own words about the condition, next to it.
    await expect.poll(() => editor().locator('.rule-condition .error').innerText()).toMatch(/^Condition: .*Nope/);
    await json.fill(JSON.stringify(condition));
    await editor().getByLabel('Message').fill('Sent orders are 100 or more');
    await editor().getByRole('button', { name: 'Save' }).click();
    await editor().waitFor({ state: 'detached' });
    expect((await rules()).find((r) => r.message === 'Sent orders are 100 or more')?.condition).toEqual(condition);
  });

  it('is in Traditional Chinese and fits a phone', async () => {
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.goto(`${base}/w/${ws}/s/Orders/rules`);
    await page.getByRole('heading', { name: 'Orders 的規則' }).waitFor();
    await page.getByRole('button', { name: '新增規則' }).click();
    await editor().getByLabel('類型').selectOption('lock');
    await editor().getByRole('button', { name: '+ 新增條件' }).click();
    await screenshot(page, 'rules-zh-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'rules-zh-390');
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await editor().getByLabel('訊息').fill('');
    await editor().getByRole('button', { name: '儲存' }).click();
    await expect.poll(() => editor().getByRole('alert').first().innerText()).toMatch(/^(條件|訊息)：?/);
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/w/${ws}/s/Orders/rules`);
    await page.locator('.rule-item').first().waitFor();
    await screenshot(page, 'rules-en-390');
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
