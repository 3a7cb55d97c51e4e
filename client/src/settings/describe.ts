import { ApiError } from '../api/http.js';
import type { MessageKey } from '../i18n/en.js';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and every iPhone browser is Safari's engine.
const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Linux" from a User-Agent, enough to recognise one's own devices; the full text goes in a tooltip. */
export function describeAgent(userAgent: string | null, t: T): string {
  if (!userAgent) return t('settings.sessions.unknown');
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return t('settings.sessions.agent', { browser, os: system });
  return browser ?? system ?? userAgent.slice(0, 60);
}

export function formatWhen(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A refused request in the user's language where we know the case, else the server's own sentence. */
export function errorText(error: unknown, t: T): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return t('settings.rateLimited', { minutes: Math.max(1, Math.ceil(Number(error.details.retryAfter ?? 60) / 60)) });
    return error.message;
  }
  return t('toast.error');
}
