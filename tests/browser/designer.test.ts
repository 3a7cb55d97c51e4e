import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let browser: Browser;
let page: Page;
let base: string;
let ws: string;
let sheetId: string;
let fieldIds: Record<string, string>;

beforeAll(async () => {
  app = await startBrowserApp({ width: 1400, height: 900 });
  ({ browser, page, base } = app);
  // Signs the page in: API requests share the page's cookies.
  const setup = await page.request.post(`${base}/api/setup`, { data: { email: 'owner@example.com', password: 'correct horse', name: 'Owner' } });
  ws = (await setup.json()).workspace.id;
  const created = await page.request.post(`${base}/api/w/${ws}/sheets`, {
    data: {
      name: 'Deals',
      fields: [
        { name: 'Name', type: 'text', required: true },
        { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }, { name: 'Lost' }] } },
        { name: 'Competitor', type: 'text' },
      ],
    },
  });
  const sheet = (await created.json()) as { id: string; fields: { id: string; name: string }[] };
  sheetId = sheet.id;
  fieldIds = Object.fromEntries(sheet.fields.map((f) => [f.name, f.id]));
}, 120_000);

afterAll(() => app?.close());

/** A mouse drag in small steps, so dnd-kit's pointer sensor activates and sees every move. */
async function dragWithMouse(from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 8, a.y + a.height / 2 + 8, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 25 });
  await page.mouse.move(b.x + b.width / 2 + 2, b.y + b.height / 2, { steps: 2 });
  await page.mouse.up();
}

const canvasElement = (name: string) => page.locator('.designer-canvas [data-element]').filter({ has: page.getByRole('button', { name: `Drag ${name}`, exact: true }) });
const liveRegion = () => page.locator('[id^="DndLiveRegion"]');

