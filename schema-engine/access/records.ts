import { sql, type Transaction } from 'kysely';
import type { SheetDef } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { LinkOptions } from '../computed/sql.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { PUBLIC_FORM_USER_ID } from '../ids.js';
import { groupRecords, type GroupQuery } from '../query/groups.js';
import { listRecords, type ListQuery, type ListResult } from '../query/list.js';
import { sheetTable } from '../records/columns.js';
import { fetchRecords, isRecordId } from '../records/fetch.js';
import { readHistory, type ReadableLinks } from '../records/history.js';
import { readRecord } from '../records/loader.js';
import type { ReadOptions, RecordJson } from '../records/read.js';
import { createRecords, setRecordDeleted, updateRecord, updateRecords, type BatchUpdate, type UpdateInput, type WriteCheck, type Writer } from '../records/write.js';
import { creatableSheet, outOfScope, readableSheet } from './guard.js';
import type { Access, SheetGrant } from './model.js';
import { readableFiles } from './files.js';
import { ownerField } from './scope.js';

/** Records of a sheet, filtered, sorted, searched and paged, of the rows and fields the user may read. */
export function listSheetRecords(engine: Engine, access: Access, sheetRef: string, query: ListQuery): Promise<ListResult> {
  const { sheet } = readableSheet(access, sheetRef);
  return listRecords(engine.db, access.ws, sheet, query);
}

/** Kanban columns: counts (and sums) per choice over the rows the user may read. */
export function groupSheetRecords(engine: Engine, access: Access, sheetRef: string, query: GroupQuery) {
  const { sheet } = readableSheet(access, sheetRef);
  return groupRecords(engine.db, access.ws, sheet, query);
}

/** What the user may do with one record they read: the client offers only that (API.md extension `can`). */
export interface RecordCan {
  update: boolean;
  delete: boolean;
}

/** One live record the user may read, or 404; with `withCan`, what they may do with it. */
export async function getSheetRecord(engine: Engine, access: Access, sheetRef: string, recordId: string, options: ReadOptions = {}, withCan = false): Promise<RecordJson & { can?: RecordCan }> {
  const grant = readableSheet(access, sheetRef);
  const record = await readRecord(engine, access.ws, grant.sheet, recordId, options);
  if (!record) throw notFound(`Record "${recordId}"`);
  return withCan ? { ...record, can: await recordCan(engine, access, grant, recordId) } : record;
}

/** A record the user may read and change, else 404 (unreadable) or 403 naming it: acting on it (a button) needs both. */
export async function requireRecordUpdate(engine: Engine, access: Access, sheetRef: string, recordId: string): Promise<void> {
  const { can } = await getSheetRecord(engine, access, sheetRef, recordId, {}, true);
  const grant = readableSheet(access, sheetRef);
  if (!can?.update) throw outOfScope(access, grant, recordId, 'update');
}

/** Whether this record is inside the role's update and delete scopes (an "own" scope differs record by record). */
async function recordCan(engine: Engine, access: Access, grant: SheetGrant, recordId: string): Promise<RecordCan> {
  const update = grant.rows('update');
  const remove = grant.rows('delete');
  if ((update === undefined || update === null) && (remove === undefined || remove === null)) return { update: update === null, delete: remove === null };
  const condition = (scope: typeof update) => (scope === undefined ? sql`FALSE` : scope === null ? sql`TRUE` : scope('t'));
  const { rows } = await sql<RecordCan>`
    SELECT coalesce(${condition(update)}, FALSE) AS update, coalesce(${condition(remove)}, FALSE) AS delete
    FROM ${sheetTable(access.full, grant.full)} AS t WHERE t.id = ${recordId}`.execute(engine.db);
  return rows[0] ?? { update: false, delete: false };
}

/** A record's history (deleted records too), of the fields the user may see; a record they may not read is 404. */
export async function sheetRecordHistory(engine: Engine, access: Access, sheetRef: string, recordId: string) {
  const grant = readableSheet(access, sheetRef);
  const [record] = isRecordId(recordId) ? await fetchRecords(engine.db, access.ws, grant.sheet, [recordId], { includeDeleted: true }) : [];
  if (!record) throw notFound(`Record "${recordId}"`);
  return readHistory(engine.db, grant.sheet, recordId, grant.hidden, undefined, access.ws === access.full ? undefined : readableLinks(engine, access));
}

