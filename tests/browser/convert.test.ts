import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp, setupOwner } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;

const api = async (method: 'GET' | 'POST', path: string, data?: unknown) => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, data });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json();
};
const link = (name: string, sheet: string) => ({ name, type: 'link', options: { sheet, relationship: 'many_to_one', inverseName: 'Leads' } });

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = await setupOwner(page, base);
  await api('POST', '/sheets', { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] });
  await api('POST', '/sheets', { name: 'Contacts', fields: [{ name: 'Name', type: 'text' }, { name: 'Email', type: 'email' }] });
  await api('POST', '/sheets/Contacts/fields', { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
  await api('POST', '/sheets', {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Company', type: 'text' },
      { name: 'Email', type: 'email' },
      { name: 'Status', type: 'single_select', options: { choices: [{ name: 'Qualified' }, { name: 'Converted' }] } },
    ],
  });
  await api('POST', '/sheets/Leads/fields', link('Account', 'Accounts'));
  await api('POST', '/sheets/Leads/fields', link('Contact', 'Contacts'));
  await api('POST', '/sheets/Accounts/records', { records: [{ fields: { Name: 'Globex' } }, { fields: { Name: 'Initech' } }] });
  await api('POST', '/sheets/Leads/conversions', {
    name: 'Convert lead',
    requires: { field: 'Status', value: 'Qualified' },
    mark: { field: 'Status', value: 'Converted' },
    targets: [
      { key: 'account', sheet: 'Accounts', fields: { Name: 'Company' }, match: 'Name' },
      { key: 'contact', sheet: 'Contacts', fields: { Name: 'Name', Email: 'Email' }, links: { Account: 'account' } },
    ],
    backLinks: { Account: 'account', Contact: 'contact' },
  });
}, 120_000);

afterAll(() => app?.close());

describe('lead conversion in Chromium', () => {
  it('converts a lead from its record page, linking to an existing account the user picks', async () => {
    const lead = await api('POST', '/sheets/Leads/records', { fields: { Name: 'Ann Lee', Company: 'Globex Corp', Email: 'ann@globex.example', Status: 'Qualified' } });
    await page.goto(`${base}/w/${ws}/s/Leads/r/${lead.id}`);
    await page.getByRole('button', { name: 'Convert lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert lead' });
    await dialog.getByLabel('Search Accounts').fill('Glob');
    await dialog.getByRole('option', { name: 'Globex' }).click();
    await dialog.getByRole('button', { name: 'Convert lead' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await api('GET', `/sheets/Leads/records/${lead.id}`)).fields.Status).toBe('Converted');
    const converted = await api('GET', `/sheets/Leads/records/${lead.id}`);
    expect(converted.fields.Account).toEqual([{ id: expect.any(String), title: 'Globex' }]);
    const contacts = await api('GET', '/sheets/Contacts/records');
    expect(contacts.records.map((r: { fields: Record<string, unknown> }) => r.fields)).toEqual([{ Name: 'Ann Lee', Email: 'ann@globex.example', Account: [converted.fields.Account[0]], Leads: [{ id: lead.id, title: 'Ann Lee' }] }]);
    expect((await api('GET', '/sheets/Accounts/records')).records).toHaveLength(2);
    // The page shows the lead as converted, linked to what it became.
    await page.getByRole('link', { name: 'Ann Lee' }).first().waitFor();
  });
});
