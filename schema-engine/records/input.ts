import type { FieldDef, SheetDef } from '../catalog/model.js';
import { fieldById, findField } from '../catalog/resolve.js';
import { badRequest } from '../errors.js';
import { FieldValueError, type References, type WriteContext } from '../field-types/field-type.js';
import { containsNul, NUL_MESSAGE, validateValues } from './validator.js';

export type WriteMode = 'create' | 'update';

/** Field id → the value to store (null clears it). */
export type StorageValues = Map<string, unknown>;

export interface ParsedInput {
  /** Non-empty values by field id, checked against the sheet's JSON Schema. */
  values: Map<string, unknown>;
  cleared: Set<string>;
  errors: Record<string, string>;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Step one of a write: keys resolved to fields, empties separated, shapes validated by ajv. */
export function parseInput(sheet: SheetDef, input: unknown): ParsedInput {
  const values = new Map<string, unknown>();
  const cleared = new Set<string>();
  const errors: Record<string, string> = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('"fields" must be an object of field names (or ids) and values', { fields: { fields: 'must be an object' } });
  }
  // What ajv checks, built as we go (not from `values` afterwards): a batch parses a thousand of these.
  const shapes: Record<string, unknown> = {};
  const seen = new Set<string>();
  const given = input as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    const raw = given[key];
    const field = findField(sheet, key);
    if (!field) {
      errors[key] = `is not a field of sheet "${sheet.name}"`;
      continue;
    }
    if (seen.has(field.id)) {
      errors[field.name] = 'is given twice (by name and by id)';
      continue;
    }
    seen.add(field.id);
    const value = field.impl.normalize ? field.impl.normalize(raw) : raw;
    if (field.impl.readOnly) {
      errors[field.name] = `is a ${field.type} field, filled automatically; it cannot be written`;
    } else if (containsNul(value)) {
      errors[field.name] = NUL_MESSAGE;
    } else if (isEmpty(value)) {
      cleared.add(field.id);
    } else {
      values.set(field.id, value);
      shapes[field.id] = value;
    }
  }
  if (values.size) {
    for (const [fieldId, message] of validateValues(sheet, shapes)) {
      errors[fieldById(sheet, fieldId)!.name] = message;
      values.delete(fieldId);
    }
  }
  return { values, cleared, errors };
}

/** Ids of users and files the parsed values refer to, to load them in one query each. */
export function collectReferences(sheet: SheetDef, inputs: ParsedInput[]): Required<References> {
  const users = new Set<string>();
  const attachments = new Set<string>();
  for (const input of inputs) {
    for (const [fieldId, value] of input.values) {
      const field = fieldById(sheet, fieldId)!;
      if (!field.impl.references) continue;
      const refs = field.impl.references(value);
      refs?.users?.forEach((u) => users.add(u));
      refs?.attachments?.forEach((a) => attachments.add(a));
    }
  }
  return { users: [...users], attachments: [...attachments] };
}

/** Step two: values converted for storage, defaults applied on create, required fields checked. */
export function toStorageValues(sheet: SheetDef, input: ParsedInput, mode: WriteMode, ctx: WriteContext): StorageValues {
  const result: StorageValues = new Map();
  const errors = input.errors;
  for (const [fieldId, value] of input.values) {
    const field = fieldById(sheet, fieldId)!;
    try {
      result.set(fieldId, field.impl.toStorage(value, field.options, ctx));
    } catch (error) {
      if (!(error instanceof FieldValueError)) throw error;
      errors[field.name] = error.message;
    }
  }
  for (const fieldId of input.cleared) result.set(fieldId, null);
  for (const field of sheet.fields) {
    if (field.impl.readOnly || errors[field.name]) continue;
    if (mode === 'create' && !result.has(field.id)) {
      const value = field.defaultValue !== undefined ? field.defaultValue : field.impl.createDefault?.(field.options, ctx);
      if (value !== undefined && value !== null) result.set(field.id, value);
    }
    if (field.required && isMissing(field, result, mode)) errors[field.name] = 'is required';
  }
  return result;
}

function isMissing(field: FieldDef, values: StorageValues, mode: WriteMode): boolean {
  if (mode === 'update' && !values.has(field.id)) return false;
  const value = values.get(field.id);
  return value === null || value === undefined;
}
