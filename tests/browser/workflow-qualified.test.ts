import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '../helpers/members.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { until } from '../helpers/until.js';
import { dayIn, zoneAwayFromUtc } from '../helpers/zones.js';
import { pageApi, screenshot, startBrowserApp, workflowIdOf, workflowStep, type BrowserApp } from './browser.js';

/**
 * Issue 14's scenario in Chromium, with the real job runner and a real SMTP server on loopback: in the editor, without
 * code, an admin builds "when a lead's Status becomes Qualified, create a follow-up activity due in 2 days and email
 * the owner"; qualifying a lead on its record page makes the activity (due two days after the workspace's today, in a
 * time zone whose day is not UTC's), mails the lead's owner and shows the run with its steps in the log.
 */
let smtp: TestSmtpServer;
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let leadsId: string;
let workflowId: string;
let lead: { id: string };
let activityUrl: string;
const zone = zoneAwayFromUtc();

const api = (method: 'get' | 'post' | 'patch', path: string, data?: unknown) => pageApi(page, base)(method, path, data);
const step = (index: number) => workflowStep(page, index);

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startBrowserApp(undefined, { jobs: true, smtpUrl: smtp.url, mailFrom: 'Acme CRM <crm@acme.test>' });
  ({ page, base } = app);
  ws = (await api('post', '/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Olivia Owner' })).workspace.id;
  await api('patch', `/api/w/${ws}/settings`, { timeZone: zone });
  const rita = await addMember(app.server, ws, 'rita@example.com', 'editor');
  leadsId = (
    await api('post', `/api/w/${ws}/sheets`, {
      name: 'Leads',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Status', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Contacted' }, { name: 'Qualified' }] } },
        { name: 'Owner', type: 'user', options: { owner: true } },
      ],
    })
  ).id;
  await api('post', `/api/w/${ws}/sheets`, {
    name: 'Activities',
    fields: [
      { name: 'Subject', type: 'text' },
      { name: 'Due date', type: 'date' },
      { name: 'Lead', type: 'link', options: { sheet: 'Leads', relationship: 'many_to_one', inverseName: 'Activities' } },
    ],
  });
  lead = await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Ada Lovelace', Status: 'Contacted', Owner: rita.userId } });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

