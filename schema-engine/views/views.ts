import { readableSheet, requireSomeWrite } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import { transact } from '../transaction.js';
import { z } from 'zod';
import type { SheetDef } from '../catalog/model.js';
import { findField, sheetOrThrow } from '../catalog/resolve.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { badRequest, EngineError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { compileFilter } from '../query/filter.js';
import { parseSort } from '../query/sort.js';
import { MAX_SEARCH_LENGTH } from '../query/search.js';
import { nameSchema, assertNameFree } from '../schema-changes/names.js';

export const VIEW_TYPES = ['grid', 'kanban'] as const;
export const ROW_HEIGHTS = ['short', 'medium', 'tall', 'extra'] as const;
/** What a grid's summary row shows under a column: an aggregate of a number, or how many are filled or empty. */
export const COLUMN_SUMMARIES = ['none', 'sum', 'avg', 'count', 'min', 'max', 'filled', 'empty'] as const;
/** What a grid may be grouped by: fields whose record value is its group's value (a select, text, a number, a date, a user). */
const GRID_GROUP_KINDS: readonly string[] = ['choice', 'text', 'number', 'date', 'user'];
const MAX_VIEWS = 200;

const fieldList = z.array(z.string().max(200)).max(500);

/** What a view keeps; fields are named by name or id when written and stored (and shown) by id. */
export const viewConfigSchema = z
  .object({
    filter: z.unknown().optional(),
    sort: z.string().max(4000).optional(),
    search: z.string().max(MAX_SEARCH_LENGTH).optional(),
    hiddenFields: fieldList.optional(),
    fieldOrder: fieldList.optional(),
    fieldWidths: z.record(z.string().max(200), z.number().int().min(40).max(2000)).optional(),
    rowHeight: z.enum(ROW_HEIGHTS).optional(),
    groupBy: z.string().max(200).optional(),
    cardFields: fieldList.optional(),
    sumField: z.string().max(200).optional(),
    summaries: z.record(z.string().max(200), z.enum(COLUMN_SUMMARIES)).optional(),
  })
  .strict();
export type ViewConfig = z.output<typeof viewConfigSchema>;

export const viewInputSchema = z.object({ name: nameSchema, type: z.enum(VIEW_TYPES).optional(), config: viewConfigSchema.optional() }).strict();
export const viewPatchSchema = z.object({ name: nameSchema.optional(), config: viewConfigSchema.optional(), version: z.number().int().optional() }).strict();

export interface ViewJson {
  id: string;
  name: string;
  type: (typeof VIEW_TYPES)[number];
  config: ViewConfig;
  version: number;
}

const fail = (key: string, message: string) => badRequest(`config.${key}: ${message}`, { fields: { [`config.${key}`]: message } });

/** Field references resolved to ids; filter and sort checked as the records API would run them. */
export function bindConfig(sheet: SheetDef, type: ViewJson['type'], config: ViewConfig): ViewConfig {
  const id = (key: string, ref: string) => {
    const field = findField(sheet, ref);
    if (!field) throw fail(key, `"${sheet.name}" has no field "${ref}"`);
    return field.id;
  };
  const ids = (key: string, refs: string[] | undefined) => (refs === undefined ? undefined : [...new Set(refs.map((r) => id(key, r)))]);
  const out: ViewConfig = { ...config };
  if (config.filter !== undefined && config.filter !== null) {
    asConfigError('filter', () => compileFilter(sheet, config.filter));
    out.filter = mapVars(config.filter, (ref) => id('filter', ref));
  }
  if (config.sort) out.sort = asConfigError('sort', () => parseSort(sheet, config.sort)).map((k) => `${k.descending ? '-' : ''}${k.fieldId}`).join(',');
  out.hiddenFields = ids('hiddenFields', config.hiddenFields);
  out.fieldOrder = ids('fieldOrder', config.fieldOrder);
  out.cardFields = ids('cardFields', config.cardFields);
  if (config.fieldWidths) out.fieldWidths = Object.fromEntries(Object.entries(config.fieldWidths).map(([ref, w]) => [id('fieldWidths', ref), w]));
  if (config.summaries) out.summaries = Object.fromEntries(Object.entries(config.summaries).map(([ref, s]) => [id('summaries', ref), s]));
  if (config.groupBy !== undefined) {
    const field = findField(sheet, config.groupBy);
    if (type === 'grid') {
      const groupable = field && !field.impl.computed?.list && field.type !== 'link' && GRID_GROUP_KINDS.includes(field.impl.valueKind);
      if (!groupable) throw fail('groupBy', 'a grid is grouped by a select, text, number, date or user field');
    } else if (!field || field.type !== 'single_select') throw fail('groupBy', 'a kanban is grouped by a single select field');
    out.groupBy = field!.id;
  } else if (type === 'kanban') {
    throw fail('groupBy', 'a kanban needs a single select field to group by');
  }
  if (config.sumField !== undefined) {
    const field = findField(sheet, config.sumField);
    if (!field || field.impl.valueKind !== 'number' || field.impl.computed?.list) throw fail('sumField', 'must be a number field');
    out.sumField = field.id;
  }
  for (const key of Object.keys(out) as (keyof ViewConfig)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** The records API's `filter`/`sort` error, named as the view's `config.filter`/`config.sort`. */
function asConfigError<T>(key: 'filter' | 'sort', run: () => T): T {
  try {
    return run();
  } catch (error) {
    const problem = error instanceof EngineError ? (error.details?.fields as Record<string, string> | undefined)?.[key] : undefined;
    if (problem === undefined) throw error;
    throw fail(key, problem);
  }
}

/** Whether a stored filter or sort still runs (a field retyped since, a value no longer valid for it). */
function stillRuns(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof EngineError) return false;
    throw error;
  }
}

