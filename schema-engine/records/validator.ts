import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { FieldType, JsonSchema } from '../field-types/field-type.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

// strictNumbers: Infinity and NaN (JSON.parse reads 1e400 as Infinity) are not numbers a column can hold.
const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true });
addFormats(ajv);

/** The JSON Schema of a sheet's writable values, keyed by field id; empty values are removed before it runs. */
export function sheetSchema(sheet: SheetDef): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of sheet.fields) if (!field.impl.readOnly) properties[field.id] = field.impl.inputSchema(field.options);
  return { type: 'object', properties };
}

/**
 * The same schema for a browser form: keyed by field name, with the required fields and, per field, the sentence
 * the server says for a value of the wrong shape (`x-message`), so the browser shows errors before submitting.
 */
export function formSchema(sheet: SheetDef): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of sheet.fields) {
    if (field.impl.readOnly) continue;
    properties[field.name] = { ...field.impl.inputSchema(field.options), ...(field.impl.invalidMessage ? { 'x-message': field.impl.invalidMessage } : {}) };
    if (field.required) required.push(field.name);
  }
  return { type: 'object', properties, required };
}

// Compiled once per catalog snapshot of a sheet: a schema change makes a new SheetDef, hence a new validator.
const sheetValidators = new WeakMap<SheetDef, ValidateFunction>();

export function sheetValidator(sheet: SheetDef): ValidateFunction {
  let validate = sheetValidators.get(sheet);
  if (!validate) {
    validate = ajv.compile(sheetSchema(sheet));
    sheetValidators.set(sheet, validate);
  }
  return validate;
}

/** Validates values keyed by field id; answers a message per bad field id. */
export function validateValues(sheet: SheetDef, values: Record<string, unknown>): Map<string, string> {
  const validate = sheetValidator(sheet);
  const problems = new Map<string, string>();
  if (validate(values)) return problems;
  for (const error of validate.errors ?? []) {
    const fieldId = error.instancePath.split('/')[1];
    if (!fieldId || problems.has(fieldId)) continue;
    const field = sheet.fields.find((f) => f.id === fieldId);
    if (field) problems.set(fieldId, describe(error, field.impl));
  }
  return problems;
}

/** PostgreSQL text and jsonb cannot hold U+0000: a value or definition containing it is refused, never stored. */
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}

const valueSchemas = new Map<string, ValidateFunction>();

/** Validates one value against a type (default values, filter literals). */
export function valueProblem(impl: FieldType<unknown>, options: unknown, value: unknown): string | undefined {
  const schema = impl.inputSchema(options);
  const key = JSON.stringify(schema);
  let validate = valueSchemas.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    valueSchemas.set(key, validate);
  }
  return validate(value) ? undefined : describe(validate.errors![0]!, impl);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function describe(error: ErrorObject, impl: FieldType<unknown>): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return impl.invalidMessage ?? `must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    case 'minLength':
      return 'must not be empty';
    case 'maximum':
    case 'minimum':
      return impl.invalidMessage ?? `must be ${error.keyword === 'maximum' ? 'at most' : 'at least'} ${String(params.limit)}`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    default:
      return impl.invalidMessage ?? error.message ?? 'is not valid';
  }
}

export type { FieldDef };
