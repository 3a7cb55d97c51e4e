import type { FastifyRequest } from 'fastify';
import { ownOrigin } from '../auth/csrf.js';
import { requestLanguage } from '../language.js';

/** The languages of the app, hence of the mails it writes. */
export type MailLocale = 'en' | 'zh-TW';

/** The language of a mail someone's action makes: that of their request. */
export const mailLocale: (request: FastifyRequest) => MailLocale = requestLanguage;

/**
 * A link into the app for a mail: under PUBLIC_URL when it is set, else under the origin this request reached (a
 * reverse proxy's forwarded host only with TRUST_PROXY). Set PUBLIC_URL when mail is sent, so a request carrying a
 * forged Host header cannot make the server mail a link to another site.
 */
export function appLink(publicUrl: string | undefined, request: FastifyRequest, path: string): string {
  const base = publicUrl ?? ownOrigin(request) ?? '';
  return `${base.replace(/\/+$/, '')}${path}`;
}

export interface MailText {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Plain paragraphs and one link, as text and as HTML (names escaped). */
function compose(subject: string, paragraphs: string[], link: { label: string; url: string }, after: string[]): MailText {
  const text = [...paragraphs, link.url, ...after].join('\n\n');
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const html = [...paragraphs.map(p), `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`, p(link.url), ...after.map(p)].join('\n');
  return { subject, text, html };
}

export interface InvitationMailInput {
  workspace: string;
  inviter: string;
  role: string;
  url: string;
  expiresAt: Date;
}

const day = (date: Date, locale: MailLocale) => date.toLocaleDateString(locale === 'zh-TW' ? 'zh-TW' : 'en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** The built-in roles as the app names them (their stored names are keys); a role of the workspace's own keeps its name. */
const BUILT_IN_ROLES: Record<string, Record<MailLocale, string>> = {
  owner: { en: 'owner', 'zh-TW': '擁有者' },
  admin: { en: 'admin', 'zh-TW': '管理員' },
  editor: { en: 'editor', 'zh-TW': '編輯者' },
  viewer: { en: 'viewer', 'zh-TW': '檢視者' },
};

export function invitationMail(locale: MailLocale, input: InvitationMailInput): MailText {
  const m = { ...input, role: BUILT_IN_ROLES[input.role]?.[locale] ?? input.role };
  if (locale === 'zh-TW') {
    return compose(
      `${m.inviter} 邀請您加入「${m.workspace}」`,
      [`${m.inviter} 邀請您以「${m.role}」身分加入工作區「${m.workspace}」。`, '開啟以下連結即可接受邀請：'],
      { label: '接受邀請', url: m.url },
      [`此連結只能使用一次，於 ${day(m.expiresAt, locale)}（UTC）失效。如果您不認識邀請人，可以忽略這封郵件。`],
    );
  }
  return compose(
    `${m.inviter} invited you to ${m.workspace}`,
    [`${m.inviter} invited you to join the workspace "${m.workspace}" as ${m.role}.`, 'Open this link to accept:'],
    { label: 'Accept the invitation', url: m.url },
    [`The link works once and expires on ${day(m.expiresAt, locale)} (UTC). If you do not know the sender, ignore this mail.`],
  );
}

export interface ResetMailInput {
  name: string;
  url: string;
  minutes: number;
}

export function resetMail(locale: MailLocale, m: ResetMailInput): MailText {
  if (locale === 'zh-TW') {
    return compose(
      '重設您的密碼',
      [`${m.name} 您好：`, '有人要求重設您帳號的密碼。開啟以下連結即可設定新密碼：'],
      { label: '設定新密碼', url: m.url },
      [`此連結只能使用一次，${m.minutes} 分鐘後失效。如果不是您提出的要求，請忽略這封郵件，您的密碼不會改變。`],
    );
  }
  return compose(
    'Reset your password',
    [`Hello ${m.name},`, 'Someone asked to reset the password of your account. Open this link to set a new one:'],
    { label: 'Set a new password', url: m.url },
    [`The link works once and expires in ${m.minutes} minutes. If you did not ask for this, ignore this mail: your password stays as it is.`],
  );
}
