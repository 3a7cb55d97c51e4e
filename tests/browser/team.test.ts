import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

/**
 * Issue 13 in Chromium: an admin invites a sales rep through the members page; the rep joins through the link and
 * the app follows the rep's role (own leads only, a hidden and a read-only field, no delete, no design, a manager's
 * lead "not found"); the role editor saves a change; "Preview as this role" shows the banner and the narrowed data.
 */
let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
let leadsId: string;
let repRoleId: string;
let repContext: BrowserContext;
let rep: Page;
let inviteUrl: string;
let ownerLeadId: string;
let repLeadId: string;

const REP_EMAIL = 'rita@example.com';

async function api(method: 'get' | 'post' | 'patch', path: string, data?: unknown) {
  const response = await page.request[method](`${base}${path}`, data === undefined ? {} : { data });
  const body = await response.json().catch(() => undefined);
  if (response.status() >= 400) throw new Error(`${method} ${path}: ${response.status()} ${JSON.stringify(body)}`);
  return body;
}

/** The grid's column names and the records' names in its first column. */
const columns = (target: Page) => target.locator('[role=columnheader]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-field')));

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = (await api('post', '/api/setup', { email: 'owner@example.com', password: 'correct horse', name: 'Olivia Owner' })).workspace.id;
  const leads = await api('post', `/api/w/${ws}/sheets`, {
    name: 'Leads',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Owner', type: 'user', options: { owner: true } },
      { name: 'Cost', type: 'currency', options: { currency: 'USD' } },
      { name: 'Note', type: 'text' },
    ],
  });
  leadsId = leads.id;
  const fieldId = (name: string) => (leads.fields as { id: string; name: string }[]).find((f) => f.name === name)!.id;
  // A custom role made through the API: own leads only, Cost hidden, Note read-only, no delete.
  const role = await api('post', `/api/w/${ws}/roles`, {
    name: 'Sales rep',
    sheets: { [leadsId]: { read: 'own', create: true, update: 'own', delete: 'none', fields: { [fieldId('Cost')]: 'hidden', [fieldId('Note')]: 'read_only' } } },
  });
  repRoleId = role.id;
  await api('post', `/api/w/${ws}/teams`, { name: 'North' });
  ownerLeadId = (await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Manager lead', Cost: 900, Note: 'big one' } })).id;
  repContext = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  rep = await repContext.newPage();
  rep.setDefaultTimeout(10_000);
  rep.on('pageerror', (error) => console.error(`[rep browser] ${error.message}`));
}, 120_000);

afterAll(async () => {
  await repContext?.close();
  await app?.close();
});

