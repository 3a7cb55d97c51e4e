import { sql, type Transaction } from 'kysely';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Database } from '../db.js';
import { EngineError } from '../errors.js';
import { columnName, junctionName, sequenceName, tableName } from '../ids.js';
import { fieldSqlType, hasColumn, sheetTable } from '../records/columns.js';
import type { BackupArchive } from './archive.js';
import { historyEntry, historyLineSchema, linkLineSchema, linksEntry, recordLineSchema, recordsEntry } from './format.js';
import type { IdMap } from './id-map.js';

/** Rows go in this many at a time, one statement each (set-based, as records/write.ts inserts a batch). */
const BATCH = 1000;

async function* batches<T>(archive: BackupArchive, name: string, parse: (line: string, number: number) => T): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const { line, number } of archive.lines(name)) {
    batch.push(parse(line, number));
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** A statement PostgreSQL refused over values of the file (a type, a constraint): 400 naming the entry. */
async function refusedAs<T>(archive: BackupArchive, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const code = (error as { code?: unknown }).code;
    // Data exceptions (22) and broken constraints (23) are the file's; anything else (a lost connection) is not.
    if (typeof code === 'string' && /^2[23]/.test(code)) throw archive.refuse('values', { entry: name, reason: (error as Error).message });
    throw error;
  }
}

/** A stored value of the old workspace as the new one stores it: choices, people and files by their new ids. */
function storedValue(ids: IdMap, oldFieldId: string, field: FieldDef, value: unknown): unknown {
  if (field.type === 'single_select') return ids.choice(oldFieldId, value);
  if (field.type === 'multi_select') return Array.isArray(value) ? value.map((v) => ids.choice(oldFieldId, v)) : value;
  if (field.impl.userIds === 'one') return ids.user(value as string);
  // Someone the installation no longer has drops out of the list.
  if (field.impl.userIds === 'many') return Array.isArray(value) ? value.map((e) => ids.user(e as string)).filter((id) => id !== null) : value;
  if (field.type === 'attachment' && Array.isArray(value)) {
    return value.flatMap((item: { id?: unknown }) => {
      const id = ids.attachments.get(String(item?.id));
      return id ? [{ ...item, id }] : [];
    });
  }
  return value;
}

/** A sheet's records with their ids, versions, times and authors as they were; the sequences then continue after them. */
export async function restoreRecords(trx: Transaction<Database>, archive: BackupArchive, ws: WorkspaceOverview, oldSheetId: string, sheet: SheetDef, ids: IdMap): Promise<number> {
  const name = recordsEntry(oldSheetId);
  const oldOf = new Map([...ids.fields].map(([o, n]) => [n, o]));
  const stored = sheet.fields.filter((f) => hasColumn(f) && oldOf.has(f.id));
  const keys = stored.map((_, k) => `c${k}`);
  const definitions = stored.map((f, k) => sql`${sql.id(keys[k]!)} ${sql.raw(fieldSqlType(f))}`);
  let count = 0;
  for await (const batch of batches(archive, name, (line, n) => archive.line(name, n, line, recordLineSchema))) {
    await ids.loadUsers(batch.flatMap((r) => [r.created_by, r.updated_by, ...stored.filter((f) => f.impl.userIds).flatMap((f) => r.values[oldOf.get(f.id)!] as string | string[] | undefined)]));
    const rows = batch.map((r) => {
      const row: Record<string, unknown> = { id: String(r.id), version: r.version, created_at: r.created_at, updated_at: r.updated_at, created_by: ids.user(r.created_by), updated_by: ids.user(r.updated_by), deleted_at: r.deleted_at };
      stored.forEach((f, k) => {
        const old = oldOf.get(f.id)!;
        row[keys[k]!] = old in r.values ? storedValue(ids, old, f, r.values[old]) : null;
      });
      return row;
    });
    const columns = stored.map((f) => sql.id(columnName(f.id)));
    await refusedAs(archive, name, () =>
      sql`
      INSERT INTO ${sheetTable(ws, sheet)} (id, version, created_at, updated_at, created_by, updated_by, deleted_at${columns.length ? sql`, ${sql.join(columns)}` : sql``})
      OVERRIDING SYSTEM VALUE
      SELECT x.id, x.version, x.created_at, x.updated_at, x.created_by, x.updated_by, x.deleted_at${keys.length ? sql`, ${sql.join(keys.map((k) => sql`x.${sql.id(k)}`))}` : sql``}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id bigint, version integer, created_at timestamptz, updated_at timestamptz, created_by text, updated_by text, deleted_at timestamptz${definitions.length ? sql`, ${sql.join(definitions)}` : sql``})`.execute(trx),
    );
    count += batch.length;
  }
  // New records continue after the restored ones, and so do autonumbers.
  await sql`SELECT setval(pg_get_serial_sequence(${`"${ws.schema}"."${tableName(sheet.id)}"`}, 'id'), greatest((SELECT max(id) FROM ${sheetTable(ws, sheet)}), 0) + 1, false)`.execute(trx);
  for (const field of sheet.fields.filter((f) => f.type === 'autonumber')) {
    const sequence = sql.lit(`"${ws.schema}"."${sequenceName(field.id)}"`);
    await sql`SELECT setval(${sequence}::regclass, greatest((SELECT max(${sql.id(columnName(field.id))}) FROM ${sheetTable(ws, sheet)}), 0) + 1, false)`.execute(trx);
  }
  return count;
}

