import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import { ownerField } from '../access/scope.js';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { fieldDefinition, type FieldDef, type SheetDef, type WorkspaceOverview } from '../catalog/model.js';
import { fieldOrThrow, sheetOrThrow } from '../catalog/resolve.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { badRequest, EngineError, fieldErrors } from '../errors.js';
import { columnName, newId, tableName, trashColumnName } from '../ids.js';
import { applySchemaChange } from './apply.js';
import { lockTable } from './lock.js';
import type { DdlAction } from './ddl.js';
import { buildFieldSpec, fieldInputSchema, fieldPatchSchema, parseType, specJson, type FieldSpec } from './field-input.js';
import { dropFieldIndexes, fieldColumnDdl, fieldIndexDdl, isOwnerField, moveSequence } from './field-ddl.js';
import { bumpSheetVersion, fieldRowValues, insertFieldRow } from './field-rows.js';
import { assertNameFree } from './names.js';
import { assertCanBePrimary, movePrimaryIndex } from './primary.js';
import { MAX_FIELDS } from './limits.js';
import type { Actor } from './sheets.js';
import { assertComputes, assertNoDependents, bindSpec, dependentsOf, verifySpec } from './computed-fields.js';
import { addLinkPair, changeRelationship, inverseOf } from './link-fields.js';
import type { LinkOptions } from '../computed/sql.js';
import { choicesFromData, convertedValue, previewConversion, type ConversionPreview } from './type-change.js';

export async function addField(engine: Engine, access: Access, sheetRef: string, input: z.output<typeof fieldInputSchema>): Promise<FieldDef> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const spec = buildFieldSpec(input);
  const fieldId = newId('fld');
  const sheetId = await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const ddl = await planNewField(trx, ws, sheet, fieldId, spec, input.primary ?? false);
    await auditNewField(trx, access, sheet, fieldId, spec);
    return { result: sheet.id, ddl, verify: spec.impl.resolve ? [sheet.id] : [] };
  });
  return fieldOrThrow(sheetOrThrow(await engine.catalog.get(workspaceId), sheetId), fieldId);
}

/** The audit entry of a field added to a sheet (on its own, or with a form's save). */
export async function auditNewField(trx: Transaction<Database>, access: Access, sheet: SheetDef, fieldId: string, spec: FieldSpec): Promise<void> {
  await audit(trx, access, 'field.create', { kind: 'field', id: fieldId, name: spec.name }, undefined, { sheet: { id: sheet.id, name: sheet.name }, ...specJson(spec) });
}

/** A sheet has at most one owner field (a `user` field with `options.owner`): it says whose its records are. */
function assertOneOwnerField(sheet: SheetDef, spec: { type: string; options: unknown }, exceptId?: string): void {
  if (spec.type !== 'user' || (spec.options as { owner?: boolean } | null)?.owner !== true) return;
  const other = ownerField(sheet);
  if (other && other.id !== exceptId) throw fieldErrors({ 'options.owner': `"${other.name}" is the owner field of "${sheet.name}" already; a sheet has one` });
}

/** A new field's catalog rows (a link's inverse too) and its DDL; computed fields must compute. */
export async function planNewField(
  trx: Transaction<Database>,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  fieldId: string,
  input: FieldSpec,
  primary: boolean,
  at?: number,
): Promise<DdlAction[]> {
  assertNameFree(sheet.fields, input.name, 'field');
  assertOneOwnerField(sheet, input);
  if (sheet.fields.length >= MAX_FIELDS) throw badRequest(`A sheet can have at most ${MAX_FIELDS} fields`);
  const spec = bindSpec(input, { ws, sheet, fieldId });
  await verifySpec(trx, spec, { ws, sheet, fieldId });
  const position = at ?? Math.max(-1, ...sheet.fields.map((f) => f.position)) + 1;
  let ddl: DdlAction[];
  if (spec.type === 'link') {
    ddl = await addLinkPair(trx, ws, sheet, fieldId, spec, position);
  } else {
    await insertFieldRow(trx, { id: fieldId, workspaceId: ws.id, sheetId: sheet.id, position }, spec);
    ddl = fieldColumnDdl({ schema: ws.schema, sheetId: sheet.id, fieldId, ...spec });
  }
  if (primary) ddl.push(...(await setPrimary(trx, ws, sheet, { id: fieldId, ...spec })));
  await bumpSheetVersion(trx, sheet.id);
  if (spec.impl.resolve && spec.type !== 'link') await assertComputes(trx, ws.id, sheet.id, fieldId);
  return ddl;
}

export interface UpdateFieldFlags {
  dryRun?: boolean;
  force?: boolean;
}

export type UpdateFieldResult = { kind: 'field'; field: FieldDef } | { kind: 'preview'; preview: ConversionPreview };