/**
 * Which linked records a history may name: the ones the user may read now. A history stores the titles a change had
 * (another rep's lead, once linked to an account the user reads); those of records they may not read are left out.
 */
function readableLinks(engine: Engine, access: Access): ReadableLinks {
  return async (field, ids) => {
    const target = access.ws.sheets.find((s) => s.id === (field.options as LinkOptions).sheet);
    const numeric = ids.filter(isRecordId);
    if (!target || !numeric.length) return new Set();
    if (!target.rowScope) return new Set(numeric);
    const { rows } = await sql<{ id: string }>`
      SELECT t.id::text AS id FROM ${sheetTable(access.ws, target)} AS t WHERE t.id = ANY(${numeric}::bigint[]) AND ${target.rowScope('t')}`.execute(engine.db);
    return new Set(rows.map((r) => r.id));
  };
}

/**
 * Creates records (a batch all or nothing) where the role may; fields it may not write are a 403 naming them, and
 * the sheet's owner field is the creator's unless given. The answer shows what the user may read of them.
 */
export async function createSheetRecords(engine: Engine, access: Access, sheetRef: string, inputs: unknown[], check?: WriteCheck): Promise<RecordJson[]> {
  const grant = creatableSheet(access, sheetRef);
  const owned = inputs.map((input) => withOwner(access, grant.full, input));
  assertWritable(access, grant, owned, 'create');
  await assertAttachable(engine, access, grant, owned);
  try {
    const records = await createRecords(engine, access.full, grant.full, owned, writerOf(access), check);
    return await seen(engine, access, grant, records);
  } catch (error) {
    throw withoutHiddenRule(grant, error);
  }
}

/** Changes a record the user may read and update (404 when they may not read it, 403 when outside their scope). */
export async function updateSheetRecord(engine: Engine, access: Access, sheetRef: string, recordId: string, input: UpdateInput, check?: WriteCheck): Promise<RecordJson> {
  const grant = readableSheet(access, sheetRef);
  assertWritable(access, grant, [input.fields], 'update');
  await assertAttachable(engine, access, grant, [input.fields]);
  try {
    const record = await updateRecord(engine, access.full, grant.full, recordId, input, writerOf(access, guardOf(access, grant, 'update')), check);
    return (await seen(engine, access, grant, [record]))[0]!;
  } catch (error) {
    throw await withSeenCurrent(engine, access, grant, withoutHiddenRule(grant, error));
  }
}

/**
 * Changes many records at once (an import's upsert), all or nothing: each must be one the user may read and update,
 * with fields they may write. The answer is the records as the user sees them.
 */
export async function updateSheetRecords(engine: Engine, access: Access, sheetRef: string, inputs: BatchUpdate[]): Promise<RecordJson[]> {
  const grant = readableSheet(access, sheetRef);
  assertWritable(access, grant, inputs.map((i) => i.fields), 'update');
  await assertAttachable(engine, access, grant, inputs.map((i) => i.fields));
  try {
    const guard = guardOf(access, grant, 'update');
    const records = await updateRecords(engine, access.full, grant.full, inputs, { ...writerOf(access, guard), ...(guard ? { guardMany: guardManyOf(access, grant) } : {}) });
    return await seen(engine, access, grant, records);
  } catch (error) {
    throw withoutHiddenRule(grant, error);
  }
}

/** guardOf's update check for many rows in one statement: the first one the user may not read or change refuses the batch. */
function guardManyOf(access: Access, grant: SheetGrant): NonNullable<Writer['guardMany']> {
  return async (trx, recordIds) => {
    const condition = (scope: ReturnType<SheetGrant['rows']>) => (scope === undefined ? sql`FALSE` : scope === null ? sql`TRUE` : scope('t'));
    const { rows } = await sql<{ id: string; readable: boolean; allowed: boolean }>`
      SELECT t.id::text AS id, coalesce(${condition(grant.rows('read'))}, FALSE) AS readable, coalesce(${condition(grant.rows('update'))}, FALSE) AS allowed
      FROM ${sheetTable(access.full, grant.full)} AS t WHERE t.id = ANY(${recordIds}::bigint[])`.execute(trx);
    const bad = rows.find((r) => !r.readable || !r.allowed);
    if (bad && !bad.readable) throw notFound(`Record "${bad.id}"`);
    if (bad) throw outOfScope(access, grant, bad.id, 'update');
  };
}