/** Rewrites every {"var": ref} of a JsonLogic value. */
export function mapVars(logic: unknown, map: (ref: string) => string): unknown {
  if (Array.isArray(logic)) return logic.map((l) => mapVars(l, map));
  if (typeof logic !== 'object' || logic === null) return logic;
  const [op, raw] = Object.entries(logic)[0]!;
  if (op === 'var') return { var: map(String(Array.isArray(raw) ? raw[0] : raw)) };
  return { [op]: mapVars(raw, map) };
}

function toJson(sheet: SheetDef, row: { id: string; name: string; type: string; config: unknown; version: number }): ViewJson {
  return { id: row.id, name: row.name, type: row.type as ViewJson['type'], config: liveConfig(sheet, storedConfig(row.config)), version: row.version };
}

/** A view as the audit log keeps it: its settings as stored (fields by id). */
function viewState(sheet: SheetDef, row: { name: string; type: string; config: unknown }) {
  return { sheet: { id: sheet.id, name: sheet.name }, name: row.name, type: row.type, config: typeof row.config === 'string' ? JSON.parse(row.config) : row.config };
}

/** A stored config, each setting kept only if it still has its shape (a row written by hand may hold anything). */
function storedConfig(raw: unknown): ViewConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(viewConfigSchema.shape)) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as ViewConfig;
}

/** A stored config without the fields deleted since (a filter or sort naming one is dropped whole). */
function liveConfig(sheet: SheetDef, config: ViewConfig): ViewConfig {
  const live = (id: string) => sheet.fields.some((f) => f.id === id);
  const out: ViewConfig = { ...config };
  const keep = (list: string[] | undefined) => list?.filter(live);
  out.hiddenFields = keep(config.hiddenFields);
  out.fieldOrder = keep(config.fieldOrder);
  out.cardFields = keep(config.cardFields);
  if (config.fieldWidths) out.fieldWidths = Object.fromEntries(Object.entries(config.fieldWidths).filter(([id]) => live(id)));
  if (config.summaries) out.summaries = Object.fromEntries(Object.entries(config.summaries).filter(([id]) => live(id)));
  if (config.sumField && !live(config.sumField)) delete out.sumField;
  if (config.sort && !(config.sort.split(',').every((k) => live(k.replace(/^-/, ''))) && stillRuns(() => parseSort(sheet, config.sort)))) delete out.sort;
  // A filter naming a deleted field, or one that no longer runs (stored before a check existed, or inserted by hand),
  // is dropped whole: the view lists every record rather than answering an error for good.
  if (config.filter != null && !(stillRuns(() => compileFilter(sheet, config.filter)) && varsOf(config.filter).every(live))) delete out.filter;
  if (config.groupBy && !live(config.groupBy)) delete out.groupBy;
  for (const key of Object.keys(out) as (keyof ViewConfig)[]) if (out[key] === undefined) delete out[key];
  return out;
}

function varsOf(logic: unknown): string[] {
  const found: string[] = [];
  mapVars(logic, (ref) => {
    found.push(ref);
    return ref;
  });
  return found;
}

