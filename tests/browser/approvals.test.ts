import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '../helpers/members.js';
import type { Client } from '../helpers/server.js';
import { until } from '../helpers/until.js';
import { screenshot as save, startBrowserApp, type BrowserApp } from './browser.js';

// The Full CRM's discount approval seen by the Sales manager in Chromium: the badge, the list, a decision with a
// comment, the same on the record page, and the bell; the workspace's time zone in settings.
let app: BrowserApp;
let base: string;
let ws: string;
let owner: Client;
let rep: { client: Client; userId: string };
let manager: { client: Client; userId: string };
let context: BrowserContext;
let page: Page;

const quotes = (path = '') => `/api/w/${ws}/sheets/Quotes/records${path}`;

async function screenshot(target: Page, name: string): Promise<void> {
  await target.evaluate(() => window.scrollTo(0, 0));
  await save(target, name);
}

/** A quote the rep sends with a discount above 20 %, and the approval it waits for. */
async function quoteWaitingForApproval(title: string): Promise<{ id: string; approvalId: string }> {
  const created = await rep.client.post(quotes(), { fields: { Title: title, 'Quote date': '2026-12-01', Discount: 0.25, Status: 'Sent' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const approval = await until('the approval to be asked', async () =>
    ((await manager.client.get('/api/me/approvals')).body as { id: string; recordId: string }[]).find((a) => a.recordId === created.body.id),
  );
  return { id: created.body.id, approvalId: approval.id };
}

beforeAll(async () => {
  app = await startBrowserApp({ width: 1280, height: 800 }, { jobs: true });
  base = app.base;
  ({ client: owner, workspaceId: ws } = await app.server.setup());
  expect((await owner.post(`/api/w/${ws}/templates/full-crm/install`, { language: 'en', sampleData: false })).status).toBe(201);
  manager = await addMember(app.server, ws, 'manager@example.com', 'editor');
  rep = await addMember(app.server, ws, 'rep@example.com', 'editor');
  expect((await owner.patch(`/api/w/${ws}/members/${manager.userId}`, { role: 'Sales manager' })).status).toBe(200);
  expect((await owner.patch(`/api/w/${ws}/members/${rep.userId}`, { role: 'Sales rep' })).status).toBe(200);
  // The manager reads the team's quotes: the rep and the manager are of one team.
  const team = await owner.post(`/api/w/${ws}/teams`, { name: 'Sales', manager: manager.userId });
  expect(team.status).toBe(201);
  for (const member of [rep, manager]) expect((await owner.patch(`/api/w/${ws}/members/${member.userId}`, { teams: [team.body.id] })).status).toBe(200);
  context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill('manager@example.com');
  await page.getByLabel('Password').fill('member password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Account settings' }).waitFor();
}, 180_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
});

describe('approvals in Chromium', () => {
  it('shows the manager a badge, the list, and takes an approval with a comment', async () => {
    const quote = await quoteWaitingForApproval('Big deal');
    await page.goto(`${base}/w/${ws}`);
    const badge = page.getByRole('link', { name: 'Approvals: 1 waiting for you' });
    await badge.waitFor();
    expect(await page.getByTestId('approvals-count').textContent()).toBe('1');
    await badge.click();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/approvals');
    const card = page.getByRole('article', { name: 'Discount above 20 % needs approval: Q-000001' });
    await card.getByText('Big deal is to be sent with a 25% discount').waitFor();
    await card.getByRole('link', { name: 'Open the record' }).waitFor();
    await card.getByLabel('Comment (optional)').fill('Fine for this client');
    await screenshot(page, 'approvals-list-en-1280');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing is waiting for your approval.').waitFor();
    await until('the approval to be decided', async () => ((await manager.client.get('/api/me/approvals')).body as unknown[]).length === 0);
    const approved = await until('the run to go on', async () => {
      const notes = (await rep.client.get('/api/me/notifications')).body as { message: string }[];
      return notes.find((n) => n.message.includes('was approved'));
    });
    expect(approved.message).toBe('The discount of Q-000001 was approved: the quote can go out.');
    const decided = await app.server.db.selectFrom('approvals').select(['status', 'comment', 'decided_by']).where('record_id', '=', quote.id).executeTakeFirstOrThrow();
    expect(decided).toEqual({ status: 'approved', comment: 'Fine for this client', decided_by: manager.userId });
    expect(await page.getByTestId('approvals-count').count()).toBe(0);
  });

  it('decides on the record page, and the bell lists the request', async () => {
    const quote = await quoteWaitingForApproval('Generous');
    const sheetId = (await owner.get(`/api/w/${ws}/sheets/Quotes`)).body.id as string;
    await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${quote.id}`);
    const waiting = page.getByRole('region', { name: 'Waiting for your approval' });
    await waiting.getByText('Generous is to be sent with a 25% discount').waitFor();
    await screenshot(page, 'approvals-record-en-1280');

    // The bell: unread requests counted, listed with a link to the record, marked read once opened.
    const bell = page.getByRole('button', { name: /^Notifications: \d+ unread$/ });
    await bell.waitFor();
    expect(Number(await page.getByTestId('bell-count').textContent())).toBeGreaterThanOrEqual(2);
    await bell.click();
    const menu = page.getByRole('menu', { name: 'Notifications' });
    await menu.getByText('Discount above 20 % needs approval: Q-000002: Generous is to be sent with a 25% discount').waitFor();
    await screenshot(page, 'approvals-bell-en-1280');
    await until('the notifications to be read', async () => ((await manager.client.get('/api/me/notifications?unread=true')).body as unknown[]).length === 0);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();

    await waiting.getByLabel('Comment (optional)').fill('Keep it at 20 %.');
    await waiting.getByRole('button', { name: 'Reject' }).click();
    await waiting.waitFor({ state: 'detached' });
    const record = await until('the rejection steps', async () => {
      const body = (await owner.get(quotes(`/${quote.id}`))).body;
      return body.fields.Status === 'Draft' && body;
    });
    expect(record.fields).toMatchObject({ Status: 'Draft', Discount: 0.25 });
  });

  it('looks right in Traditional Chinese and on a phone', async () => {
    const quote = await quoteWaitingForApproval('Phone deal');
    const sheetId = (await owner.get(`/api/w/${ws}/sheets/Quotes`)).body.id as string;
    await page.goto(`${base}/approvals`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-TW');
    await page.getByRole('heading', { name: '待核准', level: 1 }).waitFor();
    await page.getByRole('button', { name: '核准' }).first().waitFor();
    await screenshot(page, 'approvals-list-zh-1280');
    await page.getByRole('button', { name: /^通知/ }).click();
    await page.getByRole('menu', { name: '通知' }).waitFor();
    await screenshot(page, 'approvals-bell-zh-1280');
    await page.keyboard.press('Escape');
    await page.goto(`${base}/settings`);
    await page.getByRole('heading', { name: '工作區' }).waitFor();
    await screenshot(page, 'approvals-settings-zh-1280');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/w/${ws}/s/${sheetId}/r/${quote.id}`);
    await page.getByRole('region', { name: '等待您核准' }).waitFor();
    await screenshot(page, 'approvals-record-zh-390');
    await page.goto(`${base}/approvals`);
    await page.getByRole('button', { name: '核准' }).first().waitFor();
    await screenshot(page, 'approvals-list-zh-390');
    await page.getByRole('combobox', { name: '語言' }).selectOption('en');
    await page.getByRole('button', { name: 'Approve' }).first().waitFor();
    await screenshot(page, 'approvals-list-en-390');
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await page.getByRole('menu', { name: 'Notifications' }).waitFor();
    await screenshot(page, 'approvals-bell-en-390');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lets the owner set the workspace\'s name and time zone in settings', async () => {
    const ownerContext = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const ownerPage = await ownerContext.newPage();
      ownerPage.setDefaultTimeout(10_000);
      await ownerPage.goto(`${base}/login`);
      await ownerPage.getByLabel('Email').fill('owner@example.com');
      await ownerPage.getByLabel('Password').fill('correct horse');
      await ownerPage.getByRole('button', { name: 'Sign in' }).click();
      await ownerPage.getByRole('link', { name: 'Account settings' }).click();
      const section = ownerPage.getByRole('region', { name: 'Workspace' });
      await section.getByLabel('Time zone').selectOption('Asia/Taipei');
      await section.getByLabel('Name').fill('Acme sales');
      await section.getByRole('button', { name: 'Save' }).click();
      await section.getByText('Saved.').waitFor();
      await screenshot(ownerPage, 'approvals-settings-en-1280');
      expect((await owner.get(`/api/w/${ws}/settings`)).body).toMatchObject({ name: 'Acme sales', timeZone: 'Asia/Taipei' });
      await ownerPage.setViewportSize({ width: 390, height: 844 });
      await screenshot(ownerPage, 'approvals-settings-en-390');
    } finally {
      await ownerContext.close();
    }
  });

  it('shows the rep the server\'s refusal when a field is locked by a pending approval', async () => {
    const quote = await quoteWaitingForApproval('Locked deal');
    const sheetId = (await owner.get(`/api/w/${ws}/sheets/Quotes`)).body.id as string;
    const repContext = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const repPage = await repContext.newPage();
      repPage.setDefaultTimeout(10_000);
      await repPage.goto(`${base}/login`);
      await repPage.getByLabel('Email').fill('rep@example.com');
      await repPage.getByLabel('Password').fill('member password');
      await repPage.getByRole('button', { name: 'Sign in' }).click();
      await repPage.getByRole('link', { name: 'Account settings' }).waitFor();
      await repPage.goto(`${base}/w/${ws}/s/${sheetId}/r/${quote.id}`);
      // Not an approver: no decision controls here.
      await repPage.getByLabel('Status').selectOption('Draft');
      await repPage.getByRole('button', { name: 'Save' }).click();
      await repPage.getByText('is locked while "Discount above 20 % needs approval: Q-000004" waits for approval').first().waitFor();
      expect(await repPage.getByRole('region', { name: 'Waiting for your approval' }).count()).toBe(0);
      await screenshot(repPage, 'approvals-locked-en-1280');
      expect((await owner.get(quotes(`/${quote.id}`))).body.fields.Status).toBe('Sent');
    } finally {
      await repContext.close();
    }
  });
});