describe('the form designer in Chromium', () => {
  it('creates a form from the sheet page and opens it in the designer', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}`);
    await page.getByRole('link', { name: 'Forms' }).click();
    await page.getByLabel('Form name').fill('Deal form');
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.getByRole('region', { name: 'Form layout' }).waitFor();
    expect(await page.locator('.designer-canvas [data-element]').count()).toBe(3);
  });

  it('takes Competitor off the form, then drags it from the palette into a new section with the mouse', async () => {
    await page.getByRole('button', { name: 'Remove Competitor', exact: true }).click();
    await expect.poll(() => canvasElement('Competitor').count()).toBe(0);
    const palette = page.getByRole('complementary', { name: 'Form elements' });
    const entry = palette.getByRole('button', { name: /^Competitor/ });
    await dragWithMouse(entry, page.getByText('Drop a field here to start a new section'));
    const section = page.getByRole('region', { name: 'Section 2' });
    await expect.poll(() => section.locator('[data-element]').allInnerTexts()).toEqual([expect.stringContaining('Competitor')]);
    // Placed fields cannot be dragged twice.
    await expect.poll(() => entry.getAttribute('aria-disabled')).toBe('true');
  });

  it('moves Stage with the keyboard into the new section, below Competitor; undo and redo', async () => {
    await page.getByRole('button', { name: 'Drag Stage', exact: true }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => liveRegion().innerText()).toMatch(/Picked up Stage|Stage is over/);
    // The last slot is a new section; one up is a new row at the end of section 2.
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => liveRegion().innerText()).toContain('Stage is over a new section at the end of Deals');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => liveRegion().innerText()).toContain('Stage is over a new row 2 in Section 2');
    await page.keyboard.press('Space');
    const section = page.getByRole('region', { name: 'Section 2' });
    await expect.poll(() => section.locator('[data-element] .designer-element-name').allInnerTexts()).toEqual(['Competitor', 'Stage']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => section.locator('[data-element]').count()).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => section.locator('[data-element]').count()).toBe(2);
  });

  it('shows Competitor only when Stage is Lost, saves, publishes, and the API has it', async () => {
    await canvasElement('Competitor').locator('.designer-element-body').click();
    const showWhen = page.getByRole('group', { name: 'Show when' });
    await showWhen.getByRole('button', { name: '+ Add condition' }).click();
    await showWhen.getByLabel('Field', { exact: true }).selectOption({ label: 'Stage' });
    await showWhen.getByLabel('Value', { exact: true }).selectOption('Lost');
    await expect.poll(() => canvasElement('Competitor').innerText()).toContain('conditional');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.locator('.designer-status').innerText()).toBe('Not published yet');
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.locator('.designer-status').innerText()).toBe('Version 1 published');
    await screenshot(page, 'designer');

    const formId = new URL(page.url()).pathname.split('/').pop()!;
    const form = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/forms/${formId}`)).json();
    expect(form.publishedVersion).toBe(1);
    expect(form.dirty).toBe(false);
    const [main, added] = form.published.tabs[0].sections;
    expect(main.rows.flatMap((r: { columns: { elements: { field: string }[] }[] }) => r.columns.flatMap((c) => c.elements.map((e) => e.field)))).toEqual([fieldIds.Name]);
    expect(added.rows.map((r: { columns: { elements: unknown[] }[] }) => r.columns[0]!.elements)).toEqual([
      [{ kind: 'field', id: expect.any(String), field: fieldIds.Competitor, visibleWhen: { '==': [{ var: fieldIds.Stage }, 'Lost'] } }],
      [{ kind: 'field', id: 'e1', field: fieldIds.Stage }],
    ]);
  });

  it('previews the published condition live: Competitor appears once Stage is Lost', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.locator('.designer-preview');
    await expect.poll(() => preview.getByLabel('Competitor').count()).toBe(0);
    await preview.getByLabel('Stage').selectOption('Lost');
    await expect.poll(() => preview.getByLabel('Competitor').count()).toBe(1);
    await page.getByRole('button', { name: 'Phone' }).click();
    await screenshot(page, 'designer-preview-phone');
  });

  it('adds a new field from the palette; the save creates it and the layout names it by id', async () => {
    await page.getByRole('button', { name: 'Design', exact: true }).click();
    await page.getByRole('complementary', { name: 'Form elements' }).getByRole('button', { name: 'Date', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Field name').fill('Close date');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => canvasElement('Close date').innerText()).toContain('new, created on save');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => canvasElement('Close date').innerText()).not.toContain('new, created on save');
    const sheet = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}`)).json();
    const closeDate = sheet.fields.find((f: { name: string }) => f.name === 'Close date');
    expect(closeDate.type).toBe('date');
    const formId = new URL(page.url()).pathname.split('/').pop()!;
    const form = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/forms/${formId}`)).json();
    expect(JSON.stringify(form.draft)).toContain(`"field":"${closeDate.id}"`);
    expect(JSON.stringify(form.draft)).not.toContain('new:');
  });

  it('never overwrites a draft someone else saved meanwhile: it offers to load theirs', async () => {
    const formId = new URL(page.url()).pathname.split('/').pop()!;
    const url = `${base}/api/w/${ws}/sheets/${sheetId}/forms/${formId}`;
    const current = await (await page.request.get(url)).json();
    const theirs = structuredClone(current.draft);
    theirs.tabs[0].sections[0].rows.push({ id: 'theirRow', columns: [{ id: 'theirCol', elements: [{ kind: 'paragraph', id: 'theirs', text: 'Written elsewhere' }] }] });
    expect((await page.request.patch(url, { data: { layout: theirs, version: current.version } })).status()).toBe(200);
    await page.getByRole('complementary', { name: 'Form elements' }).getByRole('button', { name: /Divider/ }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Someone else changed this form meanwhile').waitFor();
    await page.getByRole('button', { name: 'Load their version' }).click();
    await expect.poll(() => page.locator('.designer-canvas').innerText()).toContain('Written elsewhere');
    expect(await page.getByText('Someone else changed this form meanwhile').count()).toBe(0);
    const after = await (await page.request.get(url)).json();
    expect(JSON.stringify(after.draft)).not.toContain('"divider"');
  });

  it('turns the public form on with a password and shows its address; lists the published versions', async () => {
    await page.getByRole('tab', { name: 'Public form' }).click();
    await page.getByLabel('Anyone with the link can fill in this form').check();
    await page.getByLabel('Password (optional)').fill('open sesame');
    await page.getByRole('button', { name: 'Save public settings' }).click();
    const address = page.getByLabel('Public address');
    await expect.poll(() => address.inputValue()).toMatch(new RegExp(`^${base}/f/[\\w-]+$`));
    const formId = new URL(page.url()).pathname.split('/').pop()!;
    const form = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/forms/${formId}`)).json();
    expect(form.public).toMatchObject({ enabled: true, hasPassword: true });
    expect(await address.inputValue()).toBe(`${base}/f/${form.public.token}`);
    await screenshot(page, 'designer-public');
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByText('Version 1', { exact: true }).waitFor();
  });

  it('then staff fill in the published form (Competitor comes and goes) and a visitor submits it with the password', async () => {
    await page.goto(`${base}/w/${ws}/s/${sheetId}/new`);
    await page.getByLabel('Name').fill('Lost to Hooli');
    expect(await page.getByLabel('Competitor').count()).toBe(0);
    await page.getByLabel('Stage').selectOption('Lost');
    await page.getByLabel('Competitor').fill('Hooli');
    await page.getByLabel('Stage').selectOption('Won');
    await page.getByLabel('Competitor').waitFor({ state: 'detached' });
    await page.getByLabel('Stage').selectOption('Lost');
    await page.getByLabel('Competitor').fill('Hooli');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/r\/\d+$/);

    const formId = (await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/form`)).json()).form.id;
    const form = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/forms/${formId}`)).json();
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${base}/f/${form.public.token}`);
    await visitor.getByLabel('This form is protected. Enter its password.').fill('open sesame');
    await visitor.getByRole('button', { name: 'Open form' }).click();
    await visitor.getByLabel('Name').fill('Web visitor');
    await visitor.getByLabel('Stage').selectOption('Lost');
    await visitor.getByLabel('Competitor').fill('Initech');
    await visitor.getByRole('button', { name: 'Submit' }).click();
    await visitor.getByText('Thank you! Your answer has been received.').waitFor();
    await visitor.context().close();

    const stored = await (await page.request.get(`${base}/api/w/${ws}/sheets/${sheetId}/records?sort=Name`)).json();
    expect(stored.records.map((r: { fields: Record<string, unknown> }) => r.fields)).toEqual([
      { Name: 'Lost to Hooli', Stage: 'Lost', Competitor: 'Hooli' },
      { Name: 'Web visitor', Stage: 'Lost', Competitor: 'Initech' },
    ]);
  });
});
