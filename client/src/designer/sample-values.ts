import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import type { Field } from '../api/types.js';
import { clientType } from '../field-types/index.js';
import { allElements } from './layout-tree.js';

/**
 * A plausible value for the preview, as the form controls hold it (selects by choice name); null where a sample
 * would mean nothing (links, people, files, computed values) or where a choice should be left for the user.
 */
export function sampleValue(field: Field, now = new Date()): unknown {
  return clientType(field.type).sample(field, now);
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

/** Whether the designer offers to set the type's default value (with the field's own control). */
export const isDefaultable = (type: string) => clientType(type).defaultable === true;
