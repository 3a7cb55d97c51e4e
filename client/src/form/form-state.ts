import type { FormState } from '../../../schema-engine/forms/evaluate.js';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { placedElements } from '../../../schema-engine/forms/walk.js';
import type { Field, RecordJson, Sheet } from '../api/types.js';
import { isReadOnly } from '../fields/format.js';

export type Values = Record<string, unknown>;

export const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || v === false;

/** What the form starts with: the record's values, or for a new record each field's default (the form's first). */
export function initialValues(sheet: Sheet, record?: RecordJson, defaults: Record<string, unknown> = {}): Values {
  const values: Values = {};
  for (const field of sheet.fields) {
    const value = record ? record.fields[field.name] : (defaults[field.id] ?? field.defaultValue);
    if (value !== undefined && value !== null) values[field.name] = value;
  }
  return values;
}

/** The default values a designed form gives its field elements, by field id. */
export function elementDefaults(layout: FormLayout): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const { element } of placedElements(layout)) if (element.kind === 'field' && element.defaultValue !== undefined) defaults[element.field] = element.defaultValue;
  return defaults;
}

/**
 * Only what the user changed is sent, so a save never overwrites someone else's change to another field. `live`
 * names fields saved as they are edited (a saved record's related lists), which a save leaves alone.
 */
export function changedValues(sheet: Sheet, initial: Values, current: Values, live: ReadonlySet<string> = new Set()): Values {
  const changed: Values = {};
  for (const field of editableFields(sheet)) {
    if (live.has(field.name)) continue;
    const before = initial[field.name];
    const after = current[field.name];
    if (JSON.stringify(isEmpty(before) ? null : before) !== JSON.stringify(isEmpty(after) ? null : after)) changed[field.name] = isEmpty(after) ? null : after;
  }
  return changed;
}

export const editableFields = (sheet: Sheet): Field[] => sheet.fields.filter((f) => !isReadOnly(f));

/**
 * Required fields left empty, before the browser even asks the server: required by the sheet or, while shown, by
 * the form (a field a condition hides asks for nothing).
 */
export function missingRequired(sheet: Sheet, values: Values, message: string, form?: FormState): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of editableFields(sheet)) {
    const shown = !form || form.writable.has(field.id);
    const required = (field.required && shown) || !!form?.required.has(field.id);
    if (required && isEmpty(values[field.name])) errors[field.name] = message;
  }
  return errors;
}

/**
 * After a 409: fields the other person changed (their value differs from what this form started with). The user's
 * own typing is kept; each such field offers "use theirs".
 */
export function conflicts(sheet: Sheet, initial: Values, current: RecordJson): Record<string, unknown> {
  const theirs: Record<string, unknown> = {};
  for (const field of editableFields(sheet)) {
    const before = initial[field.name] ?? null;
    const now = current.fields[field.name] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(now)) theirs[field.name] = now;
  }
  return theirs;
}
