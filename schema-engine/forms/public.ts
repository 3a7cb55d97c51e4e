import { requireDesign } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { sheetOrThrow } from '../catalog/resolve.js';
import { fieldJson, type SheetDef, type WorkspaceOverview } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, notFound } from '../errors.js';
import { fetchRecords } from '../records/fetch.js';
import { auditForm, formOf, type FormJson } from './forms.js';
import { transact } from '../transaction.js';
import type { FormLayout } from './layout.js';
import { filterElements, placedElements } from './walk.js';
import { mergeSettings, newPublicToken, storedSettings, type PublicInput, type PublicSettings } from './public-settings.js';
import type { FormRules } from './submit.js';
import { visitorAccess } from '../access/visitor.js';

/** Turns a form's public address on or off and changes its settings; the token is made once and kept. */
export async function setFormPublic(engine: Engine, access: Access, sheetRef: string, formId: string, input: PublicInput, passwordHash: string | null | undefined): Promise<FormJson> {
  requireDesign(access);
  const workspaceId = access.workspaceId;
  const ws = await engine.catalog.get(workspaceId);
  const sheet = sheetOrThrow(ws, sheetRef);
  const before = await formOf(engine.db, sheet, formId);
  const row = await engine.db.selectFrom('forms').select(['public_token', 'public_settings']).where('id', '=', formId).executeTakeFirstOrThrow();
  const settings = await mergeSettings(engine.db, ws, sheet, storedSettings(row.public_settings), input, passwordHash);
  await transact(engine.db, async (trx) => {
    await trx
      .updateTable('forms')
      .set({ public_token: row.public_token ?? newPublicToken(), public_settings: JSON.stringify(settings), updated_at: new Date() })
      .where('id', '=', formId)
      .execute();
    await auditForm(trx, access, 'form.public', sheet, before);
  });
  return formOf(engine.db, sheet, formId);
}

export interface PublicForm {
  ws: WorkspaceOverview;
  sheet: SheetDef;
  /** The visitor's Access: add one record to this sheet, of the fields the form shows (access/public.ts). */
  access: Access;
  formId: string;
  name: string;
  settings: PublicSettings;
  /** The published layout as the public may see it. */
  rules: FormRules;
}

const gone = () => notFound('This form');

/** A published, enabled public form by its token; closed forms answer 403 so the page can say so. */
export async function publicForm(engine: Engine, token: string): Promise<PublicForm> {
  const row = await engine.db
    .selectFrom('forms as f')
    .innerJoin('form_versions as v', (j) => j.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.published_version'))
    .select(['f.id', 'f.workspace_id', 'f.sheet_id', 'f.name', 'f.public_settings', 'v.layout'])
    .where('f.public_token', '=', token)
    .executeTakeFirst();
  const settings = storedSettings(row?.public_settings);
  if (!row || !settings?.enabled) throw gone();
  const ws = await engine.catalog.get(row.workspace_id);
  const sheet = ws.sheets.find((s) => s.id === row.sheet_id);
  if (!sheet) throw gone();
  if (settings.closesAt && new Date(settings.closesAt) <= new Date()) throw new EngineError('forbidden', 'This form is closed and no longer takes answers', { closed: true });
  const layout = publicLayout(sheet, row.layout as FormLayout, settings);
  const access = visitorAccess(ws, sheet, row.id, layout);
  return { ws, sheet, access, formId: row.id, name: row.name, settings, rules: { id: row.id, name: row.name, layout, allowedLinks: settings.allowedLinks } };
}

/** Types whose controls browse the workspace (its people, its files): not for anonymous visitors. */
const NOT_PUBLIC = new Set(['user', 'attachment']);

/**
 * What the public sees of a layout: no related lists, no computed fields (there is no record yet), no people or
 * files, and link fields only where the admin listed the records they may pick.
 */
function publicLayout(sheet: SheetDef, layout: FormLayout, settings: PublicSettings): FormLayout {
  const shown = (fieldId: string, kind: string) => {
    const field = sheet.fields.find((f) => f.id === fieldId);
    if (!field || kind === 'related' || field.impl.readOnly || NOT_PUBLIC.has(field.type) || field.impl.userIds) return false;
    return field.type !== 'link' || fieldId in settings.allowedLinks;
  };
  return filterElements(layout, (e) => !('field' in e) || shown(e.field, e.kind));
}

/** The page's data: the layout, its fields' definitions and the records each link may pick, with their titles. */
export async function publicFormJson(db: Db, form: PublicForm) {
  const { sheet, ws, settings, rules } = form;
  const placed = new Set(placedElements(rules.layout).flatMap(({ element }) => ('field' in element ? [element.field] : [])));
  const fields = sheet.fields.filter((f) => placed.has(f.id)).map((f) => fieldJson(f));
  const links: Record<string, { id: string; title: string }[]> = {};
  for (const field of sheet.fields.filter((f) => placed.has(f.id) && f.type === 'link')) {
    const target = ws.sheets.find((s) => s.id === (field.options as LinkOptions).sheet)!;
    const primary = target.fields.find((f) => f.id === target.primaryFieldId);
    // Titles as links show them everywhere: the primary field's display text (a number formatted, a choice's name).
    const records = await fetchRecords(db, ws, target, settings.allowedLinks[field.id] ?? [], { cellFormat: 'string' });
    links[field.id] = records.map((r) => ({ id: r.id, title: String((primary && r.fields[primary.name]) ?? r.id) }));
  }
  return {
    name: form.name,
    sheet: { id: sheet.id, name: sheet.name },
    layout: rules.layout,
    fields,
    links,
    closesAt: settings.closesAt,
    thankYou: settings.thankYou,
    redirectUrl: settings.redirectUrl,
  };
}
