import { describe, expect, it } from 'vitest';
import { en } from '../client/src/i18n/en.js';
import { zhTW } from '../client/src/i18n/zh-TW.js';
import { placeholders, serverPairs, untranslatedWords, type Pair } from './helpers/catalogues.js';

/** Keys whose text is the same in every language on purpose: code samples and names. */
const SAME_IN_BOTH = new Set(['wf.webhookBodyHint']);

const clientPairs: Pair[] = Object.keys(en).map((key) => ({ where: key, en: en[key as keyof typeof en], zh: (zhTW as Record<string, string>)[key] ?? '' }));
const server = serverPairs(process.cwd(), ['schema-engine', 'server']);

/** The pairs whose Traditional Chinese is the English left as it was. */
const untranslated = (pairs: Pair[]) =>
  pairs.filter((p) => !SAME_IN_BOTH.has(p.where) && p.zh.trim() === p.en.trim() && untranslatedWords(p.en).length > 0).map((p) => `${p.where}: ${JSON.stringify(p.en)}`);

/** The pairs whose two texts fill in different `{placeholders}`. */
const mismatched = (pairs: Pair[]) =>
  pairs.filter((p) => placeholders(p.en).join() !== placeholders(p.zh).join()).map((p) => `${p.where}: ${placeholders(p.en)} ≠ ${placeholders(p.zh)}`);

describe('the client catalogue', () => {
  it('has the same keys in English and Traditional Chinese', () => {
    expect(Object.keys(zhTW).filter((key) => !(key in en))).toEqual([]);
    expect(Object.keys(en).filter((key) => !(key in zhTW))).toEqual([]);
    expect(Object.entries(zhTW).filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('translates every text with words in it', () => {
    expect(untranslated(clientPairs)).toEqual([]);
  });

  it('fills in the same placeholders in both languages', () => {
    expect(mismatched(clientPairs)).toEqual([]);
  });
});

describe("the server's message tables", () => {
  it('are found (the scan reads the tables it should)', () => {
    expect(server.length).toBeGreaterThan(50);
    expect(server.some((p) => p.where.startsWith('schema-engine/imports/messages.ts'))).toBe(true);
    expect(server.some((p) => p.where.startsWith('server/messages/validation-messages.ts'))).toBe(true);
  });

  it('translate every text with words in it', () => {
    expect(untranslated(server)).toEqual([]);
  });

  it('fill in the same placeholders in both languages', () => {
    expect(mismatched(server)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('see English left in Chinese, and keep names of formats', () => {
    expect(untranslated([{ where: 'x', en: 'Export as CSV', zh: 'Export as CSV' }])).toHaveLength(1);
    expect(untranslated([{ where: 'x', en: 'CSV (UTF-8)', zh: 'CSV (UTF-8)' }])).toEqual([]);
    expect(mismatched([{ where: 'x', en: '{count} rows', zh: '{n} 列' }])).toHaveLength(1);
  });
});
