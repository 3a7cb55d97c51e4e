import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import path from 'node:path';
import { pageApi, screenshot, SCREENSHOTS, startBrowserApp, workflowIdOf, workflowStep, type BrowserApp } from './browser.js';

/**
 * Issue 14 in Chromium, with the real job runner: an admin builds "when a lead is created, create an activity and
 * notify me" in the editor without code, a new lead runs it (seen succeed in the run log, the activity made); a bad
 * step shows the server's 400 by that step; a button workflow made in the editor appears on the record page and
 * pressing it runs it.
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let leadsId: string;
let activitiesId: string;
let followUpId: string;

const api = (method: 'get' | 'post' | 'patch', path: string, data?: unknown) => pageApi(page, base)(method, path, data);
const step = (index: number) => workflowStep(page, index);

beforeAll(async () => {
  app = await startBrowserApp(undefined, { jobs: true });
  ({ page, base } = app);
  ws = (await api('post', '/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Olivia Owner' })).workspace.id;
  leadsId = (
    await api('post', `/api/w/${ws}/sheets`, {
      name: 'Leads',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Status', type: 'text' },
      ],
    })
  ).id;
  activitiesId = (await api('post', `/api/w/${ws}/sheets`, { name: 'Activities', fields: [{ name: 'Subject', type: 'text' }] })).id;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('workflows in Chromium', () => {
  it('builds "when a lead is created, create an activity and notify" in the editor and saves version 1', async () => {
    await page.goto(`${base}/w/${ws}`);
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    await page.getByText('No workflows yet').waitFor();
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Lead follow-up');
    const when = page.getByRole('group', { name: 'When' });
    await when.getByLabel('Trigger').selectOption('record_created');
    await when.getByLabel('Sheet').selectOption('Leads');

    await page.getByLabel('Add a step…').selectOption('create_record');
    await step(0).getByLabel('Sheet').selectOption('Activities');
    await step(0).getByLabel('Add a field…').selectOption('Subject');
    await step(0).getByLabel('Value for Subject').fill('Call {{record.Name}}');

    await page.getByLabel('Add a step…').selectOption('notify');
    await step(1).getByLabel('Add a person or role…').selectOption({ label: 'Olivia Owner (owner@example.com)' });
    await step(1).getByLabel('Message', { exact: true }).fill('New lead: {{record.Name}}');
    await screenshot(page, 'workflows-editor-1280-en');

    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByText('Version 1', { exact: true }).first().waitFor();
    await until('the editor at the new workflow', async () => workflowIdOf(page.url()));
    followUpId = workflowIdOf(page.url())!;
    const saved = await api('get', `/api/w/${ws}/workflows/${followUpId}`);
    expect(saved).toMatchObject({
      name: 'Lead follow-up',
      enabled: true,
      version: 1,
      trigger: { type: 'record_created', sheet: 'Leads' },
      steps: [
        { type: 'create_record', sheet: 'Activities', fields: { Subject: 'Call {{record.Name}}' } },
        { type: 'notify', message: 'New lead: {{record.Name}}' },
      ],
    });
  });

  it('runs when a lead is created: the run log shows it succeed, the activity and the notification are made', async () => {
    const lead = await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Ada' } });
    const runs = page.getByRole('region', { name: 'Run log' });
    const run = runs.locator('[data-run][data-status="succeeded"]');
    await until('the run to show as succeeded', async () => {
      await runs.getByRole('button', { name: 'Refresh' }).click();
      return (await run.count()) === 1;
    });
    await expect(run.getByText('Succeeded').first().isVisible()).resolves.toBe(true);
    expect(await run.textContent()).toContain(`record ${lead.id}`);
    await run.getByRole('button', { expanded: false }).click();
    await run.getByText('1. Create a record').waitFor();
    await run.getByText('2. Notify people').waitFor();
    await screenshot(page, 'workflows-runlog-1280-en');
    const activities = await api('get', `/api/w/${ws}/sheets/${activitiesId}/records`);
    expect(activities.records.map((r: { fields: { Subject: string } }) => r.fields.Subject)).toEqual(['Call Ada']);
    const notes = await api('get', '/api/me/notifications');
    expect(notes.map((n: { message: string }) => n.message)).toContain('New lead: Ada');
  });

  it('shows what the steps would do on a chosen record (Test), doing nothing', async () => {
    await page.reload();
    const test = page.getByRole('region', { name: 'Test' });
    await test.getByLabel('Pick a record…').selectOption({ index: 1 });
    await test.getByRole('button', { name: 'Test' }).click();
    await test.getByText('1. Create a record').waitFor();
    expect(await test.getByText('Would run').count()).toBe(2);
    expect(await test.textContent()).toContain('Call Ada');
    const activities = await api('get', `/api/w/${ws}/sheets/${activitiesId}/records`);
    expect(activities.records).toHaveLength(1);
  });

  it("shows the server's message for a bad step next to that step, and saves version 2 once it is fixed", async () => {
    await page.getByLabel('Add a step…').selectOption('webhook');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    const message = step(2).locator('.wf-error');
    await message.waitFor();
    expect(await message.textContent()).toBe('must not be empty');
    expect(await message.getAttribute('data-path')).toBe('steps.2.url');
    expect(await step(0).locator('.wf-error').count()).toBe(0);
    expect((await api('get', `/api/w/${ws}/workflows/${followUpId}`)).version).toBe(1);
    await screenshot(page, 'workflows-error-1280-en');
    await step(2).getByRole('button', { name: 'Remove' }).click();
    await step(1).getByRole('button', { name: 'Move up' }).click();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByText('Version 2', { exact: true }).first().waitFor();
    const saved = await api('get', `/api/w/${ws}/workflows/${followUpId}`);
    expect(saved.steps.map((s: { type: string }) => s.type)).toEqual(['notify', 'create_record']);
  });

  it('puts a button workflow on the record page; pressing it starts a run that changes the record', async () => {
    await page.goto(`${base}/w/${ws}/workflows/new`);
    await page.getByLabel('Name', { exact: true }).fill('Mark called');
    const when = page.getByRole('group', { name: 'When' });
    await when.getByLabel('Trigger').selectOption('button');
    await when.getByLabel('Sheet').selectOption('Leads');
    await when.getByLabel('Button label').fill('Mark called');
    await page.getByLabel('Add a step…').selectOption('update_record');
    await step(0).getByLabel('Add a field…').selectOption('Status');
    await step(0).getByLabel('Value for Status').fill('Called by {{user.name}}');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByText('Version 1', { exact: true }).first().waitFor();
    const buttonId = await until('the new workflow id', async () => workflowIdOf(page.url()));

    const lead = await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Bea' } });
    await page.goto(`${base}/w/${ws}/s/${leadsId}/r/${lead.id}`);
    const button = page.getByRole('button', { name: 'Mark called' });
    await button.click();
    await page.getByText('"Mark called" started').waitFor();
    await screenshot(page, 'workflows-record-button-1280-en');
    await until('the button run to change the lead', async () => (await api('get', `/api/w/${ws}/sheets/${leadsId}/records/${lead.id}`)).fields.Status === 'Called by Olivia Owner');
    const runs = await api('get', `/api/w/${ws}/workflows/${buttonId}/runs`);
    expect(runs.runs).toHaveLength(1);
    expect(runs.runs[0]).toMatchObject({ status: 'succeeded', recordId: lead.id });

    // Turned off in the list, the button leaves the record page.
    await page.goto(`${base}/w/${ws}/workflows`);
    await page.getByRole('switch', { name: 'Mark called on' }).uncheck();
    await until('the workflow off', async () => (await api('get', `/api/w/${ws}/workflows/${buttonId}`)).enabled === false);
    await page.goto(`${base}/w/${ws}/s/${leadsId}/r/${lead.id}`);
    await page.getByRole('heading', { name: 'Bea' }).waitFor();
    expect(await page.getByRole('button', { name: 'Mark called' }).count()).toBe(0);
  });

  it('cancels a waiting run and retries it from the run log', async () => {
    const wf = await api('post', `/api/w/${ws}/workflows`, {
      name: 'Slow nudge',
      trigger: { type: 'button', sheet: 'Leads', label: 'Nudge' },
      steps: [{ type: 'wait', days: 1 }, { type: 'notify', users: ['owner@example.com'], message: 'Nudge {{record.Name}}' }],
    });
    const lead = await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Cy' } });
    const { runId } = await api('post', `/api/w/${ws}/sheets/${leadsId}/records/${lead.id}/buttons/${wf.id}`, {});
    await until('the run to wait', async () => (await api('get', `/api/w/${ws}/runs/${runId}`)).status === 'waiting');
    await page.goto(`${base}/w/${ws}/workflows/${wf.id}`);
    const run = page.locator(`[data-run="${runId}"]`);
    await run.getByText('Waiting').first().waitFor();
    await run.getByRole('button', { name: 'Cancel run' }).click();
    await page.locator(`[data-run="${runId}"][data-status="cancelled"]`).waitFor();
    expect((await api('get', `/api/w/${ws}/runs/${runId}`)).status).toBe('cancelled');
    const runs = page.getByRole('region', { name: 'Run log' });
    await runs.getByLabel('Status').selectOption('cancelled');
    await runs.locator('[data-run]').first().waitFor();
    expect(await runs.locator('[data-run]').count()).toBe(1);
    await run.getByRole('button', { name: 'Retry' }).click();
    await until('the run to wait again', async () => (await api('get', `/api/w/${ws}/runs/${runId}`)).status === 'waiting');
    await runs.getByLabel('Status').selectOption('');
    await page.locator(`[data-run="${runId}"][data-status="waiting"]`).waitFor();
    await page.locator(`[data-run="${runId}"]`).getByRole('button', { expanded: false }).click();
    await page.locator(`[data-run="${runId}"]`).getByText('1. Wait').waitFor();
    await screenshot(page, 'workflows-runlog-waiting-1280-en');
  });

  it('offers the settings of every trigger type and a form for every step type', async () => {
    await page.goto(`${base}/w/${ws}/workflows/new`);
    const when = page.getByRole('group', { name: 'When' });
    await when.getByLabel('Trigger').selectOption('record_updated');
    await when.getByRole('group', { name: /Only when one of these fields changes/ }).getByLabel('Status').check();
    await when.getByText('And only if (optional)').waitFor();
    await when.getByLabel('Trigger').selectOption('record_matches');
    await when.getByText('The condition the record comes to match').waitFor();
    await when.getByLabel('Trigger').selectOption('form_submitted');
    await when.getByLabel('Form', { exact: true }).waitFor();
    await when.getByLabel('Trigger').selectOption('date');
    await when.getByLabel('Days', { exact: true }).fill('30');
    await when.getByLabel('Before or after').selectOption('before');
    await when.getByLabel('At (HH:MM)').fill('08:30');
    await when.getByLabel('Trigger').selectOption('schedule');
    await when.getByLabel('Every').selectOption('week');
    await when.getByLabel('Weekday').selectOption('5');
    await when.getByLabel('At (HH:MM)').fill('07:15');
    for (const type of ['condition', 'update_record', 'create_record', 'send_email', 'webhook', 'notify', 'wait', 'approval']) {
      await page.getByLabel('Add a step…').selectOption(type);
    }
    await step(3).getByLabel('To', { exact: true }).waitFor();
    await step(4).getByLabel('URL', { exact: true }).waitFor();
    await step(6).getByLabel('Wait for').fill('3');
    await step(7).getByLabel('Add a person or role…').selectOption('manager');
    await step(7).getByLabel('Add a step if rejected…').selectOption('notify');
    await page.locator('[data-step="steps.7.onReject.0"]').getByLabel('Message', { exact: true }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Everything');
    await screenshot(page, 'workflows-all-steps-1280-en');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'workflows-all-steps-390-en');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Saved, the server names the first bad part (a schedule has no sheet for the condition's fields, or an empty text).
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.locator('.wf-error').first().waitFor();
    expect(page.url()).toMatch(/\/workflows\/new$/);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.goto(`${base}/w/${ws}/workflows`);
  });

  it('sets a user field "in turn among" a role, picked in the step form, in either language', async () => {
    await api('post', `/api/w/${ws}/sheets/${leadsId}/fields`, { name: 'Assignee', type: 'user' });
    await page.goto(`${base}/w/${ws}/workflows/new`);
    await page.getByLabel('Name', { exact: true }).fill('Assign in turn');
    const when = page.getByRole('group', { name: 'When' });
    await when.getByLabel('Trigger').selectOption('record_created');
    await when.getByLabel('Sheet').selectOption('Leads');
    await page.getByLabel('Add a step…').selectOption('update_record');
    await step(0).getByLabel('Add a field…').selectOption('Assignee');
    await step(0).getByLabel('How to set Assignee').selectOption('inTurn');
    expect(await step(0).getByLabel('Value for Assignee').count()).toBe(0);
    // No one picked yet: the server's message by the field.
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const message = step(0).locator('.wf-error');
    await message.waitFor();
    expect(await message.textContent()).toBe('inTurn: must name at least one role or member');
    expect(await message.getAttribute('data-path')).toBe('steps.0.fields.Assignee');
    await step(0).getByLabel('Add a person or role…').selectOption({ label: 'owner' });
    await step(0).getByRole('list', { name: 'In turn among, for Assignee' }).getByText('Role: owner').waitFor();
    // Members and roles only: no typed placeholder for whose turn it is.
    expect(await step(0).getByLabel('Email or {{record.Owner}}').count()).toBe(0);
    await screenshot(page, 'workflows-in-turn-1280-en');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'workflows-in-turn-390-en');
    await step(0).screenshot({ path: path.join(SCREENSHOTS, 'workflows-in-turn-step-390-en.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByText('Version 1', { exact: true }).first().waitFor();
    const id = await until('the new workflow id', async () => workflowIdOf(page.url()));
    expect((await api('get', `/api/w/${ws}/workflows/${id}`)).steps).toEqual([{ type: 'update_record', record: 'trigger', sheet: 'Leads', fields: { Assignee: { inTurn: ['owner'] } } }]);

    // A new lead goes to the owner role's one member.
    const lead = await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Dee' } });
    await until('the lead to be assigned', async () => (await api('get', `/api/w/${ws}/sheets/${leadsId}/records/${lead.id}`)).fields.Assignee?.email === 'owner@example.com');

    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.reload();
    await step(0).getByLabel('Assignee 的設定方式').waitFor();
    expect(await step(0).getByLabel('Assignee 的設定方式').inputValue()).toBe('inTurn');
    await step(0).getByText('角色：owner').waitFor();
    await screenshot(page, 'workflows-in-turn-1280-zh-TW');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'workflows-in-turn-390-zh-TW');
    await step(0).screenshot({ path: path.join(SCREENSHOTS, 'workflows-in-turn-step-390-zh-TW.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await api('patch', `/api/w/${ws}/workflows/${id}`, { enabled: false });
  });

  it('looks right at 1280 and 390 px in English and Chinese', async () => {
    for (const locale of ['en', 'zh-TW'] as const) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate((l) => localStorage.setItem('locale', l), locale);
      await page.goto(`${base}/w/${ws}/workflows`);
      await page.getByRole('heading', { name: locale === 'en' ? 'Workflows' : '工作流程', exact: true }).waitFor();
      await screenshot(page, `workflows-list-1280-${locale}`);
      await page.goto(`${base}/w/${ws}/workflows/${followUpId}`);
      await page.locator('[data-step="steps.1"]').waitFor();
      await screenshot(page, `workflows-editor-1280-${locale}`);
      await page.setViewportSize({ width: 390, height: 800 });
      await screenshot(page, `workflows-editor-390-${locale}`);
      await page.goto(`${base}/w/${ws}/workflows`);
      await page.locator('[data-workflow]').first().waitFor();
      await screenshot(page, `workflows-list-390-${locale}`);
      // Nothing wider than the phone's screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
  });
});