/**
 * Renames, re-options and retypes a field. A type change converts every value in SQL into a new column; the old
 * column goes to the trash with the old definition, so the change can be undone with its data.
 */
export async function updateField(
  engine: Engine,
  access: Access,
  sheetRef: string,
  fieldRef: string,
  patch: z.output<typeof fieldPatchSchema>,
  flags: UpdateFieldFlags,
  actor: Actor,
): Promise<UpdateFieldResult> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  type Outcome = { kind: 'preview'; preview: ConversionPreview } | { kind: 'field'; fieldId: string; sheetId: string };
  const outcome = await applySchemaChange<Outcome>(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const field = fieldOrThrow(sheet, fieldRef);
    const name = patch.name ?? field.name;
    if (name !== field.name) assertNameFree(sheet.fields, name, 'field', field.id);
    const type = parseType(patch.type ?? field.type, name);
    const typeChanged = type !== field.type;
    if (typeChanged && !flags.dryRun) await lockTable(trx, ws.schema, tableName(field.sheetId));
    if (typeChanged && (type === 'link' || field.type === 'link')) {
      throw fieldErrors({ [field.name]: `a ${field.type} field cannot become a ${type} field; add a new field instead` });
    }
    let options = patch.options;
    if (typeChanged && (type === 'single_select' || type === 'multi_select') && !Array.isArray(options?.choices)) {
      // A select becoming a select keeps its choices (ids, colors, unused ones), as in Airtable; otherwise the
      // distinct values become the choices.
      const kept = field.type === 'single_select' || field.type === 'multi_select' ? (field.options as { choices: unknown[] }).choices : undefined;
      options = { ...options, choices: kept ?? (await choicesFromData(trx, ws, field, type === 'multi_select')) };
    }
    const built = buildFieldSpec({ ...patch, name, type, options }, field);
    assertOneOwnerField(sheet, built, field.id);
    const spec = typeChanged || patch.options !== undefined ? bindSpec(built, { ws, sheet, fieldId: field.id }) : built;
    if (spec !== built) await verifySpec(trx, spec, { ws, sheet, fieldId: field.id });
    const primary = field.id === sheet.primaryFieldId;
    if (primary) assertCanBePrimary(spec);
    if (type === 'link' && (spec.options as LinkOptions).sheet !== (field.options as LinkOptions).sheet) {
      throw fieldErrors({ [field.name]: 'options.sheet: a link cannot be moved to another sheet; add a new link instead' });
    }

    if (flags.dryRun) return { result: { kind: 'preview', preview: await previewConversion(trx, ws, field, spec) }, ddl: [] };

    const ddl: DdlAction[] = [];
    if (typeChanged) {
      const preview = await previewConversion(trx, ws, field, spec);
      if (preview.unconvertibleCount > 0 && !flags.force) {
        throw new EngineError(
          'unconvertible',
          `${preview.unconvertibleCount} value(s) of "${field.name}" cannot become ${type}; nothing was changed. Send ?force=true to convert anyway (the old values stay in the trash).`,
          { unconvertible: preview.unconvertible, unconvertibleCount: preview.unconvertibleCount },
        );
      }
      ddl.push(...(await retype(trx, ws, field, spec, primary, actor)));
    } else if (spec.unique !== field.unique || isOwnerField(spec.impl, spec.options) !== isOwnerField(field.impl, field.options)) {
      ddl.push(...dropFieldIndexes(ws.schema, field.id), ...fieldIndexDdl({ schema: ws.schema, sheetId: sheet.id, fieldId: field.id, ...spec, primary }));
    } else if (type === 'link') {
      ddl.push(...(await changeRelationship(trx, ws, field, (spec.options as LinkOptions).relationship)));
    }
    await trx.updateTable('fields').set(fieldRowValues(spec)).where('id', '=', field.id).execute();
    if (patch.primary) ddl.push(...(await setPrimary(trx, ws, sheet, { id: field.id, ...spec })));
    await bumpSheetVersion(trx, sheet.id);
    if (spec.impl.resolve && type !== 'link') await assertComputes(trx, ws.id, sheet.id, field.id);
    // A type change is its own action: it converts every value (and can be undone from the trash).
    const { id: _id, ...before } = fieldDefinition(field);
    await audit(trx, access, typeChanged ? 'field.retype' : 'field.update', { kind: 'field', id: field.id, name }, { sheet: { id: sheet.id, name: sheet.name }, ...before }, {
      sheet: { id: sheet.id, name: sheet.name },
      ...specJson(spec),
      ...(patch.primary ? { primary: true } : {}),
    });
    // The field's sheet and those computing from it must still read.
    const verify = [sheet.id, ...dependentsOf(ws, new Set([field.id])).map((f) => f.sheetId)];
    return { result: { kind: 'field' as const, fieldId: field.id, sheetId: sheet.id }, ddl, verify: spec.impl.resolve || verify.length > 1 ? verify : [] };
  });
  if (outcome.kind === 'preview') return { kind: 'preview', preview: outcome.preview };
  const sheet = sheetOrThrow(await engine.catalog.get(workspaceId), outcome.sheetId);
  return { kind: 'field', field: fieldOrThrow(sheet, outcome.fieldId) };
}

