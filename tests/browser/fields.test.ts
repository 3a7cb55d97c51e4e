import { joinWorkspace } from '../helpers/members.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../schema-engine/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let memberId: string;
let contactId: string;

const api = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown): Promise<T> => {
  const res = await page.request.fetch(`${base}/api/w/${ws}${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json() as Promise<T>;
};
const headers = async () => (await page.getByRole('columnheader').allInnerTexts()).map((h) => h.replace(/[▾▲▼+\s]+$/g, '').trim()).filter(Boolean);
const fieldRow = (label: string) => page.locator('.form-row', { has: page.locator('label', { hasText: label }) });

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Owner' } });
  ws = (await setup.json()).workspace.id;
  memberId = newId('usr');
  await app.server.db.insertInto('users').values({ id: memberId, email: 'mia@example.com', name: 'Mia', password_hash: await hashPassword('mia password') }).execute();
  await joinWorkspace(app.server.db, ws, memberId, 'editor');
  await api('POST', '/sheets', { name: 'Events', fields: [{ name: 'Title', type: 'text' }, { name: 'Day', type: 'date' }] });
  await api('POST', '/sheets', {
    name: 'Contacts',
    fields: [
      { name: 'Name', type: 'text', required: true },
      { name: 'Owner', type: 'user' },
      { name: 'Files', type: 'attachment' },
      { name: 'Email', type: 'email' },
      { name: 'Phone', type: 'phone' },
      { name: 'Events', type: 'link', options: { sheet: 'Events', relationship: 'many_to_many', inverseName: 'Attendees' } },
    ],
  });
}, 120_000);

afterAll(() => app?.close());

describe('field controls in Chromium', () => {
  it('picks a workspace member and uploads files through the form, and shows both after a reload', async () => {
    await page.goto(`${base}/w/${ws}/s/Contacts/new`);
    await page.getByLabel('Name').fill('Ann');
    const owner = page.getByLabel('Owner');
    await owner.click();
    await expect.poll(() => page.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual(['Mia (mia@example.com)', 'Owner (owner@example.com)']);
    await page.getByRole('option', { name: 'Mia (mia@example.com)' }).click();
    const files = fieldRow('Files');
    await files.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('call back on Monday') });
    await files.getByRole('link', { name: /notes\.txt/ }).waitFor();
    await files.locator('input[type=file]').setInputFiles({ name: '價目表 2026.csv', mimeType: 'text/csv', buffer: Buffer.from('item,price\nwidget,10\n') });
    await files.getByRole('link', { name: /價目表 2026\.csv/ }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Ann' }).waitFor();
    contactId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await api<{ fields: { Owner: unknown; Files: { name: string; mimeType: string; url: string }[] } }>('GET', `/sheets/Contacts/records/${contactId}`);
    expect(stored.fields.Owner).toEqual({ id: memberId, name: 'Mia', email: 'mia@example.com' });
    // The types the server decided (a CSV is downloaded), not those the browser sent.
    expect(stored.fields.Files.map((f) => [f.name, f.mimeType])).toEqual([['notes.txt', 'text/plain'], ['價目表 2026.csv', 'application/octet-stream']]);

    await page.reload();
    await expect.poll(() => page.getByLabel('Owner').inputValue()).toBe('Mia');
    const links = fieldRow('Files').getByRole('link');
    await expect.poll(() => links.allInnerTexts()).toEqual(['📎 notes.txt', '📎 價目表 2026.csv']);
    await screenshot(page, 'user-and-files');
    // The chips lead to the stored files: text shown in the browser, a CSV downloaded under its own name.
    const [text, csv] = await Promise.all([0, 1].map(async (i) => page.request.get(new URL((await links.nth(i).getAttribute('href'))!, base).toString())));
    expect(text!.headers()['content-type']).toBe('text/plain; charset=utf-8');
    expect(text!.headers()['content-security-policy']).toMatch(/^sandbox/);
    expect(text!.headers()['content-disposition']).toBe('inline; filename=notes.txt');
    expect(await text!.text()).toBe('call back on Monday');
    expect(csv!.headers()['content-type']).toBe('application/octet-stream');
    expect(csv!.headers()['content-disposition']).toBe(`attachment; filename="___ 2026.csv"; filename*=UTF-8''${encodeURIComponent('價目表 2026.csv')}`);
    expect(await csv!.text()).toBe('item,price\nwidget,10\n');

    // The grid shows the member and the files too; removing a file in the form saves without it.
    await page.getByRole('button', { name: 'Remove notes.txt' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api<{ fields: { Files: { name: string }[] } }>('GET', `/sheets/Contacts/records/${contactId}`)).fields.Files.map((f) => f.name)).toEqual(['價目表 2026.csv']);
    await page.goto(`${base}/w/${ws}/s/Contacts`);
    await expect.poll(() => page.locator('[role=gridcell][data-field="Owner"]').first().innerText()).toBe('Mia');
    await expect.poll(() => page.locator('[role=gridcell][data-field="Files"]').first().innerText()).toBe('📎 價目表 2026.csv');
  });

  it('reorders grid columns by dragging headers with the mouse and the keyboard, resizes them, and keeps both in the view', async () => {
    const view = await api<{ id: string }>('POST', '/sheets/Contacts/views', { name: 'Team' });
    await page.goto(`${base}/w/${ws}/s/Contacts?view=${view.id}`);
    await expect.poll(headers).toEqual(['Name', 'Owner', 'Files', 'Email', 'Phone', 'Events']);
    const header = (name: string) => page.locator(`[role=columnheader][data-field="${name}"]`);
    // Mouse: Phone dragged onto Owner takes its place.
    const from = (await header('Phone').boundingBox())!;
    const to = (await header('Owner').boundingBox())!;
    await page.mouse.move(from.x + 30, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y + from.height / 2, { steps: 4 });
    await page.mouse.move(to.x + 20, to.y + to.height / 2, { steps: 12 });
    await expect.poll(() => header('Owner').getAttribute('class')).toContain('drop-before');
    await screenshot(page, 'column-drag', false);
    await page.mouse.up();
    await expect.poll(headers).toEqual(['Name', 'Phone', 'Owner', 'Files', 'Email', 'Events']);
    // The drag did not sort by the dragged column.
    expect(new URL(page.url()).searchParams.get('sort')).toBeNull();
    // Keyboard: Space on Email's grip, two columns to the left, Space.
    // Each key waits for what the last one did: a press before the drag has started is lost on a loaded machine.
    await page.getByRole('button', { name: 'Move column Email' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => header('Email').getAttribute('class')).toContain('dragging');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => header('Files').getAttribute('class')).toContain('drop-before');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => header('Owner').getAttribute('class')).toContain('drop-before');
    await page.keyboard.press('Space');
    await expect.poll(headers).toEqual(['Name', 'Phone', 'Email', 'Owner', 'Files', 'Events']);
    // Resizing by the edge widens the column and moves nothing.
    const owner = (await header('Owner').boundingBox())!;
    await page.mouse.move(owner.x + owner.width - 3, owner.y + owner.height / 2);
    await page.mouse.down();
    await page.mouse.move(owner.x + owner.width + 80, owner.y + owner.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await header('Owner').boundingBox())!.width)).toBe(Math.round(owner.width + 83));
    await expect.poll(headers).toEqual(['Name', 'Phone', 'Email', 'Owner', 'Files', 'Events']);

    const fieldIds = Object.fromEntries(((await api<{ fields: { id: string; name: string }[] }>('GET', '/sheets/Contacts')).fields).map((f) => [f.name, f.id]));
    await expect
      .poll(async () => (await api<{ config: { fieldOrder?: string[]; fieldWidths?: Record<string, number> } }[]>('GET', '/sheets/Contacts/views'))[0]!.config)
      .toMatchObject({ fieldOrder: ['Name', 'Phone', 'Email', 'Owner', 'Files', 'Events'].map((n) => fieldIds[n]), fieldWidths: { [fieldIds.Owner!]: Math.round(owner.width + 83) } });
    await page.reload();
    await expect.poll(headers).toEqual(['Name', 'Phone', 'Email', 'Owner', 'Files', 'Events']);
    expect(Math.round((await header('Owner').boundingBox())!.width)).toBe(Math.round(owner.width + 83));
  });

  it('shows a many-to-many link as chips that open the linked records, and as a related list to link and unlink', async () => {
    const kickoff = await api<{ id: string }>('POST', '/sheets/Events/records', { fields: { Title: 'Kickoff', Day: '2026-03-02' } });
    const workshop = await api<{ id: string }>('POST', '/sheets/Events/records', { fields: { Title: 'Workshop', Day: '2026-03-09' } });
    await api('POST', '/sheets/Events/records', { fields: { Title: 'Workshop dinner', Day: '2026-03-09' } });
    await api('PATCH', `/sheets/Contacts/records/${contactId}`, { fields: { Events: [kickoff.id, workshop.id] } });

    // Grid: the chips open the event.
    await page.goto(`${base}/w/${ws}/s/Contacts`);
    const cell = page.locator('[role=gridcell][data-field="Events"]').first();
    await expect.poll(() => cell.getByRole('button').allInnerTexts()).toEqual(['Kickoff', 'Workshop']);
    await cell.getByRole('button', { name: 'Workshop' }).click();
    await page.waitForURL(new RegExp(`/r/${workshop.id}$`));
    // The event's page lists its attendees as chips leading back.
    await fieldRow('Attendees').getByRole('link', { name: 'Ann' }).click();
    await page.waitForURL(new RegExp(`/r/${contactId}$`));
    await page.getByRole('heading', { name: 'Ann' }).waitFor();

    // A designed form shows the events as a related list.
    const layout = {
      tabs: [{ id: 't', title: 'Contact', sections: [{ id: 's', rows: [{ id: 'r1', columns: [{ id: 'c1', elements: [{ kind: 'field', id: 'n', field: 'Name' }] }] }, { id: 'r2', columns: [{ id: 'c2', elements: [{ kind: 'related', id: 'ev', field: 'Events' }] }] }] }] }],
    };
    const form = await api<{ id: string }>('POST', '/sheets/Contacts/forms', { name: 'Contact', layout });
    await api('POST', `/sheets/Contacts/forms/${form.id}/publish`, {});
    await page.reload();
    const table = page.getByRole('table', { name: 'Events' });
    const titles = () => table.locator('.open-cell a').evaluateAll((links) => links.map((a) => a.getAttribute('title')));
    await expect.poll(titles).toEqual(['Kickoff', 'Workshop']);
    await expect.poll(() => table.locator('tbody tr').first().locator('input[type=date]').inputValue()).toBe('2026-03-02');
    await screenshot(page, 'many-to-many-related');
    // Unlinking keeps the event; linking an existing one from the search adds it back.
    await table.getByRole('button', { name: 'Unlink Workshop' }).click();
    await expect.poll(titles).toEqual(['Kickoff']);
    const events = async () => (await api<{ fields: { Events?: { title: string }[] } }>('GET', `/sheets/Contacts/records/${contactId}`)).fields.Events?.map((e) => e.title);
    await expect.poll(events).toEqual(['Kickoff']);
    expect((await api<{ fields: { Title: string } }>('GET', `/sheets/Events/records/${workshop.id}`)).fields.Title).toBe('Workshop');
    await page.getByLabel('Search Events').fill('Workshop');
    await page.getByRole('option', { name: 'Workshop dinner' }).click();
    await expect.poll(titles).toEqual(['Kickoff', 'Workshop dinner']);
    await expect.poll(events).toEqual(['Kickoff', 'Workshop dinner']);
    // A row opens its record.
    await table.getByRole('link', { name: 'Open Kickoff' }).click();
    await page.waitForURL(new RegExp(`/r/${kickoff.id}$`));
  });
});
