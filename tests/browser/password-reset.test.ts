import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMails } from '../../server/mail/read.js';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.js';

let app: BrowserApp;
let page: Page;
let base: string;

const EMAIL = 'owner@example.com';

/** The link of the newest reset mail (kept: the test server has no SMTP_URL), as the user would click it. */
async function latestLink(): Promise<string> {
  const [mail] = await listMails(app.server.db, { kind: 'password_reset', to: EMAIL, limit: 1 });
  const link = /https?:\/\/\S+\/reset\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '');
  if (!link) throw new Error('no reset mail');
  return link[0];
}

beforeAll(async () => {
  app = await startBrowserApp();
  ({ page, base } = app);
  await page.request.post(`${base}/api/setup`, { data: { email: EMAIL, password: 'correct horse', name: 'Owner' } });
  await page.context().clearCookies();
}, 120_000);

afterAll(() => app?.close());

describe('forgot password, in Chromium', () => {
  it('asks for the email from the sign-in page, and the mailed link sets a new password and signs in', async () => {
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).waitFor();
    await screenshot(page, 'reset-login-link-en');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/forgot');
    await page.getByLabel('Email').fill(EMAIL);
    await screenshot(page, 'reset-forgot-en');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expect.poll(() => page.locator('.auth [role=status]').textContent()).toContain(`If an account uses ${EMAIL}`);
    await screenshot(page, 'reset-forgot-sent-en');

    const link = await latestLink();
    expect(link.startsWith(`${base}/reset/`)).toBe(true);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByText('Use at least 8 characters').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('a much better password');
    await page.getByLabel('Repeat the new password', { exact: true }).fill('a different password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByText('The two new passwords are not the same').waitFor();
    await screenshot(page, 'reset-set-en');
    await page.getByLabel('Repeat the new password', { exact: true }).fill('a much better password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    // Signed in: the app's shell.
    await page.getByRole('link', { name: 'Account settings' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/w\//);

    // The same link again says it no longer works, and offers a new one.
    // The same link again says at once that it no longer works, with no form to fill.
    await page.goto(link);
    await page.getByRole('alert').filter({ hasText: 'does not work any more' }).waitFor();
    expect(await page.getByLabel('New password', { exact: true }).count()).toBe(0);
    await screenshot(page, 'reset-gone-en');
    await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();

    // The new password signs in.
    const login = await page.request.post(`${base}/api/auth/login`, { data: { email: EMAIL, password: 'a much better password' } });
    expect(login.status()).toBe(200);
  });

  it('reads in Traditional Chinese, at phone width too', async () => {
    await page.context().clearCookies();
    await page.goto(`${base}/login`);
    await page.evaluate(() => localStorage.setItem('locale', 'zh-TW'));
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: '忘記密碼？' }).click();
    await page.getByRole('heading', { name: '重設密碼' }).waitFor();
    await page.getByLabel('電子郵件').fill(EMAIL);
    await page.getByRole('button', { name: '寄出連結' }).click();
    await page.locator('.auth [role=status]').waitFor();
    await screenshot(page, 'reset-forgot-sent-zh');
    // The mail follows the language the app is used in.
    await expect.poll(async () => (await listMails(app.server.db, { kind: 'password_reset', to: EMAIL, limit: 1 }))[0]?.subject).toBe('重設您的密碼');
    await page.goto(await latestLink());
    await page.getByRole('heading', { name: '設定新密碼' }).waitFor();
    await screenshot(page, 'reset-set-zh');
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'reset-set-zh-phone');
    await page.goto(`${base}/forgot`);
    await page.getByRole('heading', { name: '重設密碼' }).waitFor();
    await screenshot(page, 'reset-forgot-zh-phone');
    await page.evaluate(() => localStorage.setItem('locale', 'en'));
    await page.reload();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await screenshot(page, 'reset-forgot-en-phone');
    await page.goto(await latestLink());
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await screenshot(page, 'reset-set-en-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
