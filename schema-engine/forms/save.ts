import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { loadWorkspace } from '../catalog/load.js';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { sheetOrThrow } from '../catalog/resolve.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { badRequest, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { transact } from '../transaction.js';
import { applySchemaChange } from '../schema-changes/apply.js';
import type { DdlAction } from '../schema-changes/ddl.js';
import { buildFieldSpec, fieldInputSchema } from '../schema-changes/field-input.js';
import { auditNewField, planNewField } from '../schema-changes/fields.js';
import { assertNameFree, nameSchema } from '../schema-changes/names.js';
import { bindLayout } from './bind.js';
import { auditForm, conflict, formJson, formOf, formRows, formsOf, makeDefault, type FormJson } from './forms.js';
import { formLayoutSchema, type FormLayout } from './layout.js';

const MAX_NEW_FIELDS = 50;

export const formPatchSchema = z
  .object({
    name: nameSchema.optional(),
    layout: formLayoutSchema.optional(),
    version: z.number().int().optional(),
    isDefault: z.literal(true).optional(),
    /** Fields dropped onto the form as new types: created with the save; the layout names each by its `ref`. */
    newFields: z.array(z.object({ ref: z.string().min(1).max(60), field: fieldInputSchema }).strict()).max(MAX_NEW_FIELDS).optional(),
  })
  .strict();
export type FormPatch = z.output<typeof formPatchSchema>;

/**
 * Saves a form's draft (and renames it, or makes it the default). A layout save names the draft version it edited:
 * a draft saved meanwhile by someone else answers 409 with theirs. New fields are created in the same transaction
 * as the draft, so a refused save creates none.
 */
export async function updateForm(engine: Engine, access: Access, sheetRef: string, formId: string, patch: FormPatch): Promise<FormJson> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const sheet = sheetOrThrow(await engine.catalog.get(workspaceId), sheetRef);
  const form = await formOf(engine.db, sheet, formId);
  if (patch.version !== undefined && patch.version !== form.version) throw conflict(form);
  if (patch.name !== undefined) assertNameFree(await formsOf(engine.db, sheet), patch.name, 'form', form.id);
  if (patch.newFields?.length && !patch.layout) throw badRequest('newFields: new fields are created with a layout that places them', { fields: { newFields: 'needs a layout' } });
  // Everything the patch changes, and its audit entry, in one transaction.
  const write = async (trx: Transaction<Database>, ws: WorkspaceOverview, current: SheetDef, placeholders: ReadonlyMap<string, string>) => {
    if (patch.layout) await saveDraft(trx, ws, current, form, patch.layout, placeholders, patch);
    else if (patch.name !== undefined) await trx.updateTable('forms').set({ name: patch.name, updated_at: new Date() }).where('id', '=', form.id).execute();
    if (patch.isDefault) await makeDefault(trx, current, form.id);
    await auditForm(trx, access, 'form.update', current, form);
  };
  const newFields = patch.newFields ?? [];
  if (patch.layout && newFields.length) {
    await applySchemaChange(engine, workspaceId, async (trx, ws) => {
      const s = sheetOrThrow(ws, sheet.id);
      const { ddl, placeholders, after } = await createFields(trx, access, ws, s, newFields);
      await write(trx, after, sheetOrThrow(after, sheet.id), placeholders);
      return { result: null, ddl, verify: [] };
    });
  } else {
    const ws = await engine.catalog.get(workspaceId);
    await transact(engine.db, (trx) => write(trx, ws, sheet, new Map()));
  }
  const latest = sheetOrThrow(await engine.catalog.get(workspaceId), sheet.id);
  return formOf(engine.db, latest, form.id);
}

async function createFields(trx: Transaction<Database>, access: Access, ws: WorkspaceOverview, sheet: SheetDef, newFields: NonNullable<FormPatch['newFields']>) {
  const placeholders = new Map<string, string>();
  const ddl: DdlAction[] = [];
  let current = ws;
  for (const { ref, field } of newFields) {
    if (placeholders.has(ref)) throw badRequest(`newFields: "${ref}" is used twice`, { fields: { newFields: `"${ref}" is used twice` } });
    const id = newId('fld');
    const spec = buildFieldSpec(field);
    ddl.push(...(await planNewField(trx, current, sheetOrThrow(current, sheet.id), id, spec, false)));
    await auditNewField(trx, access, sheet, id, spec);
    placeholders.set(ref, id);
    // The next field (and the layout) must see this one: its name taken, its id known.
    current = (await loadWorkspace(trx, ws.id))!;
  }
  return { ddl, placeholders, after: current };
}

async function saveDraft(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, form: FormJson, layout: FormLayout, placeholders: ReadonlyMap<string, string>, patch: FormPatch): Promise<void> {
  const draft = bindLayout(ws, sheet, layout, placeholders);
  const result = await trx
    .updateTable('forms')
    .set((eb) => ({ draft: JSON.stringify(draft), name: patch.name ?? form.name, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', form.id)
    .where('version', '=', patch.version ?? form.version)
    .executeTakeFirst();
  if (!result.numUpdatedRows) {
    const [row] = await formRows(trx, sheet, form.id);
    if (!row) throw notFound(`Form "${form.id}"`);
    throw conflict(formJson(sheet, row));
  }
}

/** Makes an earlier published version the draft again (publish it to bring it back for staff). */
export async function restoreFormVersion(engine: Engine, access: Access, sheetRef: string, formId: string, version: number, draftVersion: number | undefined): Promise<FormJson> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const sheet = sheetOrThrow(await engine.catalog.get(workspaceId), sheetRef);
  const form = await formOf(engine.db, sheet, formId);
  const row = await engine.db.selectFrom('form_versions').select('layout').where('form_id', '=', formId).where('version', '=', version).executeTakeFirst();
  if (!row) throw notFound(`Version ${version} of form "${form.name}"`);
  const restored = await transact(engine.db, async (trx) => {
    const result = await trx
      .updateTable('forms')
      .set((eb) => ({ draft: JSON.stringify(row.layout), version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', formId)
      .where('version', '=', draftVersion ?? form.version)
      .executeTakeFirst();
    if (!result.numUpdatedRows) return false;
    await auditForm(trx, access, 'form.restore_version', sheet, form);
    return true;
  });
  if (!restored) throw conflict(await formOf(engine.db, sheet, formId));
  return formOf(engine.db, sheet, formId);
}
