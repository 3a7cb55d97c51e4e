import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import { fetchRecords } from '../records/fetch.js';
import type { RecordJson } from '../records/read.js';

/** Linked records given to a template per link field; a longer list is cut there. */
export const MAX_LINKED = 5000;

interface LinkRef {
  id: string;
  title: string;
}

const refsOf = (value: unknown): LinkRef[] => (Array.isArray(value) ? (value as LinkRef[]).filter((r) => r && typeof r.id === 'string') : []);

/** The title of a record as links show it: its primary field, formatted. */
export function recordTitle(sheet: SheetDef, record: RecordJson, locale: string): string {
  const primary = sheet.fields.find((f) => f.id === sheet.primaryFieldId);
  const value = primary ? record.fields[primary.name] : undefined;
  if (!primary || value === undefined) return record.id;
  return primary.impl.format(value, primary.options, locale) || record.id;
}

/**
 * What a template reads, plain JSON: the record's values by field name; each link field as the list of its linked
 * records, each with all of its own values by name (their links stay `[{id, title}]`), `id` and `title`; then
 * `record: {id, title, sheet, createdAt, updatedAt, fields}` and `now` (ISO 8601), which win over fields so named.
 * Linked records are read with one statement per link field, never one per linked record.
 */
export async function documentData(db: Db, ws: WorkspaceOverview, sheet: SheetDef, record: RecordJson, locale: string, now = new Date()): Promise<Record<string, unknown>> {
  const links = sheet.fields.filter((f) => f.type === 'link' && record.fields[f.name] !== undefined);
  const loaded = await Promise.all(
    links.map(async (field) => {
      const target = ws.sheets.find((s) => s.id === (field.options as { sheet?: string }).sheet);
      const refs = refsOf(record.fields[field.name]).slice(0, MAX_LINKED);
      if (!target || !refs.length) return [field.name, []] as const;
      const titles = new Map(refs.map((r) => [r.id, r.title]));
      const linked = await fetchRecords(db, ws, target, refs.map((r) => r.id));
      const maps = linked.map((r) => Object.fromEntries([...Object.entries(r.fields), ['id', r.id], ['title', titles.get(r.id) ?? recordTitle(target, r, locale)]]));
      return [field.name, maps] as const;
    }),
  );
  const expanded = new Map<string, unknown>(loaded);
  const fields = Object.fromEntries(Object.entries(record.fields).map(([name, value]) => [name, expanded.has(name) ? expanded.get(name) : value]));
  const meta = {
    id: record.id,
    title: recordTitle(sheet, record, locale),
    sheet: sheet.name,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    fields,
  };
  return Object.fromEntries([...Object.entries(fields), ['record', meta], ['now', now.toISOString()]]);
}
