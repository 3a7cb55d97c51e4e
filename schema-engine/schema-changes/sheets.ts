import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import { fieldDefinition } from '../catalog/model.js';
import { z } from 'zod';
import { findField, sheetOrThrow } from '../catalog/resolve.js';
import type { SheetDef } from '../catalog/model.js';
import type { Engine } from '../engine.js';
import { badRequest, fieldErrors } from '../errors.js';
import { newId, tableName } from '../ids.js';
import { applySchemaChange } from './apply.js';
import type { DdlAction } from './ddl.js';
import { buildFieldSpec, fieldInputSchema } from './field-input.js';
import { copyFromOf } from './copy-from.js';
import { fieldColumnDdl } from './field-ddl.js';
import { planNewField } from './fields.js';
import { loadWorkspace } from '../catalog/load.js';
import type { LinkOptions } from '../computed/sql.js';
import { bumpSheetVersion, insertFieldRow } from './field-rows.js';
import { assertNameFree, findClash, nameColumns, nameSchema } from './names.js';
import { assertCanBePrimary, movePrimaryIndex } from './primary.js';
import { MAX_FIELDS } from './limits.js';
import { specJson } from './field-input.js';

export { MAX_FIELDS };

export const createSheetSchema = z.object({ name: nameSchema, fields: z.array(fieldInputSchema).max(MAX_FIELDS).optional() }).strict();
export const patchSheetSchema = z.object({ name: nameSchema.optional(), primaryField: z.string().optional() }).strict();

export interface Actor {
  userId: string | null;
}

export async function createSheet(engine: Engine, access: Access, input: z.output<typeof createSheetSchema>): Promise<SheetDef> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const inputs = input.fields?.length ? input.fields : [{ name: 'Name', type: 'text' }];
  const clash = findClash(inputs);
  if (clash) {
    const [first, second] = clash;
    throw fieldErrors({ [second.name]: first.name === second.name ? 'two fields of this sheet have this name' : `looks the same as "${first.name}": two fields of this sheet have this name` });
  }
  const specs = inputs.map((f) => buildFieldSpec(f));
  const primaryIndexes = inputs.flatMap((f, i) => (f.primary ? [i] : []));
  if (primaryIndexes.length > 1) throw badRequest('Only one field can be the primary field', { fields: { primary: 'set on more than one field' } });
  const primaryIndex = primaryIndexes[0] ?? 0;
  assertCanBePrimary(specs[primaryIndex]!);

  const sheetId = newId('sht');
  // Links, lookups, rollups and formulas refer to other fields: they are added once the plain fields exist.
  const relational = (i: number) => specs[i]!.impl.resolve !== undefined || copyFromOf(specs[i]!.options) !== undefined;
  await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    assertNameFree(ws.sheets, input.name, 'sheet');
    const fieldIds = specs.map(() => newId('fld'));
    await trx
      .insertInto('sheets')
      .values({ id: sheetId, workspace_id: workspaceId, ...nameColumns(input.name), primary_field_id: relational(primaryIndex) ? null : fieldIds[primaryIndex]!, position: ws.sheets.length })
      .execute();
    const ddl: DdlAction[] = [{ kind: 'create_table', schema: ws.schema, table: tableName(sheetId) }];
    for (const [i, spec] of specs.entries()) {
      if (relational(i)) continue;
      await insertFieldRow(trx, { id: fieldIds[i]!, workspaceId, sheetId, position: i }, spec);
      ddl.push(...fieldColumnDdl({ schema: ws.schema, sheetId, fieldId: fieldIds[i]!, ...spec, primary: i === primaryIndex }));
    }
    let verify: string[] = [];
    for (const [i, spec] of specs.entries()) {
      if (!relational(i)) continue;
      const now = (await loadWorkspace(trx, workspaceId))!;
      ddl.push(...(await planNewField(trx, now, now.sheets.find((s) => s.id === sheetId)!, fieldIds[i]!, spec, i === primaryIndex, i)));
      verify = [sheetId];
    }
    const after = { name: input.name, fields: specs.map((spec, i) => ({ id: fieldIds[i]!, ...specJson(spec) })), primaryFieldId: fieldIds[primaryIndex]! };
    await audit(trx, access, 'sheet.create', { kind: 'sheet', id: sheetId, name: input.name }, undefined, after);
    return { result: undefined, ddl, verify };
  });
  return sheetOrThrow(await engine.catalog.get(workspaceId), sheetId);
}