/** Puts the current column aside in the trash and fills a new one with the converted values (and indexes). */
async function retype(trx: Transaction<Database>, ws: WorkspaceOverview, field: FieldDef, spec: FieldSpec, primary: boolean, actor: Actor): Promise<DdlAction[]> {
  const trashId = newId('trs');
  const table = tableName(field.sheetId);
  const oldStorage = field.impl.system ? null : field.impl.storage(field.options);
  const keptColumn = oldStorage === null ? null : trashColumnName(trashId);
  await trx
    .insertInto('trash')
    .values({
      id: trashId,
      workspace_id: ws.id,
      kind: 'field_version',
      sheet_id: field.sheetId,
      field_id: field.id,
      name: field.name,
      payload: JSON.stringify({ field: fieldDefinition(field), column: keptColumn }),
      deleted_by: actor.userId,
    })
    .execute();
  const ddl: DdlAction[] = [...dropFieldIndexes(ws.schema, field.id)];
  if (keptColumn) {
    ddl.push({ kind: 'rename_column', schema: ws.schema, table, from: columnName(field.id), to: keptColumn });
    ddl.push(...moveSequence(ws.schema, field.impl, field.id, trashId));
  }
  const [add, ...rest] = fieldColumnDdl({ schema: ws.schema, sheetId: field.sheetId, fieldId: field.id, ...spec, primary });
  if (add) {
    ddl.push(add);
    // Values come from the kept column, or from the system column a created_time/created_by field showed, or from
    // what a computed field computed (a formula becoming text keeps its results).
    const source = keptColumn ?? (field.impl.system || field.impl.computed ? columnName(field.id) : null);
    if (!spec.impl.sequence && source) {
      ddl.push({ kind: 'fill_column', schema: ws.schema, table, column: columnName(field.id), value: convertedValue(ws, field, source, spec) });
    }
    ddl.push(...rest);
  }
  return ddl;
}

/** Makes the field the sheet's primary one; answers the DDL that moves the sort index to it. */
async function setPrimary(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, field: FieldSpec & { id: string }): Promise<DdlAction[]> {
  assertCanBePrimary(field);
  await trx.updateTable('sheets').set({ primary_field_id: field.id }).where('id', '=', sheet.id).execute();
  return movePrimaryIndex(ws.schema, sheet, field);
}

/**
 * A deleted field keeps its column and values until the trash is emptied. A link takes its inverse along (one trash
 * item restores both, links intact). Fields computed from it make the delete a 409 unless forced.
 */
export async function deleteField(engine: Engine, access: Access, sheetRef: string, fieldRef: string, actor: Actor, force = false): Promise<void> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const field = fieldOrThrow(sheet, fieldRef);
    const inverse = inverseOf(ws, field);
    const pair = inverse ? [field, inverse] : [field];
    for (const f of pair) {
      const owner = ws.sheets.find((s) => s.id === f.sheetId)!;
      if (f.id === owner.primaryFieldId) throw fieldErrors({ [f.name]: 'the primary field cannot be deleted; make another field primary first' });
    }
    assertNoDependents(ws, new Set(pair.map((f) => f.id)), `"${field.name}"`, force);
    await trx.updateTable('fields').set({ deleted_at: new Date() }).where('id', 'in', pair.map((f) => f.id)).execute();
    await trx
      .insertInto('trash')
      .values({
        id: newId('trs'),
        workspace_id: ws.id,
        kind: 'field',
        sheet_id: sheet.id,
        field_id: field.id,
        name: field.name,
        payload: JSON.stringify(inverse ? { also: [inverse.id] } : {}),
        deleted_by: actor.userId,
      })
      .execute();
    for (const sheetId of new Set(pair.map((f) => f.sheetId))) await bumpSheetVersion(trx, sheetId);
    const { id: _id, ...before } = fieldDefinition(field);
    const also = inverse ? { alsoDeleted: { id: inverse.id, name: inverse.name, sheetId: inverse.sheetId } } : {};
    await audit(trx, access, 'field.delete', { kind: 'field', id: field.id, name: field.name }, { sheet: { id: sheet.id, name: sheet.name }, ...before, ...also }, undefined);
    return { result: undefined, ddl: [] };
  });
}
