import { designedSheet, readableSheet, requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { SheetDef } from '../catalog/model.js';
import { findSheet, sheetOrThrow } from '../catalog/resolve.js';
import type { Database, Db } from '../db.js';
import type { Engine } from '../engine.js';
import { badRequest, EngineError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { transact } from '../transaction.js';
import { assertNameFree, nameSchema } from '../schema-changes/names.js';
import { bindLayout, liveLayout } from './bind.js';
import { defaultLayout } from './default-layout.js';
import { formLayoutSchema, type FormLayout } from './layout.js';
import { narrowLayout } from './narrow.js';
import { publicJson, type PublicJson } from './public-settings.js';

const MAX_FORMS = 50;

export const formInputSchema = z.object({ name: nameSchema, layout: formLayoutSchema.optional() }).strict();

export interface FormJson {
  id: string;
  name: string;
  isDefault: boolean;
  /** The draft's version: a save names it, and a draft saved meanwhile by someone else answers 409. */
  version: number;
  draft: FormLayout;
  publishedVersion: number | null;
  published: FormLayout | null;
  /** Whether the draft differs from what staff see. */
  dirty: boolean;
  public: PublicJson | null;
  updatedAt: string;
}

export interface FormRow {
  id: string;
  sheet_id: string;
  name: string;
  is_default: boolean;
  draft: unknown;
  version: number;
  published_version: number | null;
  published: unknown;
  public_token: string | null;
  public_settings: unknown;
  updated_at: Date;
}

/** Forms with their published layout, in the sheet's order. */
export async function formRows(db: Db, sheet: SheetDef, formId?: string): Promise<FormRow[]> {
  let query = db
    .selectFrom('forms as f')
    .leftJoin('form_versions as v', (j) => j.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.published_version'))
    .select(['f.id', 'f.sheet_id', 'f.name', 'f.is_default', 'f.draft', 'f.version', 'f.published_version', 'v.layout as published', 'f.public_token', 'f.public_settings', 'f.updated_at'])
    .where('f.workspace_id', '=', sheet.workspaceId)
    .where('f.sheet_id', '=', sheet.id);
  if (formId !== undefined) query = query.where('f.id', '=', formId);
  return query.orderBy('f.position').orderBy('f.id').execute();
}

export function formJson(sheet: SheetDef, row: FormRow): FormJson {
  const draft = liveLayout(sheet, row.draft as FormLayout);
  const published = row.published ? liveLayout(sheet, row.published as FormLayout) : null;
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default,
    version: row.version,
    draft,
    publishedVersion: row.published_version,
    published,
    dirty: JSON.stringify(row.draft) !== JSON.stringify(row.published ?? null),
    public: publicJson(row.public_token, row.public_settings),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function formsOf(db: Db, sheet: SheetDef): Promise<FormJson[]> {
  return (await formRows(db, sheet)).map((row) => formJson(sheet, row));
}

export async function formOf(db: Db, sheet: SheetDef, formId: string): Promise<FormJson> {
  const [row] = await formRows(db, sheet, formId);
  if (!row) throw notFound(`Form "${formId}"`);
  return formJson(sheet, row);
}

export async function createForm(engine: Engine, access: Access, sheetRef: string, input: z.output<typeof formInputSchema>): Promise<FormJson> {
  const userId = access.userId;
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const ws = await engine.catalog.get(workspaceId);
  const sheet = sheetOrThrow(ws, sheetRef);
  const draft = input.layout ? bindLayout(ws, sheet, input.layout) : defaultLayout(sheet);
  const existing = await formsOf(engine.db, sheet);
  if (existing.length >= MAX_FORMS) throw badRequest(`A sheet can have at most ${MAX_FORMS} forms`);
  assertNameFree(existing, input.name, 'form');
  const id = newId('frm');
  return transact(engine.db, async (trx) => {
    await trx
      .insertInto('forms')
      .values({ id, workspace_id: workspaceId, sheet_id: sheet.id, name: input.name, position: existing.length, is_default: existing.length === 0, draft: JSON.stringify(draft), created_by: userId })
      .execute();
    const created = await formOf(trx, sheet, id);
    await audit(trx, access, 'form.create', { kind: 'form', id, name: created.name }, undefined, formState(sheet, created));
    return created;
  });
}

/** A form as the audit log keeps it: its draft and settings, never its public token or password. */
export function formState(sheet: SheetDef, form: FormJson) {
  const visibility = form.public ? { enabled: form.public.enabled, hasPassword: form.public.hasPassword, closesAt: form.public.closesAt, thankYou: form.public.thankYou, redirectUrl: form.public.redirectUrl, allowedLinks: form.public.allowedLinks } : null;
  return { sheet: { id: sheet.id, name: sheet.name }, name: form.name, isDefault: form.isDefault, version: form.version, draft: form.draft, publishedVersion: form.publishedVersion, public: visibility };
}

/** Writes a form change's audit entry in its transaction, with the form as it is now in that transaction. */
export async function auditForm(trx: Transaction<Database>, access: Access, action: string, sheet: SheetDef, before: FormJson): Promise<void> {
  const after = await formOf(trx, sheet, before.id);
  await audit(trx, access, action, { kind: 'form', id: before.id, name: after.name }, formState(sheet, before), formState(sheet, after));
}

export const conflict = (form: FormJson) =>
  new EngineError('version_conflict', `Form "${form.name}" was changed by someone else (version ${form.version}); nothing was saved`, { current: form });

/** Makes a form the one staff see on the sheet's record pages. */
export async function makeDefault(db: Db, sheet: SheetDef, formId: string): Promise<void> {
  await transact(db, async (trx) => {
    await trx.updateTable('forms').set({ is_default: false }).where('sheet_id', '=', sheet.id).where('is_default', '=', true).execute();
    await trx.updateTable('forms').set({ is_default: true, updated_at: new Date() }).where('id', '=', formId).execute();
  });
}

export async function deleteForm(engine: Engine, access: Access, sheetRef: string, formId: string): Promise<void> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const sheet = sheetOrThrow(await engine.catalog.get(workspaceId), sheetRef);
  const form = await formOf(engine.db, sheet, formId);
  await transact(engine.db, async (trx) => {
    await trx.deleteFrom('forms').where('id', '=', form.id).execute();
    await audit(trx, access, 'form.delete', { kind: 'form', id: form.id, name: form.name }, formState(sheet, form), undefined);
    // Another form takes over as the default, so the record pages keep a designed form if there is one.
    if (form.isDefault) {
      await sql`UPDATE forms SET is_default = true WHERE id = (SELECT id FROM forms WHERE sheet_id = ${sheet.id} ORDER BY position, id LIMIT 1)`.execute(trx);
    }
  });
}

/** Publishes the draft as the next version: what staff (and a public form) see from now on. */
export async function publishForm(engine: Engine, access: Access, sheetRef: string, formId: string, version: number | undefined): Promise<FormJson> {
  const userId = access.userId;
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const sheet = sheetOrThrow(await engine.catalog.get(workspaceId), sheetRef);
  await transact(engine.db, async (trx) => {
    const [row] = await formRows(trx, sheet, formId);
    if (!row) throw notFound(`Form "${formId}"`);
    if (version !== undefined && version !== row.version) throw conflict(formJson(sheet, row));
    const next = await trx.selectFrom('form_versions').select((eb) => eb.fn.max('version').as('v')).where('form_id', '=', formId).executeTakeFirst();
    const number = Number(next?.v ?? 0) + 1;
    const layout = liveLayout(sheet, row.draft as FormLayout);
    await trx.insertInto('form_versions').values({ form_id: formId, version: number, layout: JSON.stringify(layout), published_by: userId }).execute();
    // The draft is stored as published, so `dirty` compares like with like.
    await trx.updateTable('forms').set({ published_version: number, draft: JSON.stringify(layout), updated_at: new Date() }).where('id', '=', formId).execute();
    await audit(trx, access, 'form.publish', { kind: 'form', id: formId, name: row.name }, { publishedVersion: row.published_version }, { publishedVersion: number, layout });
  });
  return formOf(engine.db, sheet, formId);
}

export interface FormVersionJson {
  version: number;
  publishedAt: string;
  publishedBy: { id: string; name: string } | null;
}

export async function listFormVersions(engine: Engine, access: Access, sheetRef: string, formId: string): Promise<FormVersionJson[]> {
  const db = engine.db;
  await formOf(db, designedSheet(access, sheetRef), formId);
  const rows = await db
    .selectFrom('form_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .select(['v.version', 'v.published_at', 'u.id as userId', 'u.name as userName'])
    .where('v.form_id', '=', formId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, publishedAt: r.published_at.toISOString(), publishedBy: r.userId ? { id: r.userId, name: r.userName! } : null }));
}

export async function getFormVersion(engine: Engine, access: Access, sheetRef: string, formId: string, version: number): Promise<{ version: number; layout: FormLayout; publishedAt: string }> {
  const db = engine.db;
  const sheet = designedSheet(access, sheetRef);
  await formOf(db, sheet, formId);
  const row = await db.selectFrom('form_versions').select(['version', 'layout', 'published_at']).where('form_id', '=', formId).where('version', '=', version).executeTakeFirst();
  if (!row) throw notFound(`Version ${version} of the form`);
  return { version: row.version, layout: liveLayout(sheet, row.layout as FormLayout), publishedAt: row.published_at.toISOString() };
}

/** A sheet's forms (designers). */
export async function listForms(engine: Engine, access: Access, sheetRef: string): Promise<FormJson[]> {
  return formsOf(engine.db, designedSheet(access, sheetRef));
}

export async function getForm(engine: Engine, access: Access, sheetRef: string, formId: string): Promise<FormJson> {
  return formOf(engine.db, designedSheet(access, sheetRef), formId);
}

/** What the user sees on a sheet's record form: its published layout narrowed to what their role sees and may write. */
export async function sheetForm(engine: Engine, access: Access, sheetRef: string) {
  const grant = readableSheet(access, sheetRef);
  const form = await publishedForm(engine.db, grant.sheet);
  return { ...form, layout: narrowLayout(access.ws, grant, form.layout) };
}

/** A published form's rules for a write through it (`?form=`); the write itself goes through the access layer. */
export async function formRulesOf(engine: Engine, access: Access, sheetRef: string, formId: string): Promise<{ id: string; name: string; layout: FormLayout }> {
  const sheet = findSheet(access.ws, sheetRef) ?? findSheet(access.full, sheetRef);
  if (!sheet) throw notFound(`Sheet "${sheetRef}"`);
  const { form, layout } = await publishedForm(engine.db, access.full.sheets.find((s) => s.id === sheet.id)!, formId);
  if (!form) throw badRequest(`form: form "${formId}" has no published version yet`, { fields: { form: 'is not published' } });
  return { id: form.id, name: form.name, layout };
}

/**
 * What staff see on a sheet's record form: the default form's published layout, or (no form published yet) the
 * generated one.
 */
export async function publishedForm(db: Db, sheet: SheetDef, formId?: string): Promise<{ form: { id: string; name: string; version: number } | null; layout: FormLayout }> {
  const rows = await formRows(db, sheet, formId);
  const row = formId === undefined ? rows.find((r) => r.is_default && r.published) : rows[0];
  if (formId !== undefined && !row) throw notFound(`Form "${formId}"`);
  if (!row?.published) return { form: null, layout: defaultLayout(sheet) };
  return { form: { id: row.id, name: row.name, version: row.published_version! }, layout: liveLayout(sheet, row.published as FormLayout) };
}
