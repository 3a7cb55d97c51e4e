import type { FieldDef, SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { Db } from '../db.js';
import type { Engine } from '../engine.js';
import { badRequest } from '../errors.js';
import type { ExportCell, ExportContext } from '../field-types/field-type.js';
import { readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { listRecords, MAX_LIMIT, type ListQuery, type ListResult } from '../query/list.js';
import type { RecordJson } from '../records/read.js';
import { viewsOf, type ViewJson } from '../views/views.js';
import { visibleFields } from '../views/visible-fields.js';
import { getSettings } from '../workflows/settings.js';

/** What to export: a view, and the listing's parameters, each replacing the view's own when given. */
export interface ExportQuery {
  view?: string;
  filter?: unknown;
  sort?: string;
  search?: string;
  /** Comma-separated field names or ids, in the order of the columns (default: the view's visible fields). */
  fields?: string;
}

export interface SheetExport {
  sheetName: string;
  /** The header row: the exported fields' names. */
  columns: string[];
  /** The rows, read page by page as they are consumed (so at most a page is held); an empty cell is undefined. */
  rows: AsyncIterable<(ExportCell | undefined)[]>;
}

const MAX_FIELDS = 500;

const failOn = (param: string, problem: string) => badRequest(`${param}: ${problem}`, { fields: { [param]: problem } });

/**
 * A sheet's records as spreadsheet rows, of the rows and fields the user may read, filtered, sorted and searched as
 * the listing does (the same query, one keyset page after another). Every parameter is checked, and the first page
 * read, before this answers: a bad request fails here, before any byte of the file is sent.
 */
export async function exportSheetRecords(engine: Engine, access: Access, sheetRef: string, query: ExportQuery): Promise<SheetExport> {
  const { sheet } = readableSheet(access, sheetRef);
  const config = query.view === undefined ? {} : (await viewOf(engine.db, sheet, query.view)).config;
  const list: ListQuery = {
    filter: query.filter !== undefined ? query.filter : config.filter,
    sort: query.sort ?? config.sort,
    search: query.search ?? config.search,
    limit: MAX_LIMIT,
  };
  const named = query.fields !== undefined ? namedFields(sheet, query.fields) : visibleFields(sheet.fields, sheet.primaryFieldId, config);
  // A field with no value (a button) is no column of a spreadsheet.
  const fields = named.filter((f) => !f.impl.valueless);
  const ctx: ExportContext = { timeZone: (await getSettings(engine, access)).timeZone };
  const first = await listRecords(engine.db, access.ws, sheet, list);
  const cells = (record: RecordJson) => fields.map((f) => f.impl.exportCell(record.fields[f.name], f.options, ctx));
  return { sheetName: sheet.name, columns: fields.map((f) => f.name), rows: pages(first, (cursor) => listRecords(engine.db, access.ws, sheet, { ...list, cursor }), cells) };
}

async function* pages<T>(first: ListResult, next: (cursor: string) => Promise<ListResult>, row: (record: RecordJson) => T): AsyncGenerator<T> {
  let page = first;
  for (;;) {
    for (const record of page.records) yield row(record);
    if (!page.nextCursor) return;
    page = await next(page.nextCursor);
  }
}

/** A view of the sheet by id or exact name, as the user sees it (settings naming hidden fields dropped). */
async function viewOf(db: Db, sheet: SheetDef, ref: string): Promise<ViewJson> {
  const views = await viewsOf(db, sheet);
  const view = views.find((v) => v.id === ref) ?? views.find((v) => v.name === ref);
  if (!view) throw failOn('view', `"${sheet.name}" has no view "${ref}"`);
  return view;
}

/** `Name,Amount` → those fields in that order; a field the user may not see is unknown, as in a filter. */
function namedFields(sheet: SheetDef, refs: string): FieldDef[] {
  const parts = refs.split(',').filter((p) => p.trim() !== '');
  if (!parts.length) throw failOn('fields', 'name at least one field');
  if (parts.length > MAX_FIELDS) throw failOn('fields', `at most ${MAX_FIELDS} fields`);
  const fields = parts.map((ref) => {
    const field = findField(sheet, ref) ?? findField(sheet, ref.trim());
    if (!field) throw failOn('fields', `unknown field "${ref}"`);
    return field;
  });
  return [...new Set(fields)];
}
