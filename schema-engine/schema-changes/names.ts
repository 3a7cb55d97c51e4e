import { z } from 'zod';
import { badRequest } from '../errors.js';

/** Names are data: any Unicode, trimmed, never empty, at most 255 characters, no control characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export function assertNameFree(existing: readonly { name: string; id: string }[], name: string, what: string, exceptId?: string): void {
  const clash = existing.find((e) => e.id !== exceptId && e.name.toLowerCase() === name.toLowerCase());
  if (clash) throw badRequest(`A ${what} named "${clash.name}" already exists`, { fields: { name: `"${name}" is already used by another ${what}` } });
}

/** "Name" → "Name (2)": used when a restore or an install would clash with a live name. */
export function freeName(existing: readonly { name: string }[], name: string): string {
  const taken = new Set(existing.map((e) => e.name.toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name.slice(0, 245)} (${i})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
