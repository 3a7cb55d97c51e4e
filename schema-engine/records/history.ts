import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { FieldDef, SheetDef } from '../catalog/model.js';
import type { Database, Db } from '../db.js';
import type { UserRef } from '../field-types/field-type.js';
import { reportedFileType } from '../field-types/file-types.js';
import type { RecordJson } from './read.js';

export type HistoryAction = 'create' | 'update' | 'delete' | 'restore';

/**
 * Stored per field id with the name at the time, so renamed and deleted fields still read well. A create's entries
 * leave out `from`, which is always null: a batch of a thousand records writes a thousand of these.
 */
type StoredChanges = Record<string, { name: string; from?: unknown; to: unknown }>;

export interface HistoryEntry {
  recordId: string;
  action: HistoryAction;
  changes: StoredChanges;
}

/** Values the record was given (links included), not those it computes. */
export const isWritten = (field: FieldDef): boolean => !field.impl.readOnly || !field.impl.computed;

/** Field changes between two API records. */
export function diffRecords(sheet: SheetDef, before: RecordJson, after: RecordJson): StoredChanges {
  const changes: StoredChanges = {};
  for (const field of sheet.fields) {
    if (!isWritten(field)) continue;
    const from = before.fields[field.name] ?? null;
    const to = after.fields[field.name] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field.id] = { name: field.name, from, to };
  }
  return changes;
}

/**
 * One statement for any number of entries, written in the transaction of the change itself; with `also` (a SELECT:
 * the write's workflow event, workflows/events.ts), that runs in the same statement, beside the history rows.
 */
export async function writeHistory(
  trx: Transaction<Database>,
  workspaceId: string,
  sheetId: string,
  by: string | null,
  entries: HistoryEntry[],
  via: string | null = null,
  also?: RawBuilder<unknown>,
): Promise<void> {
  if (!entries.length) {
    if (also) await also.execute(trx);
    return;
  }
  const insert = sql`
    INSERT INTO record_history (workspace_id, sheet_id, record_id, by_user, action, changes, via)
    SELECT ${workspaceId}, ${sheetId}, e.record_id, ${by}, e.action, e.changes, ${via}::text
    FROM json_to_recordset(${JSON.stringify(entries.map((e) => ({ record_id: e.recordId, action: e.action, changes: e.changes })))}::json)
      AS e(record_id bigint, action text, changes json)`;
  // A data-modifying WITH runs exactly once, whether or not the SELECT after it reads it.
  await (also ? sql`WITH history AS (${insert}) ${also}` : insert).execute(trx);
}

/** New records' history entries: every value each was created with (`from` left out, see StoredChanges). */
export function createdEntries(sheet: SheetDef, records: readonly RecordJson[]): HistoryEntry[] {
  return records.map((record) => {
    const changes: StoredChanges = {};
    for (const field of sheet.fields) {
      const to = record.fields[field.name];
      if (to !== undefined && isWritten(field)) changes[field.id] = { name: field.name, to };
    }
    return { recordId: record.id, action: 'create', changes };
  });
}

export interface HistoryItem {
  at: string;
  /** The author; a restored change's author who is no user here is named by the backup's name and email, without id. */
  by: UserRef | { id: null; name: string; email: string } | null;
  action: HistoryAction;
  changes: Record<string, { from: unknown; to: unknown }>;
  /** Made by a workflow run ("Workflow: <name>") or an import ("Import 3"), acting with `by`'s access. */
  via?: { workflowId: string; runId: string; name: string } | { importId: string; number: number; name: string };
}

/** Files in entries written before the server decided file types carry the uploading client's type: never shown. */
const reportedFiles = (value: unknown): unknown =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'object' && item !== null && 'mimeType' in item && 'id' in item)
    ? value.map((item: Record<string, unknown>) => ({ ...item, mimeType: reportedFileType(item.mimeType) }))
    : value;

/** Of some linked record ids of a link field, the ones the reader may read. */
export type ReadableLinks = (field: FieldDef, ids: string[]) => Promise<ReadonlySet<string>>;

/**
 * `hidden`: fields whose changes the reader may not see; `readable`: for a reader who may read only some records of
 * a linked sheet, which linked records a change may show (access/records.ts).
 */
