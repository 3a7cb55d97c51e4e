import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { JsonSchema } from '../field-types/field-type.js';
import type { SheetGrant } from '../access/model.js';

/** Component names of one sheet's schemas: by sheet id, as component keys allow only `[A-Za-z0-9._-]`. */
export const schemaNames = (sheet: SheetDef) => ({
  fields: `${sheet.id}.Fields`,
  input: `${sheet.id}.Input`,
  createInput: `${sheet.id}.CreateInput`,
  record: `${sheet.id}.Record`,
  list: `${sheet.id}.RecordList`,
});

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** What the document says of a field besides its value's type: its type id and the description its designer wrote. */
function annotations(field: FieldDef): JsonSchema {
  return { 'x-field-type': field.type, ...(field.description ? { description: field.description } : {}) };
}

/**
 * A field's value as records answer it, from its type module (`outputSchema`). Computed and system fields, and those
 * the caller's role may only read, are marked readOnly.
 */
function readSchema(field: FieldDef, grant: SheetGrant): JsonSchema {
  const readOnly = field.impl.readOnly || grant.readOnly.has(field.id);
  return { ...field.impl.outputSchema(field.options), ...annotations(field), ...(readOnly ? { readOnly: true } : {}) };
}

/** The fields the caller may write, each as a write takes it (`inputSchema`, the schema the server validates with). */
function writableFields(sheet: SheetDef, grant: SheetGrant): FieldDef[] {
  return sheet.fields.filter((f) => !f.impl.readOnly && !grant.readOnly.has(f.id));
}

/**
 * One sheet's schemas as the caller sees it (`sheet` is the narrowed one: hidden fields are not in it). Keys of
 * `fields` are the real field names; empty values are omitted from records, so no read property is required.
 */
export function sheetSchemas(sheet: SheetDef, grant: SheetGrant): Record<string, JsonSchema> {
  const names = schemaNames(sheet);
  // A field with no value (a button) is never in a record.
  const readProperties = Object.fromEntries(sheet.fields.filter((f) => !f.impl.valueless).map((f) => [f.name, readSchema(f, grant)]));
  const writable = writableFields(sheet, grant);
  const writeProperties = Object.fromEntries(
    writable.map((f) => [f.name, { ...f.impl.inputSchema(f.options), ...annotations(f), ...(f.impl.invalidMessage ? { 'x-message': f.impl.invalidMessage } : {}) }]),
  );
  // A required field with a default value is filled when left out.
  const required = writable.filter((f) => f.required && (f.defaultValue === null || f.defaultValue === undefined)).map((f) => f.name);
  const title = (what: string) => `${sheet.name}: ${what}`;
  return {
    [names.fields]: { title: title('fields'), type: 'object', properties: readProperties, additionalProperties: false },
    [names.input]: {
      title: title('fields as written'),
      description: 'A field may also be named by its id. Writing null or an empty value clears it.',
      type: 'object',
      properties: writeProperties,
    },
    [names.createInput]: required.length ? { title: title('a new record'), allOf: [ref(names.input)], required } : { title: title('a new record'), allOf: [ref(names.input)] },
    [names.record]: {
      title: title('record'),
      type: 'object',
      required: ['id', 'version', 'createdAt', 'updatedAt', 'fields'],
      properties: {
        id: { type: 'string' },
        version: { type: 'integer' },
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
        fields: ref(names.fields),
        can: {
          description: 'With `include=can`: what the caller may do with this record.',
          type: 'object',
          properties: { update: { type: 'boolean' }, delete: { type: 'boolean' } },
        },
      },
      additionalProperties: false,
    },
    [names.list]: {
      title: title('records'),
      type: 'object',
      required: ['records', 'nextCursor'],
      properties: {
        records: { type: 'array', items: ref(names.record) },
        nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last one.' },
        total: { type: 'integer', description: 'With `count=true`: how many records match.' },
      },
      additionalProperties: false,
    },
  };
}
