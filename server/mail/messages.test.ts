import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appLink, invitationMail, mailLocale, resetMail } from './messages.js';

const request = (headers: Record<string, string>, host = 'crm.local:3000') => ({ headers, host, protocol: 'http' }) as unknown as FastifyRequest;

describe('mail messages', () => {
  it('picks Traditional Chinese for any zh first choice, English otherwise', () => {
    expect(mailLocale(request({ 'accept-language': 'zh-TW,zh;q=0.9' }))).toBe('zh-TW');
    expect(mailLocale(request({ 'accept-language': 'zh' }))).toBe('zh-TW');
    expect(mailLocale(request({ 'accept-language': 'en-US,zh-TW;q=0.5' }))).toBe('en');
    expect(mailLocale(request({ 'accept-language': 'fr' }))).toBe('en');
    expect(mailLocale(request({}))).toBe('en');
  });

  it('starts links with PUBLIC_URL when set, else the request origin', () => {
    expect(appLink('https://crm.example.com/', request({}), '/reset/abc')).toBe('https://crm.example.com/reset/abc');
    expect(appLink(undefined, request({}), '/invite/abc')).toBe('http://crm.local:3000/invite/abc');
  });

  it('escapes names in the HTML part and keeps them as typed in the text part', () => {
    const mail = invitationMail('en', { workspace: '<b>Acme</b> & Co', inviter: 'Eve "<script>"', role: 'editor', url: 'https://crm.example.com/invite/t?a=1&b=2', expiresAt: new Date('2027-01-08T00:00:00Z') });
    expect(mail.subject).toBe('Eve "<script>" invited you to <b>Acme</b> & Co');
    expect(mail.text).toContain('join the workspace "<b>Acme</b> & Co" as editor');
    expect(mail.text).toContain('expires on January 8, 2027 (UTC)');
    expect(mail.html).not.toMatch(/<script>|<b>/);
    expect(mail.html).toContain('&#60;b&#62;Acme&#60;/b&#62; &#38; Co');
    expect(mail.html).toContain('href="https://crm.example.com/invite/t?a=1&#38;b=2"');
  });

  it('writes the reset mail in both languages with the link and its lifetime', () => {
    const en = resetMail('en', { name: 'Ana', url: 'https://x.test/reset/t', minutes: 60 });
    expect(en).toMatchObject({ subject: 'Reset your password' });
    expect(en.text).toContain('https://x.test/reset/t');
    expect(en.text).toContain('expires in 60 minutes');
    const zh = resetMail('zh-TW', { name: '美玲', url: 'https://x.test/reset/t', minutes: 60 });
    expect(zh.subject).toBe('重設您的密碼');
    expect(zh.text).toContain('美玲 您好');
    expect(zh.html).toContain('href="https://x.test/reset/t"');
  });

  it("names a built-in role in the mail's language, and a workspace's own role as it is", () => {
    const invite = (locale: 'en' | 'zh-TW', role: string) => invitationMail(locale, { workspace: 'Acme', inviter: 'Eve', role, url: 'https://x.test/i/t', expiresAt: new Date('2027-01-08T00:00:00Z') }).text;
    expect(invite('zh-TW', 'editor')).toContain('以「編輯者」身分');
    expect(invite('zh-TW', 'editor')).not.toMatch(/editor/);
    expect(invite('en', 'editor')).toContain('as editor.');
    expect(invite('zh-TW', '業務')).toContain('以「業務」身分');
  });
});