describe('"a lead becomes Qualified" built in the editor, in Chromium', () => {
  it('builds the trigger with the rule builder, a follow-up due in 2 days and a mail to the owner with inserted values', async () => {
    await page.goto(`${base}/w/${ws}`);
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Qualified lead follow-up');

    // When a lead's Status changes, to Qualified from something else.
    const when = page.getByRole('group', { name: 'When' });
    await when.getByLabel('Trigger').selectOption('record_updated');
    await when.getByLabel('Sheet').selectOption('Leads');
    await when.getByRole('group', { name: /Only when one of these fields changes/ }).getByLabel('Status').check();
    await when.getByRole('button', { name: 'Add condition' }).click();
    const rows = when.locator('.filter-condition');
    await rows.nth(0).getByLabel('Field', { exact: true }).selectOption({ label: 'Status' });
    await rows.nth(0).getByLabel('Operator').selectOption({ label: '=' });
    await rows.nth(0).getByLabel('Value').selectOption('Qualified');
    await when.getByRole('button', { name: 'Add condition' }).click();
    await rows.nth(1).getByLabel('Field', { exact: true }).selectOption({ label: 'Status (before the update)' });
    await rows.nth(1).getByLabel('Operator').selectOption({ label: '≠' });
    await rows.nth(1).getByLabel('Value').selectOption('Qualified');

    // 1. A follow-up activity for the lead, due two days after the day it runs.
    await page.getByLabel('Add a step…').selectOption('create_record');
    await step(0).getByLabel('Sheet').selectOption('Activities');
    await step(0).getByLabel('Add a field…').selectOption('Subject');
    await step(0).getByLabel('Value for Subject').fill('Follow up with ');
    await step(0).getByLabel('Insert a value into Subject').selectOption({ label: 'Name' });
    await step(0).getByLabel('Add a field…').selectOption('Due date');
    await step(0).getByLabel('How Due date is set').selectOption({ label: 'Days after the day it runs' });
    await step(0).getByLabel('Days after the day it runs for Due date').fill('2');
    await step(0).getByLabel('Add a field…').selectOption('Lead');
    await step(0).getByLabel('Insert a value into Lead').selectOption({ label: 'Record id' });
    expect(await step(0).getByLabel('Value for Subject').inputValue()).toBe('Follow up with {{record.Name}}');

    // 2. A mail to the lead's owner; the subject and body hold inserted values, typed text around them.
    await page.getByLabel('Add a step…').selectOption('send_email');
    await step(1).getByLabel('Insert a value into To').selectOption({ label: 'Owner: email' });
    await step(1).getByLabel('Subject', { exact: true }).fill('Qualified: ');
    await step(1).getByLabel('Insert a value into Subject').selectOption({ label: 'Name' });
    const body = step(1).getByLabel('Body', { exact: true });
    await body.fill('Hello ,\n\nThe lead is qualified; a follow-up is booked for ');
    // Inserted where the caret is: after "Hello ", then at the end.
    await body.evaluate((el: HTMLTextAreaElement) => {
      el.focus();
      el.setSelectionRange(6, 6);
    });
    await step(1).getByLabel('Insert a value into Body').selectOption({ label: 'Owner: name' });
    await body.press('Control+End');
    await step(1).getByLabel('Insert a value into Body').selectOption({ label: '1. Create a record: Due date' });
    await body.press('End');
    await body.pressSequentially('.');
    expect(await body.inputValue()).toBe('Hello {{record.Owner.name}},\n\nThe lead is qualified; a follow-up is booked for {{steps.0.record.[Due date]}}.');
    await screenshot(page, 'workflow-qualified-editor-1280-en');

    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByText('Version 1', { exact: true }).first().waitFor();
    workflowId = await until('the editor at the new workflow', async () => workflowIdOf(page.url()));
    const saved = await api('get', `/api/w/${ws}/workflows/${workflowId}`);
    expect(saved).toMatchObject({
      name: 'Qualified lead follow-up',
      enabled: true,
      trigger: {
        type: 'record_updated',
        sheet: 'Leads',
        fields: ['Status'],
        condition: { and: [{ '==': [{ var: 'Status' }, 'Qualified'] }, { '!=': [{ var: '$old.Status' }, 'Qualified'] }] },
      },
      steps: [
        { type: 'create_record', sheet: 'Activities', fields: { Subject: 'Follow up with {{record.Name}}', 'Due date': '{{addDays today 2}}', Lead: '{{record.id}}' } },
        { type: 'send_email', to: ['{{record.Owner.email}}'], subject: 'Qualified: {{record.Name}}' },
      ],
    });

    // Opened again, the editor shows what was saved: the conditions on their fields, the date as days.
    await page.reload();
    const reloaded = page.getByRole('group', { name: 'When' }).locator('.filter-condition');
    await reloaded.first().waitFor();
    expect(await reloaded.nth(0).getByLabel('Field', { exact: true }).evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text)).toBe('Status');
    expect(await reloaded.nth(1).getByLabel('Field', { exact: true }).evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.text)).toBe('Status (before the update)');
    expect(await reloaded.nth(1).getByLabel('Value').inputValue()).toBe('Qualified');
    expect(await step(0).getByLabel('Days after the day it runs for Due date').inputValue()).toBe('2');
  });

  it('qualifying the lead on its record page books the activity, mails the owner and logs the run', async () => {
    await page.goto(`${base}/w/${ws}/s/${leadsId}/r/${lead.id}`);
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    await page.getByLabel('Status').selectOption('Qualified');
    await page.getByRole('button', { name: 'Save' }).click();

    // The mail, through SMTP, to the owner of the lead (not the admin who qualified it).
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope).toEqual({ from: 'crm@acme.test', to: ['rita@example.com'] });
    expect(mail!.mail.subject).toBe('Qualified: Ada Lovelace');

    // The run in the log: succeeded, its two steps with what they did.
    await page.goto(`${base}/w/${ws}/workflows`);
    await page.getByRole('link', { name: 'Qualified lead follow-up' }).click();
    const log = page.getByRole('region', { name: 'Run log' });
    const run = log.locator('[data-run][data-status="succeeded"]');
    await until('the run to show as succeeded', async () => {
      await log.getByRole('button', { name: 'Refresh' }).click();
      return (await run.count()) === 1;
    });
    expect(await run.textContent()).toContain(`record ${lead.id}`);
    await run.getByRole('button', { expanded: false }).click();
    const created = run.locator('li', { hasText: '1. Create a record' });
    await created.getByText('Succeeded').waitFor();
    await run.locator('li', { hasText: '2. Send an email' }).getByText('Succeeded').waitFor();
    expect(await run.locator('li', { hasText: '2. Send an email' }).textContent()).toContain('rita@example.com');
    await screenshot(page, 'workflow-qualified-runlog-1280-en');
    const runs = await api('get', `/api/w/${ws}/workflows/${workflowId}/runs`);
    const ranAt = new Date(runs.runs[0].steps[0].finishedAt);
    const due = dayIn(zone, 2, ranAt);
    expect(await created.textContent()).toContain(due);
    expect(mail!.mail.text).toContain(`Hello rita,\n\nThe lead is qualified; a follow-up is booked for ${due}.`);

    // The activity, from the lead's page: linked to it, due two days after the workspace's today.
    await page.goto(`${base}/w/${ws}/s/${leadsId}/r/${lead.id}`);
    const activities = page.locator('.form-row', { has: page.locator('label', { hasText: 'Activities' }) });
    await activities.getByRole('link', { name: 'Follow up with Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Follow up with Ada Lovelace' }).waitFor();
    expect(await page.getByLabel('Due date').inputValue()).toBe(due);
    // Its history says the workflow made it, acting for the admin who qualified the lead.
    await expect.poll(() => page.locator('.timeline').innerText()).toContain('Workflow: Qualified lead follow-up created this record (acting for Olivia Owner)');
    activityUrl = page.url();
    await screenshot(page, 'workflow-qualified-activity-1280-en');
  });

  it('looks right at 1280 and 390 px in English and Chinese', async () => {
    for (const locale of ['en', 'zh-TW'] as const) {
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${base}/w/${ws}/workflows/${workflowId}`);
        await page.locator('[data-step="steps.1"]').waitFor();
        await page.locator('[data-run]').first().waitFor();
        await screenshot(page, `workflow-qualified-editor-${width}-${locale}`);
        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
      await page.goto(activityUrl);
      await page.locator('.timeline li').first().waitFor();
      expect(await page.locator('.timeline').innerText()).toContain(locale === 'en' ? 'Workflow: Qualified lead follow-up' : '工作流程：Qualified lead follow-up');
      await screenshot(page, `workflow-qualified-activity-390-${locale}`);
    }
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
