import { z } from 'zod';
import type { FieldDef } from '../catalog/model.js';
import { badRequest, fieldErrors } from '../errors.js';
import { FieldValueError, type FieldType } from '../field-types/field-type.js';
import { containsNul, NUL_MESSAGE, valueProblem } from '../records/validator.js';
import { FIELD_TYPE_IDS, fieldTypes, isFieldTypeId, type FieldTypeId } from '../field-types/registry.js';
import { UNIQUE_VALUE_KINDS } from '../field-types/type-ids.js';
import { nameSchema } from './names.js';
import { assertCanCopy, splitCopyFrom } from './copy-from.js';

export const fieldInputSchema = z
  .object({
    name: nameSchema,
    type: z.string(),
    options: z.record(z.string(), z.unknown()).optional(),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    description: z.string().max(10_000).optional(),
    defaultValue: z.unknown().optional(),
    primary: z.boolean().optional(),
  })
  .strict();
export type FieldInput = z.input<typeof fieldInputSchema>;

export const fieldPatchSchema = fieldInputSchema.partial();
export type FieldPatch = z.input<typeof fieldPatchSchema>;

/** A field definition checked against its type; what the catalog row will hold. */
export interface FieldSpec {
  name: string;
  type: FieldTypeId;
  impl: FieldType<unknown>;
  options: unknown;
  required: boolean;
  unique: boolean;
  description: string;
  defaultValue: unknown;
}

/** A field's definition as the audit log keeps it (the same keys as catalog/model.ts fieldDefinition). */
export function specJson(spec: FieldSpec) {
  return {
    name: spec.name,
    type: spec.type,
    options: spec.options,
    required: spec.required,
    unique: spec.unique,
    description: spec.description,
    defaultValue: spec.defaultValue ?? null,
  };
}

export function parseType(type: string, fieldName: string): FieldTypeId {
  if (isFieldTypeId(type)) return type;
  throw fieldErrors({ [fieldName]: `type "${type}" is not a field type (use one of ${FIELD_TYPE_IDS.join(', ')})` });
}


/** Validates a field's type, options, flags and default value; `before` is the field being changed, if any. */
export function buildFieldSpec(input: z.output<typeof fieldInputSchema>, before?: FieldDef): FieldSpec {
  const type = parseType(input.type, input.name);
  const impl = fieldTypes[type];
  const sameType = before?.type === type;
  const fail = (message: string) => fieldErrors({ [input.name]: message });
  if (containsNul([input.options, input.description, input.defaultValue])) throw fail(NUL_MESSAGE);
  let options: unknown;
  try {
    // copyFrom is an option of any stored field, not of its type: parsed here, bound to the sheet by bindSpec.
    const { rest, copyFrom } = splitCopyFrom(input.options ?? (sameType ? before.options : {}));
    const previous = before && sameType ? splitCopyFrom(before.options).rest : undefined;
    options = impl.parseOptions(rest, previous);
    if (copyFrom) {
      assertCanCopy(impl, type);
      options = { ...(options as object), copyFrom };
    }
  } catch (error) {
    if (error instanceof FieldValueError) throw fail(error.message);
    throw error;
  }
  // A type change keeps required and unique where the new type allows them: a constraint never vanishes silently.
  const uniqueAllowed = UNIQUE_VALUE_KINDS.includes(impl.valueKind) && !impl.system;
  const required = input.required ?? (before && (sameType || !impl.readOnly) ? before.required : false);
  const unique = input.unique ?? (before && (sameType || uniqueAllowed) ? before.unique : false);
  if (impl.readOnly && required) throw fail(`a ${type} field is filled automatically and cannot be required`);
  if (unique && !uniqueAllowed) throw fail(`a ${type} field cannot be unique`);
  const rawDefault = input.defaultValue !== undefined ? input.defaultValue : sameType ? before.defaultValue : undefined;
  return {
    name: input.name,
    type,
    impl,
    options,
    required,
    unique,
    description: input.description ?? before?.description ?? '',
    defaultValue: rawDefault === null || rawDefault === undefined ? undefined : checkDefault(impl, options, rawDefault, fail, input.defaultValue !== undefined),
  };
}

/** A default is stored as the column value it produces (a choice id), so renaming a choice keeps it. */
function checkDefault(impl: FieldType<unknown>, options: unknown, value: unknown, fail: (m: string) => Error, isNew: boolean): unknown {
  if (!isNew) return value;
  if (impl.readOnly) throw fail('a field filled automatically cannot have a default value');
  if (impl.references || impl.resolve) throw fail('this type of field cannot have a default value');
  const problem = valueProblem(impl, options, value);
  if (problem) throw fail(`default value ${problem}`);
  const empty = () => undefined;
  try {
    return impl.toStorage(value, options, { user: empty, attachment: empty });
  } catch (error) {
    if (error instanceof FieldValueError) throw fail(`default value: ${error.message}`);
    throw badRequest(`default value ${JSON.stringify(value)} is not valid`);
  }
}
