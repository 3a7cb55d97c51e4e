import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import type { Choice, Field } from '../api/types.js';
import { allElements } from './layout-tree.js';

/** Today as YYYY-MM-DD, for sample dates. */
const today = (now: Date) => now.toISOString().slice(0, 10);

/**
 * A plausible value for the preview, as the form controls hold it (selects by choice name); null where a sample
 * would mean nothing (links, people, files, computed values) or where a choice should be left for the user.
 */
export function sampleValue(field: Field, now = new Date()): unknown {
  const choices = (field.options.choices as Choice[] | undefined) ?? [];
  switch (field.type) {
    case 'text':
      return field.name;
    case 'long_text':
      return `${field.name}…`;
    case 'email':
      return 'name@example.com';
    case 'phone':
      return '+886 2 1234 5678';
    case 'url':
      return 'https://example.com';
    case 'number':
      return 42;
    case 'currency':
      return 1200;
    case 'percent':
      return 0.25;
    case 'rating':
      return 3;
    case 'date':
      return today(now);
    case 'datetime':
      return `${today(now)}T09:00:00.000Z`;
    case 'checkbox':
      return false;
    case 'single_select':
      return choices[0]?.name ?? null;
    case 'multi_select':
      return choices.slice(0, 1).map((c) => c.name);
    default:
      return null;
  }
}

/** Preview values keyed by field id (or new-field ref): each element's default, else a sample. */
export function sampleValues(layout: FormLayout, fields: ReadonlyMap<string, Field>, now = new Date()): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const element of allElements(layout)) {
    if (!('field' in element)) continue;
    const field = fields.get(element.field);
    if (!field) continue;
    values[field.id] = element.kind === 'field' && element.defaultValue !== undefined ? element.defaultValue : sampleValue(field, now);
  }
  return values;
}

/** Types whose default value the designer offers to set (with the field's own control). */
export const DEFAULTABLE = new Set(['text', 'long_text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'rating', 'date', 'datetime', 'checkbox', 'single_select', 'multi_select']);
