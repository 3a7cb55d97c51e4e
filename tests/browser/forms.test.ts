import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let browser: Browser;
let page: Page;
let base: string;
let ws: string;
let formId: string;

const el = (id: string, field: string, extra: Record<string, unknown> = {}) => ({ kind: 'field', id, field, ...extra });
const lostOnly = { '==': [{ var: 'Stage' }, 'Lost'] };
/** Two sections; the second (with a heading) shows only for lost deals and then requires a competitor. */
const layout = {
  tabs: [
    {
      id: 'deal',
      title: 'Deal',
      sections: [
        { id: 'main', title: 'Basics', rows: [{ id: 'r1', columns: [{ id: 'c1', elements: [el('name', 'Name', { label: 'Deal name' })] }, { id: 'c2', elements: [el('stage', 'Stage')] }] }] },
        {
          id: 'loss',
          title: 'Why we lost',
          visibleWhen: lostOnly,
          rows: [{ id: 'r2', columns: [{ id: 'c3', elements: [{ kind: 'paragraph', id: 'p', text: 'Tell us who won.' }, el('competitor', 'Competitor', { required: true, placeholder: 'Company name' })] }] }],
        },
      ],
    },
  ],
};

const records = async () => (await page.request.get(`${base}/api/w/${ws}/sheets/Deals/records?sort=Name`)).json() as Promise<{ records: { id: string; fields: Record<string, unknown> }[] }>;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ browser, page, base } = app);
  // Signs the page in: the API request shares the page's cookies.
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Owner' } });
  ws = (await setup.json()).workspace.id;
  await page.request.post(`${base}/api/w/${ws}/sheets`, {
    data: {
      name: 'Deals',
      fields: [
        { name: 'Name', type: 'text', required: true },
        { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }, { name: 'Lost' }] } },
        { name: 'Competitor', type: 'text' },
      ],
    },
  });
  const form = await page.request.post(`${base}/api/w/${ws}/sheets/Deals/forms`, { data: { name: 'Deal form', layout } });
  formId = (await form.json()).id;
  expect((await page.request.post(`${base}/api/w/${ws}/sheets/Deals/forms/${formId}/publish`, { data: {} })).status()).toBe(200);
}, 120_000);

afterAll(() => app?.close());

