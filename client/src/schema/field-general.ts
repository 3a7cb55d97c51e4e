import type { Field } from '../api/types.js';
import { isDefaultable } from '../designer/sample-values.js';
import { toInput } from '../fields/controls.js';
import { clientType } from '../field-types/index.js';
import { UNIQUE_VALUE_KINDS } from '../../../schema-engine/field-types/type-ids.js';


/** What every stored field may say besides its options: the dialog's "general" part. */
export interface GeneralDraft {
  required: boolean;
  unique: boolean;
  /** As the API answers it (a control's value); null: no default. */
  defaultValue: unknown;
  /** User fields: a new record gets the user who creates it (options.defaultCurrentUser). */
  currentUser: boolean;
  description: string;
}

/** Filled automatically or holding no value (a button): never required, unique or defaulted (the server refuses them). */
export const isComputed = (type: string) => clientType(type).readOnly;
/** Written types whose values a unique index can serve, by the server's rule (schema-changes/field-input.ts). */
export const isUniquable = (type: string) => !isComputed(type) && UNIQUE_VALUE_KINDS.includes(clientType(type).valueKind);

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

export function generalOf(field?: Field): GeneralDraft {
  return {
    required: field?.required ?? false,
    unique: field?.unique ?? false,
    defaultValue: field?.defaultValue ?? null,
    currentUser: field?.options.defaultCurrentUser === true,
    description: field?.description ?? '',
  };
}

/**
 * The general part of a field's request body; user fields carry "current user" in their options, merged into the
 * options the type's editor built (or the field's own, which PATCH replaces as a whole).
 */
export function generalBody(type: string, g: GeneralDraft, options: Record<string, unknown> | undefined, field: Field | undefined, target: Field): Record<string, unknown> {
  if (isComputed(type)) return { description: g.description, ...(options ? { options } : {}) };
  const body: Record<string, unknown> = { required: g.required, description: g.description };
  if (isUniquable(type)) body.unique = g.unique;
  else if (field?.unique) body.unique = false;
  if (isDefaultable(type)) body.defaultValue = isBlank(g.defaultValue) ? null : toInput(target, g.defaultValue);
  if (type === 'user') {
    const base = options ?? (field?.type === 'user' ? field.options : {});
    const { defaultCurrentUser: _old, ...rest } = base;
    body.options = g.currentUser ? { ...rest, defaultCurrentUser: true } : rest;
  } else if (options) body.options = options;
  return body;
}
