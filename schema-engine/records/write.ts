import { sql, type Transaction } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import { historyVia, type Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { columnName, PUBLIC_FORM_USER_ID } from '../ids.js';
import { writeTransaction } from '../transaction.js';
import { fieldSqlType, hasColumn, insertedSelectList, sheetTable } from './columns.js';
import { fetchRecords, isRecordId } from './fetch.js';
import { createdEntries, diffRecords, linksAtDeletion, writeHistory, type HistoryEntry } from './history.js';
import { LinkWriteError, relinkRecord, unlinkRecord, writeLinks, type LinkSets } from './links.js';
import { collectReferences, parseInput, toStorageValues, type StorageValues } from './input.js';
import { toRecord, type RecordJson, type RecordRow } from './read.js';
import { loadWriteContext } from './write-context.js';
import { applyCopies } from './copy-on-pick.js';
import { assertLinkTargetsUnlocked } from './link-locks.js';
import { checkRules } from '../rules/check.js';
import { assertDeletableByRules, assertUnlockedByRules } from '../rules/locks.js';
import type { LinkOptions } from '../computed/sql.js';
import type { LinkWrite } from '../field-types/link.js';
import { recordEventJob } from '../workflows/events.js';
import { queueRecordWebhooks } from '../webhooks/events.js';
import { assertUnlocked, assertUnlockedMany } from '../workflows/locks.js';

export const MAX_BATCH = 1000;

export interface Writer {
  userId: string | null;
  /**
   * The catalog as the writer sees it (access/narrow.ts): the records a link is set to must be ones they may read.
   * Without it (the engine's own writes) any live record may be linked.
   */
  seen?: WorkspaceOverview;
  /** Checked on the row, locked, before an update, delete or restore: throws when the writer may not touch it. */
  guard?: (trx: Transaction<Database>, recordId: string) => Promise<void>;
  /** The same check of many rows in one statement (a batch update). */
  guardMany?: (trx: Transaction<Database>, recordIds: string[]) => Promise<void>;
  /** Not held by the sheet's lock rules (rules/locks.ts): designers, and the engine's own writes that say so. */
  unlocked?: boolean;
}

/** A last check of the written records inside the write's transaction (a designed form's logic); throwing undoes the write. */
export type WriteCheck = (records: RecordJson[]) => void;

/** Per link field, the new records written inside link values, created before the records that link to them. */
interface Nested {
  prepared: Prepared;
  /** Where each new record's id goes: the record of the batch and the position in its link value. */
  slots: { record: number; index: number }[];
}

interface Prepared {
  sheet: SheetDef;
  values: StorageValues[];
  /** The fields each input named (set or cleared): a value given is never replaced by a copy on pick. */
  given: Set<string>[];
  nested: Map<string, Nested>;
}

type BatchErrors = { index: number; fields: Record<string, string> }[];

/** New linked records may themselves hold new linked records, this deep. */
const MAX_NESTING = 3;

/** Validates a batch (and the new linked records inside it), collecting every bad record's errors. */
async function validate(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, inputs: unknown[], mode: 'create' | 'update', actorId: string | null, depth = 0): Promise<{ prepared: Prepared; errors: BatchErrors }> {
  const parsed = inputs.map((input) => parseInput(sheet, input));
  // A public form's visitor is nobody a "current user" default could name.
  const ctx = { ...(await loadWriteContext(engine.db, ws.id, collectReferences(sheet, parsed))), actorId: actorId === PUBLIC_FORM_USER_ID ? null : actorId };
  const values = parsed.map((p) => toStorageValues(sheet, p, mode, ctx));
  const nested = new Map<string, Nested>();
  for (const field of sheet.fields) {
    if (field.type !== 'link') continue;
    const slots: Nested['slots'] = [];
    const children: unknown[] = [];
    values.forEach((v, record) => {
      (v.get(field.id) as LinkWrite[] | null | undefined)?.forEach((write, index) => {
        if ('fields' in write) {
          slots.push({ record, index });
          children.push(write.fields);
        }
      });
    });
    if (!children.length) continue;
    if (depth >= MAX_NESTING) {
      for (const slot of slots) parsed[slot.record]!.errors[field.name] = `new linked records can be nested ${MAX_NESTING} deep at most`;
      continue;
    }
    const target = ws.sheets.find((s) => s.id === (field.options as LinkOptions).sheet)!;
    const child = await validate(engine, ws, target, children, 'create', actorId, depth + 1);
    for (const bad of child.errors) {
      const [name, message] = Object.entries(bad.fields)[0]!;
      parsed[slots[bad.index]!.record]!.errors[field.name] = `new linked record ${slots[bad.index]!.index + 1}: "${name}" ${message}`;
    }
    nested.set(field.id, { prepared: child.prepared, slots });
  }
  const errors = parsed.flatMap((p, index) => (Object.keys(p.errors).length ? [{ index, fields: p.errors }] : []));
  const given = parsed.map((p) => new Set([...p.values.keys(), ...p.cleared]));
  return { prepared: { sheet, values, given, nested }, errors };
}

/** Validates a batch; every bad record is reported, and nothing is written unless all are good. */
async function prepare(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, inputs: unknown[], mode: 'create' | 'update', actorId: string | null): Promise<Prepared> {
  const { prepared, errors } = await validate(engine, ws, sheet, inputs, mode, actorId);
  if (errors.length) throw batchError(errors, inputs.length);
  return prepared;
}

function batchError(bad: BatchErrors, count: number): EngineError {
  const first = bad[0]!;
  const error = fieldErrors(first.fields);
  if (count === 1) return error;
  return new EngineError('validation_failed', `Record ${first.index + 1} of ${count}: ${error.message}; nothing was saved`, {
    fields: first.fields,
    records: bad,
  });
}

/**
 * A write's events, in its transaction: its webhook deliveries added now (only for a sheet with subscriptions), its
 * workflow event answered as the statement the history rows run with.
 */
async function recordEvents(...args: Parameters<typeof recordEventJob>): ReturnType<typeof recordEventJob> {
  const [engine, trx, , sheet, , action, written] = args;
  await queueRecordWebhooks(engine, trx, sheet, action, written);
  return recordEventJob(...args);
}

export async function createRecords(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, inputs: unknown[], writer: Writer, check?: WriteCheck): Promise<RecordJson[]> {
  const prepared = await prepare(engine, ws, sheet, inputs, 'create', writer.userId);
  return inTransaction(engine, ws, sheet, inputs.length, (trx) => insertPrepared(engine, trx, ws, prepared, writer, check));
}

/** Writes new linked records first, then the records, their links and their history. */
async function insertPrepared(engine: Engine, trx: Transaction<Database>, ws: WorkspaceOverview, prepared: Prepared, writer: Writer, check?: WriteCheck): Promise<RecordJson[]> {
  const { sheet, values } = prepared;
  await createNested(engine, trx, ws, prepared, writer);
  await applyCopies(trx, ws, sheet, values, prepared.given);
  if (!writer.unlocked) await assertLinkTargetsUnlocked(trx, ws, sheet, values);
  let records = await insertRows(trx, ws, sheet, values, writer);
  const sets = linkSets(sheet, values, records.map((r) => r.id));
  if (sets.size) {
    const ids = records.map((r) => r.id);
    await writeLinks(trx, writer.seen ?? ws, sets, (id) => ids.indexOf(id), true);
    // RETURNING saw the links as they were before: read the records again for their links and what they compute.
    records = await fetchRecords(trx, ws, sheet, ids);
  }
  // Rules see the records as saved, computed values included; new linked records are checked against their own.
  checkRules(sheet, records);
  check?.(records);
  // The workflow event, if any, goes with the history rows in one statement.
  const event = await recordEvents(engine, trx, ws, sheet, writer.userId, 'create', records.map((after) => ({ after })));
  await writeHistory(trx, ws.id, sheet.id, writer.userId, createdEntries(sheet, records), historyVia(engine), event);
  return records;
}

async function createNested(engine: Engine, trx: Transaction<Database>, ws: WorkspaceOverview, prepared: Prepared, writer: Writer): Promise<void> {
  for (const [fieldId, nested] of prepared.nested) {
    // New linked records are not what a form submitted: their events say so by having no form.
    const children = await insertPrepared(engine.origin?.form ? { ...engine, origin: { ...engine.origin, form: undefined } } : engine, trx, ws, nested.prepared, writer);
    nested.slots.forEach((slot, i) => {
      (prepared.values[slot.record]!.get(fieldId) as LinkWrite[])[slot.index] = { id: children[i]!.id };
    });
  }
}

/** The link values of a batch by field, keyed by record id (an empty list unlinks everything). */
function linkSets(sheet: SheetDef, values: StorageValues[], recordIds: string[]): LinkSets {
  const sets: LinkSets = new Map();
  for (const field of sheet.fields) {
    if (field.type !== 'link') continue;
    const byRecord = new Map<string, string[]>();
    values.forEach((v, i) => {
      if (!v.has(field.id)) return;
      const writes = (v.get(field.id) ?? []) as LinkWrite[];
      byRecord.set(recordIds[i]!, writes.map((w) => ('id' in w ? w.id : '')));
    });
    if (byRecord.size) sets.set(field, byRecord);
  }
  return sets;
}

/** Rows go in as one JSON document expanded by jsonb_to_recordset: one statement and one parameter per batch. */
async function insertRows(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, values: StorageValues[], writer: Writer): Promise<RecordJson[]> {
  const fields = sheet.fields.filter((f) => hasColumn(f) && values.some((v) => v.has(f.id)));
  // Keys c0, c1, … rather than column names: the document is a third smaller to build, send and parse.
  const keys = fields.map((_, k) => `c${k}`);
  const rows = values.map((v, i) => {
    const row: Record<string, unknown> = { _i: i };
    for (let k = 0; k < fields.length; k++) row[keys[k]!] = v.get(fields[k]!.id) ?? null;
    return row;
  });
  const columns = fields.map((f) => sql.id(columnName(f.id)));
  const definitions = fields.map((f, k) => sql`${sql.id(keys[k]!)} ${sql.raw(fieldSqlType(f))}`);
  // The inserted rows come back from RETURNING (no second read), but only with what the database filled in.
  const result = await sql<RecordRow>`
    INSERT INTO ${sheetTable(ws, sheet)} AS t (created_by, updated_by${columns.length ? sql`, ${sql.join(columns)}` : sql``})
    SELECT ${writer.userId}, ${writer.userId}${keys.length ? sql`, ${sql.join(keys.map((k) => sql`x.${sql.id(k)}`))}` : sql``}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(_i integer${definitions.length ? sql`, ${sql.join(definitions)}` : sql``})
    ORDER BY x._i
    RETURNING ${insertedSelectList(sheet)}`.execute(trx);
  // Identity values follow the ORDER BY, so ascending ids are the input order.
  const ctx = { workspaceId: ws.id };
  return result.rows.sort((a, b) => Number(a.id) - Number(b.id)).map((row, i) => toRecord(row, sheet, ctx, {}, values[i]));
}

export interface UpdateInput {
  fields: unknown;
  version?: number;
}

export async function updateRecord(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, recordId: string, input: UpdateInput, writer: Writer, check?: WriteCheck): Promise<RecordJson> {
  if (!isRecordId(recordId)) throw notFound(`Record "${recordId}"`);
  const prepared = await prepare(engine, ws, sheet, [input.fields], 'update', writer.userId);
  const values = prepared.values[0]!;
  return inTransaction(engine, ws, sheet, 1, async (trx) => {
    const [before] = await fetchRecords(trx, ws, sheet, [recordId], { forUpdate: true });
    if (!before) throw notFound(`Record "${recordId}"`);
    await writer.guard?.(trx, recordId);
    await assertUnlocked(trx, ws.id, sheet, recordId, values.keys());
    if (input.version !== undefined && input.version !== before.version) {
      throw new EngineError('version_conflict', `Record ${recordId} was changed by someone else (version ${before.version}, not ${input.version}); nothing was saved`, {
        currentVersion: before.version,
        current: before,
      });
    }
    await createNested(engine, trx, ws, prepared, writer);
    await applyCopies(trx, ws, sheet, [values], prepared.given, [before]);
    const sets = [...values].flatMap(([fieldId, value]) => {
      const field = sheet.fields.find((f) => f.id === fieldId)!;
      return hasColumn(field) ? [sql`${sql.id(columnName(fieldId))} = ${storageParam(value, fieldSqlType(field))}`] : [];
    });
    const links = linkSets(sheet, [values], [recordId]);
    if (!sets.length && !links.size) {
      check?.([before]);
      return before;
    }
    await sql`
      UPDATE ${sheetTable(ws, sheet)} AS t
      SET ${sql.join([...sets, sql`version = t.version + 1`])}, updated_at = now(), updated_by = ${writer.userId}
      WHERE t.id = ${recordId}`.execute(trx);
    if (links.size) await writeLinks(trx, writer.seen ?? ws, links, () => 0);
    const [after] = await fetchRecords(trx, ws, sheet, [recordId]);
    if (!writer.unlocked) {
      assertUnlockedByRules(sheet, before, after!, values.keys());
      await assertLinkTargetsUnlocked(trx, ws, sheet, [values], [before]);
    }
    checkRules(sheet, [after!]);
    check?.([after!]);
    const changes = diffRecords(sheet, before, after!);
    const event = Object.keys(changes).length ? await recordEvents(engine, trx, ws, sheet, writer.userId, 'update', [{ after: after!, before }]) : undefined;
    await writeHistory(trx, ws.id, sheet.id, writer.userId, [{ recordId, action: 'update', changes }], historyVia(engine), event);
    return after!;
  });
}

export interface BatchUpdate {
  id: string;
  fields: unknown;
}

/**
 * Changes many records at once, all or nothing, set-based: one read of the rows (locked), one UPDATE from a JSON
 * document, one write per link field, one read back, one history statement and one event for the batch. Each record
 * changes only the fields its input names. History is written for the records whose values changed.
 */
export async function updateRecords(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, inputs: BatchUpdate[], writer: Writer): Promise<RecordJson[]> {
  const ids = inputs.map((input) => input.id);
  const bad = ids.find((id) => !isRecordId(id));
  if (bad !== undefined) throw notFound(`Record "${bad}"`);
  if (new Set(ids).size !== ids.length) throw fieldErrors({ id: 'a batch changes each record once' });
  const prepared = await prepare(engine, ws, sheet, inputs.map((input) => input.fields), 'update', writer.userId);
  return inTransaction(engine, ws, sheet, inputs.length, async (trx) => {
    const before = await fetchRecords(trx, ws, sheet, ids, { forUpdate: true });
    if (before.length !== ids.length) throw notFound(`Record "${ids.find((id) => !before.some((r) => r.id === id))}"`);
    if (writer.guardMany) await writer.guardMany(trx, ids);
    else for (const id of ids) await writer.guard?.(trx, id);
    await assertUnlockedMany(trx, ws.id, sheet, ids.map((id, i) => ({ recordId: id, fieldIds: [...prepared.values[i]!.keys()] })));
    await createNested(engine, trx, ws, prepared, writer);
    await applyCopies(trx, ws, sheet, prepared.values, prepared.given, before);
    await updateRows(trx, ws, sheet, ids, prepared.values, writer);
    const links = linkSets(sheet, prepared.values, ids);
    if (links.size) await writeLinks(trx, writer.seen ?? ws, links, (id) => ids.indexOf(id));
    const after = await fetchRecords(trx, ws, sheet, ids);
    if (!writer.unlocked) {
      after.forEach((record, i) => assertUnlockedByRules(sheet, before[i]!, record, prepared.values[i]!.keys(), { at: i, of: ids.length }));
      await assertLinkTargetsUnlocked(trx, ws, sheet, prepared.values, before);
    }
    checkRules(sheet, after);
    const changed = after.flatMap((record, i) => {
      const changes = diffRecords(sheet, before[i]!, record);
      return Object.keys(changes).length ? [{ entry: { recordId: record.id, action: 'update' as const, changes }, written: { after: record, before: before[i]! } }] : [];
    });
    const event = changed.length ? await recordEvents(engine, trx, ws, sheet, writer.userId, 'update', changed.map((c) => c.written)) : undefined;
    await writeHistory(trx, ws.id, sheet.id, writer.userId, changed.map((c) => c.entry), historyVia(engine), event);
    return after;
  });
}

/** One UPDATE for a batch: each row sets the columns its input names (`_s`), keeping the others. */
async function updateRows(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, ids: string[], values: StorageValues[], writer: Writer): Promise<void> {
  const fields = sheet.fields.filter((f) => hasColumn(f) && values.some((v) => v.has(f.id)));
  const keys = fields.map((_, k) => `c${k}`);
  const rows = values.map((v, i) => {
    const row: Record<string, unknown> = { _id: ids[i], _s: [] as string[] };
    fields.forEach((f, k) => {
      if (!v.has(f.id)) return;
      (row._s as string[]).push(keys[k]!);
      row[keys[k]!] = v.get(f.id) ?? null;
    });
    return row;
  });
  const sets = fields.map((f, k) => {
    const column = sql.id(columnName(f.id));
    return sql`${column} = CASE WHEN ${keys[k]!}::text = ANY(x._s) THEN x.${sql.id(keys[k]!)} ELSE t.${column} END`;
  });
  const definitions = fields.map((f, k) => sql`, ${sql.id(keys[k]!)} ${sql.raw(fieldSqlType(f))}`);
  await sql`
    UPDATE ${sheetTable(ws, sheet)} AS t
    SET ${sql.join([...sets, sql`version = t.version + 1`, sql`updated_at = now()`, sql`updated_by = ${writer.userId}`])}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(_id bigint, _s text[]${sql.join(definitions, sql``)})
    WHERE t.id = x._id`.execute(trx);
}

/** A value bound as a parameter of its column's type. */
function storageParam(value: unknown, type: string) {
  if (value === null) return sql`NULL`;
  const param = type === 'jsonb' ? JSON.stringify(value) : value;
  return sql`${param}::${sql.raw(type)}`;
}

/**
 * Soft delete and restore: the row stays, `deleted_at` says whether it is live. A deleted record's links are
 * removed (the linked records no longer show it) and kept in its history, so a restore links it again.
 */
export async function setRecordDeleted(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, recordId: string, deleted: boolean, writer: Writer): Promise<RecordJson> {
  if (!isRecordId(recordId)) throw notFound(`Record "${recordId}"`);
  return inTransaction(engine, ws, sheet, 1, async (trx) => {
    const [before] = deleted ? await fetchRecords(trx, ws, sheet, [recordId], { forUpdate: true }) : [];
    if (before || !deleted) await writer.guard?.(trx, recordId);
    if (before && !writer.unlocked) assertDeletableByRules(sheet, before);
    const result = await sql<{ id: string }>`
      UPDATE ${sheetTable(ws, sheet)} AS t
      SET deleted_at = ${deleted ? sql`now()` : sql`NULL`}, version = t.version + 1, updated_at = now(), updated_by = ${writer.userId}
      WHERE t.id = ${recordId} AND t.deleted_at IS ${deleted ? sql`NULL` : sql`NOT NULL`}
      RETURNING t.id`.execute(trx);
    if (!result.rows.length) throw notFound(deleted ? `Record "${recordId}"` : `Deleted record "${recordId}"`);
    const changes: HistoryEntry['changes'] = {};
    if (deleted) {
      const removed = await unlinkRecord(trx, ws, sheet, recordId);
      for (const fieldId of Object.keys(removed)) {
        const field = sheet.fields.find((f) => f.id === fieldId)!;
        changes[fieldId] = { name: field.name, from: before?.fields[field.name] ?? removed[fieldId]!.map((id) => ({ id })), to: null };
      }
    } else {
      await relinkRecord(trx, ws, sheet, recordId, await linksAtDeletion(trx, sheet, recordId));
    }
    await writeHistory(trx, ws.id, sheet.id, writer.userId, [{ recordId, action: deleted ? 'delete' : 'restore', changes }], historyVia(engine));
    const [record] = await fetchRecords(trx, ws, sheet, [recordId], { includeDeleted: true });
    await (await recordEvents(engine, trx, ws, sheet, writer.userId, deleted ? 'delete' : 'restore', [{ after: record! }]))?.execute(trx);
    return record!;
  });
}

/**
 * Runs a record write in its own transaction, or in the caller's when the engine is scoped to one (a lead
 * conversion writes several records all or nothing), checked against the current catalog before it commits; a unique
 * index violation or a refused link becomes a 400 naming the field.
 */
async function inTransaction<T>(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, count: number, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await writeTransaction(engine.db, ws, work);
  } catch (error) {
    if (error instanceof LinkWriteError) throw batchError([{ index: error.index, fields: error.fields }], count);
    throw translateWriteError(error, sheet);
  }
}

export function translateWriteError(error: unknown, sheet: SheetDef): unknown {
  const pg = error as { code?: string; constraint?: string; detail?: string };
  if (pg.code === '23505' && pg.constraint?.startsWith('u_')) {
    const field = sheet.fields.find((f) => f.id === pg.constraint!.slice(2));
    const value = /=\((.*)\) already exists/.exec(pg.detail ?? '')?.[1];
    if (field) return fieldErrors({ [field.name]: `must be unique${value !== undefined ? `: "${value}" is already used by another record` : ''}` });
  }
  return error;
}