export async function updateSheet(engine: Engine, access: Access, sheetRef: string, input: z.output<typeof patchSheetSchema>): Promise<SheetDef> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const sheetId = await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const changes: { name?: string; name_key?: string; primary_field_id?: string } = {};
    const ddl: DdlAction[] = [];
    if (input.name !== undefined) {
      assertNameFree(ws.sheets, input.name, 'sheet', sheet.id);
      Object.assign(changes, nameColumns(input.name));
    }
    if (input.primaryField !== undefined) {
      const field = findField(sheet, input.primaryField);
      if (!field) throw badRequest(`Field "${input.primaryField}" does not exist in sheet "${sheet.name}"`, { fields: { primaryField: 'no such field' } });
      assertCanBePrimary(field);
      changes.primary_field_id = field.id;
      ddl.push(...movePrimaryIndex(ws.schema, sheet, field));
    }
    if (Object.keys(changes).length) {
      await trx.updateTable('sheets').set(changes).where('id', '=', sheet.id).execute();
      await bumpSheetVersion(trx, sheet.id);
      const before = { name: sheet.name, primaryFieldId: sheet.primaryFieldId };
      const after = { name: changes.name ?? sheet.name, primaryFieldId: changes.primary_field_id ?? sheet.primaryFieldId };
      await audit(trx, access, 'sheet.update', { kind: 'sheet', id: sheet.id, name: after.name }, before, after);
    }
    return { result: sheet.id, ddl };
  });
  return sheetOrThrow(await engine.catalog.get(workspaceId), sheetId);
}

/**
 * A deleted sheet keeps its table and rows; the trash entry brings it back. The other side of its links goes to the
 * trash with it (and comes back with it); fields computed through them read as errors meanwhile.
 */
export async function deleteSheet(engine: Engine, access: Access, sheetRef: string, actor: Actor): Promise<void> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  await applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const sheet = sheetOrThrow(ws, sheetRef);
    const inverses = ws.sheets
      .filter((s) => s.id !== sheet.id)
      .flatMap((s) => s.fields)
      .filter((f) => f.type === 'link' && (f.options as LinkOptions).sheet === sheet.id);
    await trx.updateTable('sheets').set({ deleted_at: new Date() }).where('id', '=', sheet.id).execute();
    if (inverses.length) {
      await trx.updateTable('fields').set({ deleted_at: new Date() }).where('id', 'in', inverses.map((f) => f.id)).execute();
      for (const sheetId of new Set(inverses.map((f) => f.sheetId))) await bumpSheetVersion(trx, sheetId);
    }
    await trx
      .insertInto('trash')
      .values({
        id: newId('trs'),
        workspace_id: workspaceId,
        kind: 'sheet',
        sheet_id: sheet.id,
        field_id: null,
        name: sheet.name,
        payload: JSON.stringify(inverses.length ? { also: inverses.map((f) => f.id) } : {}),
        deleted_by: actor.userId,
      })
      .execute();
    const before = { name: sheet.name, primaryFieldId: sheet.primaryFieldId, fields: sheet.fields.map(fieldDefinition), alsoDeleted: inverses.map((f) => ({ id: f.id, name: f.name, sheetId: f.sheetId })) };
    await audit(trx, access, 'sheet.delete', { kind: 'sheet', id: sheet.id, name: sheet.name }, before, undefined);
    return { result: undefined, ddl: [] };
  });
}
