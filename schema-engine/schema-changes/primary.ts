import type { SheetDef } from '../catalog/model.js';
import { fieldErrors } from '../errors.js';
import type { FieldType } from '../field-types/field-type.js';
import { sortIndexName } from '../ids.js';
import type { DdlAction } from './ddl.js';
import { sortIndexDdl } from './field-ddl.js';

const NOT_TITLES = new Set(['attachments', 'boolean']);

/** The primary field titles a record in links and lists, so it must show as text. */
export function assertCanBePrimary(field: { name: string; type: string; impl: FieldType<unknown> }): void {
  if (field.type === 'link' || field.type === 'lookup' || NOT_TITLES.has(field.impl.valueKind)) throw fieldErrors({ [field.name]: `a ${field.type} field cannot be the primary field` });
}

/** A sheet's primary field becomes `to`: the sort index moves from the previous one to it (nothing when it already is). */
export function movePrimaryIndex(schema: string, sheet: Pick<SheetDef, 'id' | 'primaryFieldId'>, to: { id: string; impl: FieldType<unknown>; options: unknown }): DdlAction[] {
  if (sheet.primaryFieldId === to.id) return [];
  const drop: DdlAction[] = sheet.primaryFieldId ? [{ kind: 'drop_index', schema, index: sortIndexName(sheet.primaryFieldId) }] : [];
  return [...drop, ...sortIndexDdl({ schema, sheetId: sheet.id, fieldId: to.id, impl: to.impl, options: to.options })];
}
