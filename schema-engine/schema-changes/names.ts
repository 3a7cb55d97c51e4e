import { z } from 'zod';
import { badRequest } from '../errors.js';
import { cleanName, nameKey } from './name-key.js';

export { cleanName, nameKey, sameName } from './name-key.js';

/*
 * Names that look the same are the same. Sheets, fields, choices (and documents, forms, views, conversions) are
 * compared by nameKey: invisible characters removed, NFKC (so `Ｎａｍｅ` and `①` read as `Name` and `1`), case folded.
 * The database's unique indexes of sheet, field and document names are on the same key, stored beside the name
 * (`name_key`, migration 010) and written by nameColumns, so the two can never disagree.
 *
 * Stored names keep what the user typed, less the characters nobody can see or mean: every default-ignorable code
 * point (zero-width space, word joiner, BOM, soft hyphen, bidi controls, Hangul fillers…) is dropped, except the
 * joiners that change how the characters around them are drawn (ZWJ and ZWNJ in emoji sequences and Persian or Indic
 * spelling, variation selectors, emoji tags), which stay after a character (joiners only between two).
 */

/** The columns a sheet, field or document row stores its name in. */
export const nameColumns = (name: string) => ({ name, name_key: nameKey(name) });

/** Names are data: any Unicode, trimmed and cleaned, never empty, at most 255 characters, no control characters. */
export const nameSchema = z
  .string()
  .overwrite(cleanName)
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s), 'must not contain control characters')
  .refine((s) => s.isWellFormed(), 'must be well-formed Unicode text (it holds a lone surrogate)')
  .refine((s) => nameKey(s) !== '', 'must contain a visible character');

export function assertNameFree(existing: readonly { name: string; id: string }[], name: string, what: string, exceptId?: string): void {
  const key = nameKey(name);
  const clash = existing.find((e) => e.id !== exceptId && nameKey(e.name) === key);
  if (!clash) return;
  const same = clash.name === name ? '' : ` (names are compared ignoring case, width and invisible characters)`;
  throw badRequest(`A ${what} named "${clash.name}" already exists${same}`, { fields: { name: `"${name}" is already used by another ${what}${same ? `: "${clash.name}"` : ''}` } });
}

/** The first of a list whose names clash (same key), as [earlier, later]; undefined when all differ. */
export function findClash<T extends { name: string }>(items: readonly T[]): [T, T] | undefined {
  const seen = new Map<string, T>();
  for (const item of items) {
    const key = nameKey(item.name);
    const before = seen.get(key);
    if (before) return [before, item];
    seen.set(key, item);
  }
  return undefined;
}

/** "Name" → "Name (2)": used when a restore or an install would clash with a live name. */
export function freeName(existing: readonly { name: string }[], name: string): string {
  const taken = new Set(existing.map((e) => nameKey(e.name)));
  if (!taken.has(nameKey(name))) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name.slice(0, 245)} (${i})`;
    if (!taken.has(nameKey(candidate))) return candidate;
  }
}