/** A link pair's rows, in their order, into the junction table of the link field that now creates the pair. */
export async function restoreLinks(trx: Transaction<Database>, archive: BackupArchive, ws: WorkspaceOverview, oldFieldId: string, ids: IdMap): Promise<number> {
  const name = linksEntry(oldFieldId);
  const fieldId = ids.fields.get(oldFieldId);
  const field = fieldId && ws.sheets.flatMap((s) => s.fields).find((f) => f.id === fieldId);
  if (!field || field.type !== 'link') throw archive.refuse('not_link', { entry: name });
  const { junction } = field.options as LinkOptions;
  // The new pair is named after the same side as the old one was, unless it was made from the other side.
  const swap = junction !== field.id;
  let count = 0;
  for await (const batch of batches(archive, name, (line, n) => archive.line(name, n, line, linkLineSchema))) {
    const a = batch.map(([x, y]) => String(swap ? y : x));
    const b = batch.map(([x, y]) => String(swap ? x : y));
    await refusedAs(archive, name, () =>
      sql`INSERT INTO ${sql.id(ws.schema, junctionName(junction))} (a, b) SELECT l.a, l.b FROM unnest(${a}::bigint[], ${b}::bigint[]) WITH ORDINALITY AS l(a, b, i) ORDER BY l.i`.execute(trx),
    );
    count += batch.length;
  }
  return count;
}

/** A history value naming people or files, as the new workspace names them. */
function historyValue(ids: IdMap, field: FieldDef | undefined, value: unknown): unknown {
  if (!field || value === null || value === undefined) return value;
  if (field.type === 'user' || field.type === 'created_by' || field.type === 'updated_by') {
    const person = value as { email?: unknown };
    return { ...person, id: ids.user(person.email as string) };
  }
  if (field.impl.userIds === 'many' && Array.isArray(value)) return value.map((person: { email?: unknown }) => ({ ...person, id: ids.user(person.email as string) }));
  if (field.type === 'attachment' && Array.isArray(value)) {
    return value.map((item: { id?: unknown }) => {
      const id = ids.attachments.get(String(item?.id));
      return id ? { ...item, id, url: `/api/w/${ids.workspaceId}/attachments/${id}` } : item;
    });
  }
  return value;
}

/** A sheet's history with its times, actions, values and authors (users here by email, else their name and email). */
export async function restoreHistory(trx: Transaction<Database>, archive: BackupArchive, ws: WorkspaceOverview, oldSheetId: string, sheet: SheetDef, ids: IdMap): Promise<number> {
  const name = historyEntry(oldSheetId);
  let count = 0;
  for await (const batch of batches(archive, name, (line, n) => archive.line(name, n, line, historyLineSchema))) {
    await ids.loadUsers(batch.flatMap((h) => [h.byEmail, ...Object.values(h.changes).flatMap((c) => [c.from, c.to].flat().map((v) => (v as { email?: string } | null)?.email))]));
    const rows = batch.map((h) => {
      const changes: Record<string, unknown> = {};
      for (const [oldId, change] of Object.entries(h.changes)) {
        const id = ids.fields.get(oldId) ?? oldId;
        const field = sheet.fields.find((f) => f.id === id);
        changes[id] = { ...change, ...('from' in change ? { from: historyValue(ids, field, change.from) } : {}), to: historyValue(ids, field, change.to) };
      }
      const by = ids.user(h.byEmail);
      return { record_id: String(h.recordId), at: h.at, action: h.action, changes, by_user: by, author_name: by ? null : h.byName, author_email: by ? null : h.byEmail };
    });
    await refusedAs(archive, name, () =>
      sql`
      INSERT INTO record_history (workspace_id, sheet_id, record_id, at, by_user, author_name, author_email, action, changes)
      SELECT ${ws.id}, ${sheet.id}, e.record_id, e.at, e.by_user, e.author_name, e.author_email, e.action, e.changes
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS e(record_id bigint, at timestamptz, by_user text, author_name text, author_email text, action text, changes json)`.execute(trx),
    );
    count += batch.length;
  }
  return count;
}
