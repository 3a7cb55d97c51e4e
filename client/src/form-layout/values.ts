import type { Field } from '../api/types.js';

/** Form values keyed by field name, as conditions read them: keyed by field id, an empty value null. */
export function valuesById(fields: readonly Field[], byName: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.id, byName[f.name] ?? null]));
}