describe('designed forms in Chromium', () => {
  it('shows staff the published form, with a section appearing and disappearing as the stage changes', async () => {
    await page.goto(`${base}/w/${ws}/s/Deals/new`);
    await page.getByLabel('Deal name').fill('Globex renewal');
    await expect(page.getByRole('heading', { name: 'Why we lost' }).count()).resolves.toBe(0);
    await page.getByLabel('Stage').selectOption('Lost');
    await page.getByRole('heading', { name: 'Why we lost' }).waitFor();
    await expect(page.getByText('Tell us who won.').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Competitor').getAttribute('placeholder')).resolves.toBe('Company name');
    // Required only while shown: the form says so before anything is sent.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Competitor is required' }).waitFor();
    await screenshot(page, 'designed-form');
    await page.getByLabel('Stage').selectOption('Won');
    await page.getByRole('heading', { name: 'Why we lost' }).waitFor({ state: 'detached' });
    await page.getByLabel('Stage').selectOption('Lost');
    await page.getByLabel('Competitor').fill('Initech');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/r\/\d+$/);
    const saved = (await records()).records.find((r) => r.fields.Name === 'Globex renewal');
    expect(saved?.fields).toEqual({ Name: 'Globex renewal', Stage: 'Lost', Competitor: 'Initech' });
  });

  it('edits a record through the same form: hiding the section keeps what was stored', async () => {
    await page.getByLabel('Stage').selectOption('Won');
    await page.getByRole('heading', { name: 'Why we lost' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await records()).records.find((r) => r.fields.Name === 'Globex renewal')?.fields).toEqual({ Name: 'Globex renewal', Stage: 'Won', Competitor: 'Initech' });
  });

  it('takes an anonymous answer on the public form, with the same live conditions', async () => {
    const settings = await page.request.put(`${base}/api/w/${ws}/sheets/Deals/forms/${formId}/public`, { data: { enabled: true, thankYou: 'Thanks, we will call you.' } });
    const { token } = (await settings.json()).public;
    const anonymous = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const visitor = await anonymous.newPage();
      visitor.on('pageerror', (error) => console.error(`[visitor] ${error.message}`));
      await visitor.goto(`${base}/f/${token}`);
      await visitor.getByRole('heading', { name: 'Deal form' }).waitFor();
      await visitor.getByLabel('Deal name').fill('Web lead');
      await visitor.getByLabel('Stage').selectOption('Lost');
      await visitor.getByLabel('Competitor').fill('Hooli');
      await screenshot(visitor, 'public-form');
      await visitor.getByRole('button', { name: 'Submit' }).click();
      await visitor.getByText('Thanks, we will call you.').waitFor();
      // The visitor is not signed in: the workspace stays closed to them.
      expect((await visitor.request.get(`${base}/api/w/${ws}/sheets/Deals/records`)).status()).toBe(401);
    } finally {
      await anonymous.close();
    }
    const lead = (await records()).records.find((r) => r.fields.Name === 'Web lead')!;
    expect(lead.fields).toMatchObject({ Stage: 'Lost', Competitor: 'Hooli' });
    const history = await (await page.request.get(`${base}/api/w/${ws}/sheets/Deals/records/${lead.id}/history`)).json();
    expect(history[0].by.name).toBe('Public form');
  });

  it('follows a condition on a lookup live, as soon as a link is picked', async () => {
    const post = async (path: string, data: unknown) => {
      const res = await page.request.post(`${base}/api/w/${ws}${path}`, { data });
      expect(res.ok(), await res.text()).toBe(true);
      return res.json();
    };
    await post('/sheets', { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }, { name: 'Industry', type: 'single_select', options: { choices: [{ name: 'Tech' }, { name: 'Retail' }] } }] });
    await post('/sheets/Accounts/records', { records: [{ fields: { Name: 'Acme', Industry: 'Tech' } }, { fields: { Name: 'Shop', Industry: 'Retail' } }] });
    await post('/sheets', { name: 'Projects', fields: [{ name: 'Name', type: 'text' }, { name: 'Stack', type: 'text' }] });
    await post('/sheets/Projects/fields', { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
    await post('/sheets/Projects/fields', { name: 'Industry', type: 'lookup', options: { link: 'Account', field: 'Industry' } });
    const one = (id: string, elements: unknown[]) => ({ id, rows: elements.map((e, i) => ({ id: `${id}r${i}`, columns: [{ id: `${id}c${i}`, elements: [e] }] })) });
    const form = await post('/sheets/Projects/forms', {
      name: 'Project',
      layout: { tabs: [{ id: 't', title: 'Project', sections: [one('s', [el('n', 'Name'), el('a', 'Account'), el('st', 'Stack', { visibleWhen: { in: ['Tech', { var: 'Industry' }] } })])] }] },
    });
    await post(`/sheets/Projects/forms/${form.id}/publish`, {});
    await page.goto(`${base}/w/${ws}/s/Projects/new`);
    await page.getByLabel('Name').fill('Rollout');
    expect(await page.getByLabel('Stack').count()).toBe(0);
    await page.getByLabel('Search Accounts').fill('Shop');
    await page.getByRole('option', { name: 'Shop' }).click();
    await page.waitForTimeout(300);
    expect(await page.getByLabel('Stack').count()).toBe(0);
    await page.getByRole('button', { name: 'remove' }).click();
    await page.getByLabel('Search Accounts').fill('Acme');
    await page.getByRole('option', { name: 'Acme' }).click();
    await page.getByLabel('Stack').fill('PostgreSQL');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/r\/\d+$/);
    const saved = await (await page.request.get(`${base}/api/w/${ws}/sheets/Projects/records`)).json();
    expect(saved.records[0].fields).toMatchObject({ Name: 'Rollout', Stack: 'PostgreSQL', Industry: ['Tech'] });
  });
});
