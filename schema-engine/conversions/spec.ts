import { z } from 'zod';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { findField, findSheet } from '../catalog/resolve.js';
import type { LinkOptions } from '../computed/sql.js';
import { badRequest } from '../errors.js';
import { nameSchema } from '../schema-changes/names.js';

const ref = z.string().min(1).max(255);
const targetKey = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be a short lowercase key such as "account"');

/**
 * A conversion of a sheet's records (a qualified lead becoming an account, a contact and an opportunity). Sheets and
 * fields are named by name or id when written and stored by id.
 */
export const conversionInputSchema = z
  .object({
    name: nameSchema,
    /** Only records with this value may be converted (Status = Qualified). */
    requires: z.object({ field: ref, value: z.string().max(255) }).strict().optional(),
    /** Written on the converted record (Status = Converted); a record that has it already is not converted twice. */
    mark: z.object({ field: ref, value: z.string().max(255) }).strict().optional(),
    targets: z
      .array(
        z
          .object({
            key: targetKey,
            sheet: ref,
            /** Target field ← source field. */
            fields: z.record(ref, ref),
            /** A target field: an existing record with the same value is linked instead of creating one. */
            match: ref.optional(),
            /** Target link field → the key of an earlier target it links to. */
            links: z.record(ref, targetKey).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(5),
    /** Source link field → the target it links the converted record to. */
    backLinks: z.record(ref, targetKey).optional(),
  })
  .strict();
export type ConversionInput = z.output<typeof conversionInputSchema>;

export interface TargetSpec {
  key: string;
  sheetId: string;
  fields: Record<string, string>;
  match?: string;
  links: Record<string, string>;
}
export interface ConversionSpec {
  requires?: { fieldId: string; value: string };
  mark?: { fieldId: string; value: string };
  targets: TargetSpec[];
  backLinks: Record<string, string>;
}

const fail = (key: string, message: string) => badRequest(`${key}: ${message}`, { fields: { [key]: message } });

function fieldOf(sheet: SheetDef, ref: string, key: string, writable = false): FieldDef {
  const field = findField(sheet, ref);
  if (!field) throw fail(key, `"${sheet.name}" has no field "${ref}"`);
  if (writable && field.impl.readOnly) throw fail(key, `"${field.name}" is computed and cannot be written`);
  return field;
}

function linkTo(field: FieldDef, sheetId: string, key: string): void {
  if (field.type !== 'link' || (field.options as LinkOptions).sheet !== sheetId) throw fail(key, `"${field.name}" is not a link to that sheet`);
}

/** Checks a conversion against the workspace and answers it with ids. */
export function bindConversion(ws: WorkspaceOverview, source: SheetDef, input: ConversionInput): ConversionSpec {
  const targets: TargetSpec[] = [];
  input.targets.forEach((t, i) => {
    const where = `targets.${i}`;
    if (targets.some((x) => x.key === t.key)) throw fail(`${where}.key`, `"${t.key}" is used twice`);
    const sheet = findSheet(ws, t.sheet);
    if (!sheet) throw fail(`${where}.sheet`, `no sheet "${t.sheet}"`);
    const fields: Record<string, string> = {};
    for (const [to, from] of Object.entries(t.fields)) fields[fieldOf(sheet, to, `${where}.fields`, true).id] = fieldOf(source, from, `${where}.fields`).id;
    const links: Record<string, string> = {};
    for (const [to, other] of Object.entries(t.links ?? {})) {
      const target = targets.find((x) => x.key === other);
      if (!target) throw fail(`${where}.links`, `"${other}" is not an earlier target`);
      const field = fieldOf(sheet, to, `${where}.links`);
      linkTo(field, target.sheetId, `${where}.links`);
      links[field.id] = other;
    }
    targets.push({ key: t.key, sheetId: sheet.id, fields, links, ...(t.match ? { match: fieldOf(sheet, t.match, `${where}.match`).id } : {}) });
  });
  const backLinks: Record<string, string> = {};
  for (const [from, key] of Object.entries(input.backLinks ?? {})) {
    const target = targets.find((x) => x.key === key);
    if (!target) throw fail('backLinks', `"${key}" is not a target`);
    const field = fieldOf(source, from, 'backLinks');
    linkTo(field, target.sheetId, 'backLinks');
    backLinks[field.id] = key;
  }
  const choice = (part: 'requires' | 'mark') => {
    const value = input[part];
    return value ? { fieldId: fieldOf(source, value.field, `${part}.field`, true).id, value: value.value } : undefined;
  };
  const requires = choice('requires');
  const mark = choice('mark');
  return { ...(requires ? { requires } : {}), ...(mark ? { mark } : {}), targets, backLinks };
}