/** Deletes (or restores) a record the user may read and delete. */
export async function deleteSheetRecord(engine: Engine, access: Access, sheetRef: string, recordId: string, deleted: boolean): Promise<RecordJson> {
  const grant = readableSheet(access, sheetRef);
  const record = await setRecordDeleted(engine, access.full, grant.full, recordId, deleted, writerOf(access, guardOf(access, grant, 'delete')));
  return (await seen(engine, access, grant, [record], { includeDeleted: true }))[0]!;
}

/** The writer of an Access: links only to records the user may read, and the row guard of an update or delete. */
export function writerOf(access: Access, guard?: Writer['guard']): Writer {
  return {
    userId: access.userId,
    ...(access.ws !== access.full ? { seen: access.ws } : {}),
    ...(guard ? { guard } : {}),
    // Lock rules hold everyone but designers, who correct an issued document when they must.
    ...(access.role.design ? { unlocked: true } : {}),
  };
}

/**
 * Checked on the locked row before it is changed: a record the user may not read is 404 (it does not exist for
 * them), one they may read but not change (or delete) is 403. Nothing to check when both reach every record.
 */
export function guardOf(access: Access, grant: SheetGrant, operation: 'update' | 'delete'): Writer['guard'] {
  const read = grant.rows('read');
  const change = grant.rows(operation);
  if (read === null && change === null) return undefined;
  return async (trx: Transaction<Database>, recordId: string) => {
    const condition = (scope: typeof read) => (scope === undefined ? sql`FALSE` : scope === null ? sql`TRUE` : scope('t'));
    const { rows } = await sql<{ readable: boolean; allowed: boolean }>`
      SELECT coalesce(${condition(read)}, FALSE) AS readable, coalesce(${condition(change)}, FALSE) AS allowed
      FROM ${sheetTable(access.full, grant.full)} AS t WHERE t.id = ${recordId}`.execute(trx);
    if (!rows[0]?.readable) throw notFound(`Record "${recordId}"`);
    if (!rows[0].allowed) throw outOfScope(access, grant, recordId, operation);
  };
}

/** A new record's owner is its creator, unless the input names one (the role may be allowed to assign it). */
function withOwner(access: Access, sheet: SheetDef, input: unknown): unknown {
  const owner = ownerField(sheet);
  if (!owner || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const given = Object.keys(input).some((key) => findField(sheet, key)?.id === owner.id);
  if (given || access.userId === PUBLIC_FORM_USER_ID) return input;
  return { ...input, [owner.id]: access.userId };
}

/**
 * Fields the role may not write (hidden or read-only), and new linked records in sheets it may not add to, refuse the
 * whole write with 403 naming them. A field is named as the user wrote it, so a hidden one's name is not revealed.
 */
function assertWritable(access: Access, grant: SheetGrant, inputs: unknown[], mode: 'create' | 'update', depth = 0): void {
  const problems: Record<string, string> = {};
  for (const input of inputs) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) continue;
    for (const [key, value] of Object.entries(input)) {
      const field = findField(grant.full, key);
      if (!field) continue;
      if (grant.hidden.has(field.id)) problems[key] = 'is not a field you may write';
      else if (grant.readOnly.has(field.id) && !(mode === 'create' && field.id === ownerField(grant.full)?.id && value === access.userId)) {
        problems[field.name] = 'is read-only for your role';
      } else if (field.type === 'link' && Array.isArray(value) && depth < 4) {
        const nested = value.flatMap((v) => (typeof v === 'object' && v !== null && 'fields' in v ? [(v as { fields: unknown }).fields] : []));
        if (!nested.length) continue;
        const target = access.grant((field.options as LinkOptions).sheet);
        if (!target?.create) problems[field.name] = `your role cannot add records to the linked sheet`;
        else assertWritable(access, target, nested, 'create', depth + 1);
      }
    }
  }
  if (Object.keys(problems).length) {
    const [name, problem] = Object.entries(problems)[0]!;
    throw new EngineError('forbidden', `"${name}" ${problem}; nothing was saved`, { fields: problems });
  }
}

