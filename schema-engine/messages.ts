import type { Language } from './templates/text.js';

/**
 * Server messages in the client's two languages: one table of templates per feature (imports, backup, webhooks), the
 * language taken from Accept-Language, `{param}` filled in. One helper so every feature words its refusals alike.
 */
export type { Language };

/** A table of messages, each in both languages. */
export type MessageTable<K extends string = string> = Record<K, Record<Language, string>>;

export type MessageParams = Record<string, string | number>;

/** An Accept-Language header (or a stored language) as one of ours: any Chinese is zh-TW, else English. */
export const messageLanguage = (header: string | undefined): Language => (/^\s*zh/i.test(header ?? '') ? 'zh-TW' : 'en');

/** A message of `table` in `language`, each `{name}` replaced by its param (left as it is when the param is missing). */
export function message<K extends string>(table: MessageTable<K>, key: K, language: Language, params: MessageParams = {}): string {
  return table[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}
