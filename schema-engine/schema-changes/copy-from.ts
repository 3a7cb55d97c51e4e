import { z } from 'zod';
import type { FieldDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { LinkOptions } from '../computed/sql.js';
import { FieldValueError, type FieldType, type OptionScope, type ValueKind } from '../field-types/field-type.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';

/**
 * Copy on pick (Ragic's "link and load"): a stored field's `options.copyFrom` copies a value of the record a link of
 * its sheet is set to, in the write that sets the link, unless that write gives the field itself. The value is then
 * the record's own: a later change of the linked record does not reach it. `again: "on_change"` copies again when the
 * link changes to another record; `"never"` (the default) only when the link goes from empty to set.
 * Applied by records/copy-on-pick.ts.
 */
export interface CopyFrom {
  /** The link field of this sheet (id once bound). */
  readonly link: string;
  /** The field of the linked sheet whose value is copied (id once bound). */
  readonly field: string;
  readonly again: 'never' | 'on_change';
}

const refSchema = z.string().trim().min(1, 'must not be empty').max(200);
export const copyFromSchema = z.object({ link: refSchema, field: refSchema, again: z.enum(['never', 'on_change']).default('never') }).strict();

/** Values that copy as they are: a choice, a person or a file means something else in another sheet. */
const COPYABLE: ReadonlySet<ValueKind> = new Set(['text', 'number', 'boolean', 'date', 'datetime']);

/** A field's copy-on-pick setting, if it has one (options as stored). */
export function copyFromOf(options: unknown): CopyFrom | undefined {
  const value = (options as { copyFrom?: unknown } | null | undefined)?.copyFrom;
  return value && typeof value === 'object' ? (value as CopyFrom) : undefined;
}

/** Options without `copyFrom` (what the field type parses) and the `copyFrom` checked for shape. */
export function splitCopyFrom(options: unknown): { rest: unknown; copyFrom?: CopyFrom } {
  if (!options || typeof options !== 'object' || !('copyFrom' in options)) return { rest: options };
  const { copyFrom, ...rest } = options as Record<string, unknown>;
  if (copyFrom === null || copyFrom === undefined) return { rest };
  const parsed = copyFromSchema.safeParse(copyFrom);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FieldValueError(`options.copyFrom${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  return { rest, copyFrom: parsed.data };
}

/** The value kind of a field as read: a formula or rollup reads as its result. */
function readKind(field: FieldDef): ValueKind | undefined {
  if (field.impl.computed?.list) return undefined;
  const type = field.impl.computed?.result?.type ?? field.type;
  return isFieldTypeId(type) ? fieldTypes[type].valueKind : undefined;
}

/** Only a stored, written field copies, and only a value of a kind it can hold. */
export function assertCanCopy(impl: FieldType<unknown>, type: string): void {
  if (impl.readOnly || impl.resolve || !COPYABLE.has(impl.valueKind)) {
    throw new FieldValueError(`options.copyFrom: a ${type} field cannot copy values (text, number, currency, percent, date, date-time and checkbox fields can)`);
  }
}

/** `copyFrom` bound to ids against the sheet: its link must be a link of the sheet, its field one of the linked sheet's of the same kind. */
export function bindCopyFrom(copy: CopyFrom, impl: FieldType<unknown>, type: string, scope: OptionScope): CopyFrom {
  assertCanCopy(impl, type);
  const link = findField(scope.sheet, copy.link);
  if (!link || link.type !== 'link') throw new FieldValueError(`options.copyFrom.link: "${copy.link}" is not a link field of sheet "${scope.sheet.name}"`);
  const target = scope.ws.sheets.find((s) => s.id === (link.options as LinkOptions).sheet);
  const source = target && findField(target, copy.field);
  if (!target || !source) throw new FieldValueError(`options.copyFrom.field: the linked sheet has no field "${copy.field}"`);
  const kind = readKind(source);
  if (kind !== impl.valueKind) {
    throw new FieldValueError(`options.copyFrom.field: "${source.name}" holds ${kind ? `${kind} values` : 'lists'}, which a ${type} field cannot hold`);
  }
  return { link: link.id, field: source.id, again: copy.again };
}