describe('members, invitations and roles in Chromium', () => {
  it('lets the admin invite a rep from the members page and shows the link to copy', async () => {
    await page.goto(`${base}/w/${ws}`);
    await page.getByRole('navigation', { name: 'Members, roles and audit' }).getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members', exact: true }).waitFor();
    await page.getByLabel('Email').fill(REP_EMAIL);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Sales rep' });
    await page.getByRole('group', { name: 'Teams', exact: true }).getByRole('button', { name: 'North' }).click();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const link = page.getByRole('textbox', { name: 'Invitation link' });
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(new RegExp(`^${base}/invite/[A-Za-z0-9_-]{20,}$`));
    const pending = page.getByRole('list', { name: 'Pending invitations' }).getByRole('listitem');
    await expect.poll(() => pending.allInnerTexts()).toEqual([expect.stringContaining(REP_EMAIL)]);
    expect(await pending.first().innerText()).toContain('Sales rep');
    await screenshot(page, 'team-members-invited');
  });

  it('lets the rep accept with a name and password, signed in and in the workspace', async () => {
    await rep.goto(inviteUrl);
    await rep.getByRole('heading', { name: 'Join My workspace' }).or(rep.getByRole('heading', { name: /^Join / })).first().waitFor();
    expect(await rep.getByText(`You are invited as ${REP_EMAIL}, with the role Sales rep.`).count()).toBe(1);
    await screenshot(rep, 'team-invite-page');
    await rep.getByLabel('Name').fill('Rita Rep');
    await rep.getByLabel('Password').fill('short');
    await rep.getByRole('button', { name: 'Create account and join' }).click();
    await rep.getByText('Use at least 8 characters').waitFor();
    await rep.getByLabel('Password').fill('rita password');
    await rep.getByRole('button', { name: 'Create account and join' }).click();
    await rep.getByRole('heading', { name: 'Sheets' }).waitFor();
    expect(new URL(rep.url()).pathname).toBe(`/w/${ws}`);
    expect(await rep.getByRole('link', { name: 'Account settings' }).innerText()).toContain('Rita Rep');
    // The link worked once.
    await rep.goto(inviteUrl);
    await rep.getByRole('heading', { name: 'This invitation link no longer works' }).waitFor();
    // The admin sees the rep as a member of team North, and gives the rep a lead.
    const members = (await api('get', `/api/w/${ws}/members`)) as { id: string; email: string; role: string; teams: string[] }[];
    const rita = members.find((m) => m.email === REP_EMAIL)!;
    expect(rita.role).toBe('Sales rep');
    expect(rita.teams).toHaveLength(1);
    repLeadId = (await api('post', `/api/w/${ws}/sheets/${leadsId}/records`, { fields: { Name: 'Rita lead', Owner: rita.id, Cost: 100, Note: 'from the fair' } })).id;
  });

  it('shows the rep only own leads, without the hidden field, the delete button or design menus', async () => {
    await rep.goto(`${base}/w/${ws}/s/${leadsId}`);
    await rep.locator('.grid-row').filter({ hasText: 'Rita lead' }).waitFor();
    expect(await rep.locator('.grid-row').filter({ hasText: 'Manager lead' }).count()).toBe(0);
    expect(await columns(rep)).toEqual(expect.arrayContaining(['Name', 'Owner', 'Note']));
    expect(await columns(rep)).not.toContain('Cost');
    // Note is read-only for the role: marked in its header, and Enter on its cell opens no editor.
    expect(await rep.locator('[role=columnheader][data-field="Note"]').getByRole('img', { name: 'Read-only for your role' }).count()).toBe(1);
    await rep.locator('.grid-row').filter({ hasText: 'Rita lead' }).getByText('from the fair').dblclick();
    expect(await rep.locator('.grid-row input, .grid-row textarea').count()).toBe(0);
    await rep.locator('.grid-row').filter({ hasText: 'Rita lead' }).getByText('Rita lead').dblclick();
    await expect.poll(() => rep.locator('.grid-row input').count()).toBe(1);
    await rep.keyboard.press('Escape');
    // No design: no forms link, no add-field column, no field editing; no people pages in the shell.
    expect(await rep.getByRole('link', { name: 'Forms' }).count()).toBe(0);
    expect(await rep.getByRole('button', { name: 'Add field' }).count()).toBe(0);
    expect(await rep.getByRole('navigation', { name: 'Members, roles and audit' }).count()).toBe(0);
    await rep.getByRole('button', { name: 'Field menu: Name' }).click();
    expect(await rep.getByRole('menuitem', { name: 'Edit field' }).count()).toBe(0);
    await rep.keyboard.press('Escape');
    // It may create: the New record button is there.
    expect(await rep.getByRole('link', { name: '+ New record' }).count()).toBe(1);
    // The filter builder offers only the fields the rep sees.
    await rep.getByRole('button', { name: 'Filter' }).click();
    await rep.getByRole('button', { name: '+ Add condition' }).click();
    const options = await rep.getByLabel('Field', { exact: true }).locator('option').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['Name', 'Note']));
    expect(options).not.toContain('Cost');
    await screenshot(rep, 'team-rep-grid');
  });

  it('shows the rep’s record page with Note read-only, no Cost and no Delete; a manager’s lead is not found', async () => {
    await rep.goto(`${base}/w/${ws}/s/${leadsId}/r/${repLeadId}`);
    await rep.getByRole('heading', { name: 'Rita lead' }).waitFor();
    await rep.locator('.record-form').waitFor();
    expect(await rep.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await rep.locator('.record-form label').allInnerTexts()).not.toContain('Cost');
    expect(await rep.getByText('Cost', { exact: true }).count()).toBe(0);
    // Note is shown, not editable.
    const note = rep.locator('.record-form .form-row').filter({ hasText: 'Note' });
    await expect.poll(() => note.innerText()).toContain('from the fair');
    expect(await note.locator('input:not([readonly]), textarea:not([readonly])').count()).toBe(0);
    // Name is editable and saves.
    await rep.getByLabel('Name').fill('Rita lead (called)');
    await rep.getByRole('button', { name: 'Save' }).click();
    await rep.getByRole('heading', { name: 'Rita lead (called)' }).waitFor();
    await screenshot(rep, 'team-rep-record');
    await rep.goto(`${base}/w/${ws}/s/${leadsId}/r/${ownerLeadId}`);
    await rep.getByText(/was not found/).waitFor();
    expect(await rep.getByText('Manager lead').count()).toBe(0);
  });

  it('saves a change in the role editor, and the rep’s app follows it', async () => {
    await page.goto(`${base}/w/${ws}/roles`);
    await page.getByRole('button', { name: 'Sales rep' }).click();
    const editor = page.getByRole('region', { name: 'Role Sales rep' });
    await editor.waitFor();
    // Built-in roles are shown read-only.
    await page.getByRole('button', { name: /^Viewer/ }).click();
    await page.getByText('Built-in roles cannot be changed').waitFor();
    expect(await page.getByRole('region', { name: 'Role Viewer' }).getByLabel('Leads: Read').isDisabled()).toBe(true);
    await page.getByRole('button', { name: /^Sales rep/ }).click();
    await editor.waitFor();
    await editor.getByLabel('Leads: Delete').selectOption('own');
    await editor.getByRole('button', { name: 'Fields and rows of Leads' }).click();
    expect(await editor.getByLabel('Leads: Cost').inputValue()).toBe('hidden');
    expect(await editor.getByLabel('Leads: Note').inputValue()).toBe('read_only');
    // A row condition over a record field: only leads whose Name does not start with "Secret".
    await editor.getByRole('button', { name: '+ Add condition' }).click();
    await editor.getByLabel('Field', { exact: true }).selectOption({ label: 'Name' });
    await editor.getByLabel('Operator').selectOption({ label: '≠' });
    await editor.getByLabel('Value').fill('Hidden deal');
    await screenshot(page, 'team-role-editor');
    await editor.getByRole('button', { name: 'Save role' }).click();
    await page.getByText('Role Sales rep saved').waitFor();
    const saved = ((await api('get', `/api/w/${ws}/roles`)) as { id: string; sheets: Record<string, { delete: string; where?: unknown }> }[]).find((r) => r.id === repRoleId)!;
    expect(saved.sheets[leadsId]!.delete).toBe('own');
    expect(saved.sheets[leadsId]!.where).toEqual({ '!=': [{ var: leadsFieldId('Name') }, 'Hidden deal'] });
    // A role still held cannot be deleted: the server's 409 is shown.
    page.once('dialog', (dialog) => void dialog.accept());
    await editor.getByRole('button', { name: 'Delete role' }).click();
    await editor.getByRole('alert').filter({ hasText: 'is still held by a member' }).waitFor();
    // The rep now has a Delete button on their own lead.
    await rep.goto(`${base}/w/${ws}/s/${leadsId}/r/${repLeadId}`);
    await rep.getByRole('button', { name: 'Delete' }).waitFor();
  });

  it('previews the app as the role: a banner, read-only, and the role’s narrowed data', async () => {
    await page.goto(`${base}/w/${ws}/roles/${repRoleId}`);
    await page.getByRole('button', { name: 'Preview as this role' }).click();
    const banner = page.getByRole('status').filter({ hasText: 'Previewing as Sales rep — read-only' });
    await banner.waitFor();
    await page.goto(`${base}/w/${ws}/s/${leadsId}`);
    await banner.waitFor();
    // As the role: own records only (the admin's own lead), Cost hidden, nothing to create, no people pages.
    await page.locator('.grid-row').filter({ hasText: 'Manager lead' }).waitFor();
    expect(await page.locator('.grid-row').filter({ hasText: 'Rita lead' }).count()).toBe(0);
    expect(await columns(page)).not.toContain('Cost');
    expect(await page.getByRole('link', { name: '+ New record' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Members, roles and audit' }).count()).toBe(0);
    await screenshot(page, 'team-preview');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'team-preview-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
    await banner.getByRole('button', { name: 'Stop preview' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.goto(`${base}/w/${ws}/s/${leadsId}`);
    await page.locator('.grid-row').filter({ hasText: 'Rita lead' }).waitFor();
    expect(await columns(page)).toContain('Cost');
  });

  it('tells why the last owner cannot be removed, deactivates and reactivates a member, and revokes an invitation', async () => {
    await page.goto(`${base}/w/${ws}/members`);
    const people = page.getByRole('list', { name: 'Members' });
    page.once('dialog', (dialog) => void dialog.accept());
    await people.getByRole('listitem', { name: 'Olivia Owner' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByText('This is the last owner of the workspace: make someone else an owner first').waitFor();
    const rita = people.getByRole('listitem', { name: 'Rita Rep' });
    await rita.getByRole('button', { name: 'Deactivate' }).click();
    await rita.getByText('deactivated').waitFor();
    expect((await rep.request.get(`${base}/api/w/${ws}/sheets`)).status()).toBe(403);
    await rita.getByRole('button', { name: 'Reactivate' }).click();
    await rita.getByRole('button', { name: 'Deactivate' }).waitFor();
    expect((await rep.request.get(`${base}/api/w/${ws}/sheets`)).status()).toBe(200);
    // Team membership from the member's row: off and on again.
    const north = rita.getByRole('group', { name: 'Teams of Rita Rep' }).getByRole('button', { name: 'North' });
    expect(await north.getAttribute('aria-pressed')).toBe('true');
    await north.click();
    await expect.poll(() => north.getAttribute('aria-pressed')).toBe('false');
    expect(((await api('get', `/api/w/${ws}/teams`)) as { members: string[] }[])[0]!.members).toHaveLength(0);
    // An invitation revoked: its link stops working.
    const invited = await api('post', `/api/w/${ws}/invitations`, { email: 'gone@example.com', role: 'viewer' });
    await page.reload();
    const pending = page.getByRole('list', { name: 'Pending invitations' }).getByRole('listitem').filter({ hasText: 'gone@example.com' });
    page.once('dialog', (dialog) => void dialog.accept());
    await pending.getByRole('button', { name: 'Revoke' }).click();
    await pending.waitFor({ state: 'detached' });
    expect((await page.request.get(`${base}/api/invitations/${String(invited.url).split('/invite/')[1]}`)).status()).toBe(404);
  });

  it('removes the rep; re-invited, the rep signs in from the invitation page and joins with their account', async () => {
    await page.goto(`${base}/w/${ws}/members`);
    const rita = page.getByRole('list', { name: 'Members' }).getByRole('listitem', { name: 'Rita Rep' });
    page.once('dialog', (dialog) => void dialog.accept());
    await rita.getByRole('button', { name: 'Remove' }).click();
    await rita.waitFor({ state: 'detached' });
    const again = await api('post', `/api/w/${ws}/invitations`, { email: REP_EMAIL, role: 'Sales rep' });
    const fresh = await app.browser.newContext();
    try {
      const visitor = await fresh.newPage();
      visitor.setDefaultTimeout(10_000);
      await visitor.goto(again.url);
      await visitor.getByText(`${REP_EMAIL} has an account already: sign in, then join.`).waitFor();
      await visitor.getByRole('link', { name: 'Sign in' }).click();
      await visitor.getByLabel('Email').fill(REP_EMAIL);
      await visitor.getByLabel('Password').fill('rita password');
      await visitor.getByRole('button', { name: 'Sign in' }).click();
      // Back on the invitation, signed in: join with this account.
      await visitor.getByText('Signed in as Rita Rep (rita@example.com).').waitFor();
      await visitor.getByRole('button', { name: /^Join / }).click();
      await visitor.getByRole('heading', { name: 'Sheets' }).waitFor();
      expect(new URL(visitor.url()).pathname).toBe(`/w/${ws}`);
      expect(((await api('get', `/api/w/${ws}/members`)) as { email: string; role: string }[]).find((m) => m.email === REP_EMAIL)?.role).toBe('Sales rep');
    } finally {
      await fresh.close();
    }
  });

  it('lists the changes in the audit log', async () => {
    await page.goto(`${base}/w/${ws}/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const entries = page.getByRole('list', { name: 'Audit log' }).getByRole('listitem');
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(4);
    const texts = (await entries.allInnerTexts()).join('\n');
    expect(texts).toContain('role.update');
    expect(texts).toContain('invitation.create');
    // A role's grants are kept by sheet and field id; the log names them.
    await expect.poll(async () => (await entries.allInnerTexts()).join('\n')).not.toMatch(/\b(sht|fld)[a-z0-9]{6,}\b/);
    expect(texts).toMatch(/Leads/);
    await screenshot(page, 'team-audit');
    // More than a page (100): "Load more" follows the cursor to the older entries.
    const total = await entries.count();
    const teams = (await api('get', `/api/w/${ws}/teams`)) as { id: string }[];
    for (let i = 0; i < 100; i++) await api('patch', `/api/w/${ws}/teams/${teams[0]!.id}`, { name: `North ${i}` });
    await page.reload();
    await expect.poll(() => entries.count()).toBe(100);
    expect(await entries.first().innerText()).toContain('North 99');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => entries.count()).toBe(total + 100);
    // The last shown is the workspace's oldest entry, as the API pages it.
    let pageOf = (await api('get', `/api/w/${ws}/audit`)) as { entries: { action: string; target: { name: string | null } }[]; nextCursor: string | null };
    while (pageOf.nextCursor) pageOf = (await api('get', `/api/w/${ws}/audit?cursor=${pageOf.nextCursor}`)) as typeof pageOf;
    const oldest = pageOf.entries[pageOf.entries.length - 1]!;
    expect(await entries.last().innerText()).toContain(oldest.action);
    expect((await entries.allInnerTexts()).join('\n')).toContain('role.create');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });
});

describe('the people pages at desktop and phone width, in English and Chinese', () => {
  it('fit the screen and are translated', async () => {
    // A pending invitation for the invitation page, opened signed out.
    const invited = await api('post', `/api/w/${ws}/invitations`, { email: 'sam@example.com', role: 'viewer' });
    const anonymous = await app.browser.newContext();
    const visitor = await anonymous.newPage();
    const pages = [`/w/${ws}/members`, `/w/${ws}/roles/${repRoleId}`, `/w/${ws}/audit`];
    try {
      for (const locale of ['en', 'zh-TW'] as const) {
        for (const width of [1280, 390]) {
          for (const target of [page, visitor]) {
            await target.setViewportSize({ width, height: 800 });
            await target.evaluate((l) => localStorage.setItem('locale', l), locale).catch(() => undefined);
          }
          for (const path of pages) {
            await page.goto(`${base}${path}`);
            await page.getByRole('heading', { level: 1 }).waitFor();
            await page.waitForLoadState('networkidle');
            if (path.includes('/roles/')) await page.getByRole('button', { name: locale === 'en' ? 'Fields and rows of Leads' : 'Leads 的欄位與列' }).click();
            const name = path.split('/')[3]!;
            await screenshot(page, `team-${name}-${locale}-${width}`);
            // Nothing wider than the screen: wide parts (the role grid) scroll inside themselves.
            expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} ${locale} ${width}`).toBeLessThanOrEqual(width);
          }
          await visitor.goto(invited.url);
          await visitor.evaluate((l) => localStorage.setItem('locale', l), locale);
          await visitor.reload();
          await visitor.getByRole('heading', { level: 1 }).waitFor();
          await screenshot(visitor, `team-invite-${locale}-${width}`);
          expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        }
      }
      await visitor.goto(`${base}/invite/not-a-real-token-at-all`);
      await visitor.getByRole('alert').waitFor();
      await screenshot(visitor, 'team-invite-gone');
    } finally {
      await page.evaluate(() => localStorage.setItem('locale', 'en'));
      await page.setViewportSize({ width: 1280, height: 800 });
      await anonymous.close();
    }
  }, 120_000);
});

let leadsFields: { id: string; name: string }[] | undefined;
function leadsFieldId(name: string): string {
  return leadsFields!.find((f) => f.name === name)!.id;
}
beforeAll(async () => {
  leadsFields = (await api('get', `/api/w/${ws}/sheets/${leadsId}`)).fields;
});
