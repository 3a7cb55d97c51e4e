import type { Field } from '../api/types.js';
import { UnparsedNumber } from '../fields/number-text.js';

/**
 * Form values keyed by field name, as conditions read them: keyed by field id, an empty value null (and so is text
 * typed into a number input that is no number yet).
 */
export function valuesById(fields: readonly Field[], byName: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.id, byName[f.name] instanceof UnparsedNumber ? null : (byName[f.name] ?? null)]));
}
