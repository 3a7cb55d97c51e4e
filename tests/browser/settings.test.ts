import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot as save, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;
let ws: string;
/** A second browser (its own cookies) signed in as the same user. */
let other: BrowserContext;
let otherPage: Page;

const EMAIL = 'owner@example.com';

async function signInThroughForm(target: Page, password: string): Promise<void> {
  await target.goto(`${base}/login`);
  await target.getByLabel('Email').fill(EMAIL);
  await target.getByLabel('Password').fill(password);
  await target.getByRole('button', { name: 'Sign in' }).click();
  await target.getByRole('link', { name: 'Account settings' }).waitFor();
}

/** A full-page screenshot from the top, so the sticky top bar is where a person sees it. */
async function screenshot(target: Page, name: string, fullPage = true): Promise<void> {
  await target.evaluate(() => window.scrollTo(0, 0));
  await save(target, name, fullPage);
}

/** Accepts the next confirm() the page shows, and answers its text. */
function acceptNextDialog(target: Page): Promise<string> {
  return new Promise((resolve) =>
    target.once('dialog', (dialog) => {
      resolve(dialog.message());
      void dialog.accept();
    }),
  );
}

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  ws = (await (await page.request.post(`${base}/api/setup`, { data: { email: EMAIL, password: 'correct horse', name: 'Owner' } })).json()).workspace.id;
  other = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  otherPage = await other.newPage();
  otherPage.setDefaultTimeout(10_000);
  await signInThroughForm(otherPage, 'correct horse');
}, 120_000);

afterAll(async () => {
  await other?.close();
  await app?.close();
});

describe('account settings in Chromium', () => {
  it('opens from the top bar and lists both sessions, this device marked', async () => {
    await page.goto(`${base}/w/${ws}`);
    await page.getByRole('link', { name: 'Account settings' }).click();
    await page.getByRole('heading', { name: 'Account settings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings');
    const sessions = page.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem');
    await expect.poll(() => sessions.count()).toBe(2);
    // Chromium headless says "HeadlessChrome/… Linux": described as Chrome on Linux.
    await expect.poll(() => sessions.filter({ hasText: 'This device' }).count()).toBe(1);
    expect(await sessions.filter({ hasText: 'This device' }).getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await sessions.filter({ hasNotText: 'This device' }).getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await sessions.first().innerText()).toMatch(/Chrome on Linux/);
    await screenshot(page, 'settings-en');
  });

  it('refuses a wrong current password, then changes it and signs the other browser out', async () => {
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('staple battery');
    await page.getByLabel('Repeat the new password').fill('staple batterz');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The two new passwords are not the same').waitFor();
    await page.getByLabel('Repeat the new password').fill('staple battery');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('This is not your current password').waitFor();
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Current password').fill('correct horse');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed. One other session was signed out.' }).waitFor();
    expect(await page.getByLabel('Current password').inputValue()).toBe('');
    await expect.poll(() => page.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem').count()).toBe(1);

    // The other browser is signed out: its next page load shows the sign-in page; the new password signs it in.
    await otherPage.reload();
    await otherPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    await otherPage.getByLabel('Email').fill(EMAIL);
    await otherPage.getByLabel('Password').fill('correct horse');
    await otherPage.getByRole('button', { name: 'Sign in' }).click();
    await otherPage.getByText('Wrong email or password').waitFor();
    await signInThroughForm(otherPage, 'staple battery');
  });

  it('creates an API token, shows it once with a copy button, and revokes it', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.getByLabel('Token name').fill('Zapier');
    const day = new Date(Date.now() + 40 * 86_400_000);
    const iso = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    await page.getByLabel('Expires on (optional)').fill(iso);
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('region', { name: 'New token "Zapier"' });
    await shown.getByText('Copy it now: it will not be shown again.').waitFor();
    const token = await shown.getByLabel('New API token').inputValue();
    expect(token).toMatch(/^crm_/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await screenshot(page, 'settings-token-created');

    const me = await page.request.get(`${base}/api/me`, { headers: { authorization: `Bearer ${token}`, cookie: '' } });
    expect(me.status()).toBe(200);

    const row = page.getByRole('list', { name: 'API tokens' }).getByRole('listitem').filter({ hasText: 'Zapier' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/never used · expires/);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(token);
    expect(await row.innerText()).toMatch(/last used .* · expires/);

    const asked = acceptNextDialog(page);
    await row.getByRole('button', { name: 'Revoke Zapier' }).click();
    expect(await asked).toMatch(/Revoke the token "Zapier"/);
    await row.waitFor({ state: 'detached' });
    await page.getByText('No API tokens yet.').waitFor();
    const after = await page.request.get(`${base}/api/me`, { headers: { authorization: `Bearer ${token}`, cookie: '' } });
    expect(after.status()).toBe(401);
  });

  it('shows the page in Traditional Chinese and at phone width', async () => {
    await page.getByLabel('Language').selectOption('zh-TW');
    await page.getByRole('heading', { name: '帳號設定' }).waitFor();
    await page.getByRole('button', { name: '登出所有裝置' }).waitFor();
    await page.getByText('此裝置').waitFor();
    await screenshot(page, 'settings-zh-TW');

    const phone = await app.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const mobile = await phone.newPage();
      await signInThroughForm(mobile, 'staple battery');
      await mobile.getByRole('link', { name: 'Account settings' }).click();
      await mobile.getByRole('heading', { name: 'Account settings' }).waitFor();
      await mobile.getByLabel('Token name').fill('Phone script');
      await mobile.getByRole('button', { name: 'Create token' }).click();
      await mobile.getByRole('region', { name: 'New token "Phone script"' }).waitFor();
      await expect.poll(() => mobile.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem').count()).toBe(3);
      const overflow = () => mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      for (const button of ['Change password', 'Sign out everywhere', 'Create token']) {
        const box = await mobile.getByRole('button', { name: button }).boundingBox();
        expect(box!.x + box!.width, button).toBeLessThanOrEqual(390);
      }
      await screenshot(mobile, 'settings-phone-en');
      await mobile.getByLabel('Language').selectOption('zh-TW');
      await mobile.getByRole('heading', { name: '帳號設定' }).waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(mobile, 'settings-phone-zh-TW');
    } finally {
      await phone.close();
    }
    await page.getByLabel('語言').selectOption('en');
    await page.getByRole('heading', { name: 'Account settings' }).waitFor();
  }, 60_000);

  it('signs out everywhere: this browser goes to the sign-in page, and so does the other one', async () => {
    await otherPage.goto(`${base}/w/${ws}`);
    await otherPage.getByRole('link', { name: 'Account settings' }).waitFor();
    const asked = acceptNextDialog(page);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    expect(await asked).toMatch(/Sign out of every browser and device/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);

    expect((await other.request.get(`${base}/api/me`)).status()).toBe(401);
    await otherPage.reload();
    await otherPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(otherPage, 'settings-signed-out-elsewhere', false);
  });
});
