import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import type { Transaction } from 'kysely';
import { fieldDefinition, type FieldDef, type WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, notFound } from '../errors.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { columnName, newId, tableName } from '../ids.js';
import { applySchemaChange } from '../schema-changes/apply.js';
import type { DdlAction } from '../schema-changes/ddl.js';
import { dropFieldIndexes, fieldIndexDdl, moveSequence } from '../schema-changes/field-ddl.js';
import { bumpSheetVersion, fieldRowValues } from '../schema-changes/field-rows.js';
import { freeName, nameColumns } from '../schema-changes/names.js';
import type { Actor } from '../schema-changes/sheets.js';

export interface TrashItem {
  id: string;
  kind: 'sheet' | 'field' | 'field_version';
  name: string;
  sheetId: string;
  fieldId: string | null;
  deletedAt: string;
  deletedBy: string | null;
}

export async function listTrash(engine: Engine, access: Access): Promise<TrashItem[]> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const rows = await engine.db
    .selectFrom('trash')
    .select(['id', 'kind', 'name', 'sheet_id', 'field_id', 'deleted_at', 'deleted_by'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('deleted_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as TrashItem['kind'],
    name: r.name,
    sheetId: r.sheet_id,
    fieldId: r.field_id,
    deletedAt: r.deleted_at.toISOString(),
    deletedBy: r.deleted_by,
  }));
}

interface FieldVersionPayload {
  field: ReturnType<typeof fieldDefinition>;
  column: string | null;
}

/** Brings a sheet, a field or a field's previous type back with its data; answers what was restored. */
export async function restoreFromTrash(engine: Engine, access: Access, trashId: string, actor: Actor): Promise<{ kind: string; sheetId: string; fieldId: string | null }> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  return applySchemaChange(engine, workspaceId, async (trx, ws) => {
    const item = await trx.selectFrom('trash').selectAll().where('id', '=', trashId).where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (!item) throw notFound(`Trash item "${trashId}"`);
    const ddl: DdlAction[] = [];
    const deleted = { deletedAt: item.deleted_at.toISOString(), deletedBy: item.deleted_by };
    if (item.kind === 'sheet') {
      const name = freeName(ws.sheets, item.name);
      await trx.updateTable('sheets').set({ deleted_at: null, ...nameColumns(name), position: ws.sheets.length }).where('id', '=', item.sheet_id).execute();
      await restoreAlso(trx, ws, item.payload);
      await audit(trx, access, 'sheet.restore', { kind: 'sheet', id: item.sheet_id, name }, { name: item.name, ...deleted }, { name });
    } else {
      const sheet = ws.sheets.find((s) => s.id === item.sheet_id);
      if (!sheet) throw new EngineError('conflict', `The sheet of "${item.name}" is in the trash; restore the sheet first`);
      const inSheet = { sheet: { id: sheet.id, name: sheet.name } };
      if (item.kind === 'field') {
        const name = freeName(sheet.fields, item.name);
        await trx.updateTable('fields').set({ deleted_at: null, ...nameColumns(name) }).where('id', '=', item.field_id!).execute();
        await restoreAlso(trx, ws, item.payload, { sheetId: sheet.id, name });
        await audit(trx, access, 'field.restore', { kind: 'field', id: item.field_id, name }, { ...inSheet, name: item.name, ...deleted }, { ...inSheet, name });
      } else {
        const field = sheet.fields.find((f) => f.id === item.field_id);
        if (!field) throw new EngineError('conflict', `The field "${item.name}" is in the trash; restore the field first`);
        ddl.push(...(await swapFieldVersion(trx, ws, field, item.id, item.payload as FieldVersionPayload, actor)));
        // Undoing a type change: the field's definition goes back to the kept one (its name stays).
        const { id: _current, ...before } = fieldDefinition(field);
        const { id: _previous, ...after } = (item.payload as FieldVersionPayload).field;
        await audit(trx, access, 'field.restore_version', { kind: 'field', id: field.id, name: field.name }, { ...inSheet, ...before }, { ...inSheet, ...after, name: field.name });
      }
      await bumpSheetVersion(trx, sheet.id);
    }
    await trx.deleteFrom('trash').where('id', '=', trashId).execute();
    return { result: { kind: item.kind, sheetId: item.sheet_id, fieldId: item.field_id }, ddl };
  });
}

/**
 * Fields deleted along with the item (a link's other side), back on their sheets under a free name. A field whose
 * sheet is itself in the trash stays there until that sheet comes back.
 */
async function restoreAlso(trx: Transaction<Database>, ws: WorkspaceOverview, payload: unknown, restored?: { sheetId: string; name: string }): Promise<void> {
  const ids = (payload as { also?: string[] } | null)?.also ?? [];
  if (!ids.length) return;
  const rows = await trx.selectFrom('fields').select(['id', 'name', 'sheet_id']).where('id', 'in', ids).execute();
  for (const row of rows) {
    const sheet = ws.sheets.find((s) => s.id === row.sheet_id);
    if (!sheet) continue;
    const name = freeName([...sheet.fields, ...(restored?.sheetId === sheet.id ? [restored] : [])], row.name);
    await trx.updateTable('fields').set({ deleted_at: null, ...nameColumns(name) }).where('id', '=', row.id).execute();
    await bumpSheetVersion(trx, sheet.id);
  }
}

/**
 * Undoing a type change: the current column goes to the trash in turn (so the undo can be undone) and the kept
 * column and definition come back.
 */
async function swapFieldVersion(
  trx: Transaction<Database>,
  ws: WorkspaceOverview,
  field: FieldDef,
  trashId: string,
  payload: FieldVersionPayload,
  actor: Actor,
): Promise<DdlAction[]> {
  const previous = payload.field;
  if (!isFieldTypeId(previous.type)) throw new Error(`trash holds unknown type ${previous.type}`);
  const table = tableName(field.sheetId);
  const current = columnName(field.id);
  const newTrashId = newId('trs');
  const currentHasColumn = !field.impl.system && field.impl.storage(field.options) !== null;
  const parkedColumn = currentHasColumn ? `t_${newTrashId}` : null;
  await trx
    .insertInto('trash')
    .values({
      id: newTrashId,
      workspace_id: ws.id,
      kind: 'field_version',
      sheet_id: field.sheetId,
      field_id: field.id,
      name: field.name,
      payload: JSON.stringify({ field: fieldDefinition(field), column: parkedColumn }),
      deleted_by: actor.userId,
    })
    .execute();
  const impl = fieldTypes[previous.type];
  const ddl: DdlAction[] = [...dropFieldIndexes(ws.schema, field.id)];
  if (parkedColumn) {
    ddl.push({ kind: 'rename_column', schema: ws.schema, table, from: current, to: parkedColumn });
    ddl.push(...moveSequence(ws.schema, field.impl, field.id, newTrashId));
  }
  if (payload.column) {
    ddl.push({ kind: 'rename_column', schema: ws.schema, table, from: payload.column, to: current });
    ddl.push(...moveSequence(ws.schema, impl, trashId, field.id));
  }
  const primary = ws.sheets.some((s) => s.primaryFieldId === field.id);
  ddl.push(...fieldIndexDdl({ schema: ws.schema, sheetId: field.sheetId, fieldId: field.id, impl, options: previous.options, unique: previous.unique, primary }));
  await trx
    .updateTable('fields')
    .set(fieldRowValues({ ...previous, name: field.name, defaultValue: previous.defaultValue ?? undefined }))
    .where('id', '=', field.id)
    .execute();
  return ddl;
}