/** The views of a sheet as stored, read through `sheet` (a field it does not have drops out of them). */
export async function viewsOf(db: Db, sheet: SheetDef): Promise<ViewJson[]> {
  const rows = await db
    .selectFrom('views')
    .select(['id', 'name', 'type', 'config', 'version'])
    .where('workspace_id', '=', sheet.workspaceId)
    .where('sheet_id', '=', sheet.id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((row) => toJson(sheet, row));
}

/** The views of a sheet the user may read, showing the fields they see. */
export async function listViews(engine: Engine, access: Access, sheetRef: string): Promise<ViewJson[]> {
  return viewsOf(engine.db, readableSheet(access, sheetRef).sheet);
}

/** Anyone who may change records of the sheet may arrange its views, with the fields they see. */
function arrangeable(access: Access, sheetRef: string) {
  const grant = readableSheet(access, sheetRef);
  requireSomeWrite(access, grant);
  return grant;
}

export async function createView(engine: Engine, access: Access, sheetRef: string, input: z.output<typeof viewInputSchema>): Promise<ViewJson> {
  const { sheet } = arrangeable(access, sheetRef);
  const type = input.type ?? 'grid';
  const config = bindConfig(sheet, type, input.config ?? {});
  const existing = await viewsOf(engine.db, sheet);
  if (existing.length >= MAX_VIEWS) throw badRequest(`A sheet can have at most ${MAX_VIEWS} views`);
  assertNameFree(existing, input.name, 'view');
  const row = await transact(engine.db, async (trx) => {
    const created = await trx
      .insertInto('views')
      .values({ id: newId('viw'), workspace_id: access.workspaceId, sheet_id: sheet.id, name: input.name, type, config: JSON.stringify(config), position: existing.length, created_by: access.userId })
      .returning(['id', 'name', 'type', 'config', 'version'])
      .executeTakeFirstOrThrow();
    await audit(trx, access, 'view.create', { kind: 'view', id: created.id, name: created.name }, undefined, viewState(sheet, created));
    return created;
  });
  return toJson(sheet, row);
}

/**
 * A rename or new settings; with `version`, a view changed meanwhile by someone else answers 409. The settings sent
 * may name only fields the user sees; the ones they do not see stay as they were.
 */
export async function updateView(engine: Engine, access: Access, sheetRef: string, viewId: string, patch: z.output<typeof viewPatchSchema>): Promise<ViewJson> {
  const { sheet, full } = arrangeable(access, sheetRef);
  const views = await viewsOf(engine.db, full);
  const view = views.find((v) => v.id === viewId);
  if (!view) throw notFound(`View "${viewId}"`);
  const seen = (await viewsOf(engine.db, sheet)).find((v) => v.id === viewId)!;
  if (patch.version !== undefined && patch.version !== view.version) {
    throw new EngineError('version_conflict', `View "${view.name}" was changed by someone else; nothing was saved`, { current: seen });
  }
  if (patch.name !== undefined) assertNameFree(views, patch.name, 'view', view.id);
  if (patch.config !== undefined) bindConfig(sheet, view.type, { ...seen.config, ...patch.config });
  const config = patch.config === undefined ? view.config : bindConfig(full, view.type, { ...view.config, ...patch.config });
  const row = await transact(engine.db, async (trx) => {
    const updated = await trx
      .updateTable('views')
      .set((eb) => ({ name: patch.name ?? view.name, config: JSON.stringify(config), version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', view.id)
      .where('version', '=', patch.version ?? view.version)
      .returning(['id', 'name', 'type', 'config', 'version'])
      .executeTakeFirst();
    if (!updated) throw new EngineError('version_conflict', `View "${view.name}" was changed by someone else; nothing was saved`);
    await audit(trx, access, 'view.update', { kind: 'view', id: view.id, name: updated.name }, viewState(full, view), viewState(full, updated));
    return updated;
  });
  return toJson(sheet, row);
}

export async function deleteView(engine: Engine, access: Access, sheetRef: string, viewId: string): Promise<void> {
  const { sheet } = arrangeable(access, sheetRef);
  await transact(engine.db, async (trx) => {
    const deleted = await trx.deleteFrom('views').where('id', '=', viewId).where('sheet_id', '=', sheet.id).returning(['id', 'name', 'type', 'config', 'version']).executeTakeFirst();
    if (!deleted) throw notFound(`View "${viewId}"`);
    await audit(trx, access, 'view.delete', { kind: 'view', id: deleted.id, name: deleted.name }, viewState(sheet, deleted), undefined);
  });
}