/** Files put into attachment fields must be ones the user may open: uploaded by them, or already in what they read. */
async function assertAttachable(engine: Engine, access: Access, grant: SheetGrant, inputs: unknown[]): Promise<void> {
  if (access.role.design) return;
  const ids = new Map<string, string>();
  for (const input of inputs) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) continue;
    for (const [key, value] of Object.entries(input)) {
      const field = findField(grant.full, key);
      if (field?.type !== 'attachment' || !Array.isArray(value)) continue;
      for (const item of value) ids.set(typeof item === 'object' && item !== null ? String((item as { id: unknown }).id) : String(item), field.name);
    }
  }
  if (!ids.size) return;
  const readable = await readableFiles(engine, access, [...ids.keys()]);
  const denied = [...ids].find(([id]) => !readable.has(id));
  if (denied) throw fieldErrors({ [denied[1]]: `no uploaded file has the id "${denied[0]}"` });
}

/** Written records as the user sees them: read again through their catalog when it hides or scopes anything. */
async function seen(engine: Engine, access: Access, grant: SheetGrant, records: RecordJson[], options: { includeDeleted?: boolean } = {}): Promise<RecordJson[]> {
  if (access.ws === access.full) return records;
  const visible = grant.sheet ? await fetchRecords(engine.db, access.ws, grant.sheet, records.map((r) => r.id), options) : [];
  const byId = new Map(visible.map((r) => [r.id, r]));
  // A record written but not readable by its writer (an intake form, a lead handed to another owner) shows no values.
  return records.map((r) => byId.get(r.id) ?? { id: r.id, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt, fields: {} });
}

/**
 * A validation rule holds on every write, also over fields hidden from the writer; when one of those breaks it, the
 * answer neither names them nor shows the rule's message (written by an admin, it may name them too: "Cost must stay
 * under 50"). The refusal itself stays: nothing is written.
 */
function withoutHiddenRule(grant: SheetGrant, error: unknown): unknown {
  if (!(error instanceof EngineError) || error.code !== 'validation_failed' || !grant.hidden.size) return error;
  const ruleIds = new Set<string>([error.details?.rule, ...((error.details?.records as { rule?: unknown }[] | undefined) ?? []).map((r) => r.rule)].filter((id): id is string => typeof id === 'string'));
  const hiddenRule = grant.full.rules.some((rule) => ruleIds.has(rule.id) && rule.fieldIds.some((id) => grant.hidden.has(id)));
  if (!hiddenRule) return error;
  const hiddenNames = new Set(grant.full.fields.filter((f) => grant.hidden.has(f.id)).map((f) => f.name));
  const visible = (fields: unknown) => Object.fromEntries(Object.entries((fields ?? {}) as Record<string, unknown>).filter(([name]) => !hiddenNames.has(name)));
  const records = error.details?.records as { index: number; fields?: unknown; rule?: unknown }[] | undefined;
  return new EngineError('validation_failed', `This change breaks a rule of "${grant.full.name}" about fields your role does not see; nothing was saved`, {
    fields: visible(error.details?.fields),
    ...(records ? { records: records.map((r) => ({ index: r.index, fields: visible(r.fields) })) } : {}),
  });
}

/** A version conflict's `details.current` is the record as the user may see it. */
async function withSeenCurrent(engine: Engine, access: Access, grant: SheetGrant, error: unknown): Promise<unknown> {
  if (!(error instanceof EngineError) || error.code !== 'version_conflict' || access.ws === access.full) return error;
  const current = error.details?.current as RecordJson | undefined;
  if (!current) return error;
  const [visible] = await seen(engine, access, grant, [current]);
  return new EngineError('version_conflict', error.message, { ...error.details, current: visible });
}