export async function readHistory(db: Db, sheet: SheetDef, recordId: string, hidden: ReadonlySet<string> = new Set(), limit = 500, readable?: ReadableLinks): Promise<HistoryItem[]> {
  const rows = await db
    .selectFrom('record_history as h')
    .leftJoin('users as u', 'u.id', 'h.by_user')
    .leftJoin('workflow_runs as r', 'r.id', 'h.via')
    .leftJoin('workflow_versions as wv', (j) => j.onRef('wv.workflow_id', '=', 'r.workflow_id').onRef('wv.version', '=', 'r.version'))
    .leftJoin('imports as i', 'i.id', 'h.via')
    .select(['h.at', 'h.action', 'h.changes', 'u.id as user_id', 'u.name as user_name', 'u.email as user_email', 'h.author_name', 'h.author_email', 'h.via', 'r.workflow_id', 'wv.name as workflow_name', 'i.number as import_number', 'i.file_name as import_file'])
    .where('h.workspace_id', '=', sheet.workspaceId)
    .where('h.sheet_id', '=', sheet.id)
    .where('h.record_id', '=', recordId)
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  const seenLinks = readable ? await readableLinkIds(sheet, rows.map((r) => r.changes as StoredChanges), readable) : undefined;
  const shown = (fieldId: string, value: unknown): unknown => {
    const ids = seenLinks?.get(fieldId);
    if (!ids || !Array.isArray(value)) return value;
    const kept = value.filter((item) => ids.has(String((item as { id?: unknown } | null)?.id)));
    return kept.length ? kept : null;
  };
  return rows.flatMap((row) => {
    const changes: HistoryItem['changes'] = {};
    const stored = Object.entries(row.changes as StoredChanges);
    for (const [fieldId, change] of stored) {
      if (hidden.has(fieldId)) continue;
      const name = sheet.fields.find((f) => f.id === fieldId)?.name ?? change.name;
      const from = shown(fieldId, change.from ?? null);
      const to = shown(fieldId, change.to);
      // A change only of links the reader may not read is not a change they can see.
      if (seenLinks?.has(fieldId) && JSON.stringify(from) === JSON.stringify(to)) continue;
      changes[name] = { from: reportedFiles(from), to: reportedFiles(to) };
    }
    // An update of only what the reader may not see is left out whole: an empty entry would tell them when it changed.
    if (row.action === 'update' && stored.length > 0 && Object.keys(changes).length === 0) return [];
    return [
      {
        at: row.at.toISOString(),
        by: row.user_id ? { id: row.user_id, name: row.user_name!, email: row.user_email! } : row.author_email ? { id: null, name: row.author_name ?? '', email: row.author_email } : null,
        action: row.action,
        changes,
        ...(row.via && row.workflow_id ? { via: { workflowId: row.workflow_id, runId: row.via, name: row.workflow_name ?? '' } } : {}),
        ...(row.via && row.import_number !== null ? { via: { importId: row.via, number: row.import_number, name: `Import ${row.import_number} (${row.import_file ?? ''})` } } : {}),
      },
    ];
  });
}

/** Per link field of the sheet, the linked ids named in `entries` that the reader may read. */
async function readableLinkIds(sheet: SheetDef, entries: StoredChanges[], readable: ReadableLinks): Promise<Map<string, ReadonlySet<string>>> {
  const named = new Map<string, Set<string>>();
  for (const changes of entries) {
    for (const [fieldId, change] of Object.entries(changes)) {
      const field = sheet.fields.find((f) => f.id === fieldId);
      if (field?.type !== 'link') continue;
      const ids = named.get(fieldId) ?? new Set<string>();
      for (const value of [change.from, change.to]) if (Array.isArray(value)) for (const item of value) ids.add(String((item as { id?: unknown } | null)?.id));
      named.set(fieldId, ids);
    }
  }
  const seen = new Map<string, ReadonlySet<string>>();
  for (const [fieldId, ids] of named) seen.set(fieldId, await readable(sheet.fields.find((f) => f.id === fieldId)!, [...ids]));
  return seen;
}

/** The links a record had when it was last deleted (kept in that history entry), by link field id. */
export async function linksAtDeletion(db: Db, sheet: SheetDef, recordId: string): Promise<Record<string, string[]>> {
  const row = await db
    .selectFrom('record_history')
    .select('changes')
    .where('workspace_id', '=', sheet.workspaceId)
    .where('sheet_id', '=', sheet.id)
    .where('record_id', '=', recordId)
    .where('action', '=', 'delete')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const links: Record<string, string[]> = {};
  for (const [fieldId, change] of Object.entries((row?.changes ?? {}) as StoredChanges)) {
    if (Array.isArray(change.from)) links[fieldId] = change.from.map((item) => String((item as { id: unknown }).id));
  }
  return links;
}
