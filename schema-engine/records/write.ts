import { sql, type Transaction } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { columnName } from '../ids.js';
import { fieldSqlType, insertedSelectList, sheetTable } from './columns.js';
import { fetchRecords, isRecordId } from './fetch.js';
import { createdEntries, diffRecords, writeHistory } from './history.js';
import { collectReferences, parseInput, toStorageValues, type StorageValues } from './input.js';
import { toRecord, type RecordJson, type RecordRow } from './read.js';
import { loadWriteContext } from './write-context.js';

export const MAX_BATCH = 1000;

export interface Writer {
  userId: string | null;
}

/** Validates a batch; every bad record is reported, and nothing is written unless all are good. */
async function prepare(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, inputs: unknown[], mode: 'create' | 'update'): Promise<StorageValues[]> {
  const parsed = inputs.map((input) => parseInput(sheet, input));
  const ctx = await loadWriteContext(engine.db, ws.id, collectReferences(sheet, parsed));
  const values = parsed.map((p) => toStorageValues(sheet, p, mode, ctx));
  const bad = parsed.flatMap((p, index) => (Object.keys(p.errors).length ? [{ index, fields: p.errors }] : []));
  if (bad.length) {
    const first = bad[0]!;
    const error = fieldErrors(first.fields);
    if (inputs.length > 1) {
      throw new EngineError('validation_failed', `Record ${first.index + 1} of ${inputs.length}: ${error.message}; nothing was saved`, {
        fields: first.fields,
        records: bad,
      });
    }
    throw error;
  }
  return values;
}

export async function createRecords(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, inputs: unknown[], writer: Writer): Promise<RecordJson[]> {
  const values = await prepare(engine, ws, sheet, inputs, 'create');
  return inTransaction(engine, sheet, async (trx) => {
    const records = await insertRows(trx, ws, sheet, values, writer);
    await writeHistory(trx, ws.id, sheet.id, writer.userId, createdEntries(sheet, records));
    return records;
  });
}

/** Rows go in as one JSON document expanded by jsonb_to_recordset: one statement and one parameter per batch. */
async function insertRows(trx: Transaction<Database>, ws: WorkspaceOverview, sheet: SheetDef, values: StorageValues[], writer: Writer): Promise<RecordJson[]> {
  const fields = sheet.fields.filter((f) => values.some((v) => v.has(f.id)));
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

export async function updateRecord(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, recordId: string, input: UpdateInput, writer: Writer): Promise<RecordJson> {
  if (!isRecordId(recordId)) throw notFound(`Record "${recordId}"`);
  const [values] = await prepare(engine, ws, sheet, [input.fields], 'update');
  return inTransaction(engine, sheet, async (trx) => {
    const [before] = await fetchRecords(trx, ws, sheet, [recordId], { forUpdate: true });
    if (!before) throw notFound(`Record "${recordId}"`);
    if (input.version !== undefined && input.version !== before.version) {
      throw new EngineError('version_conflict', `Record ${recordId} was changed by someone else (version ${before.version}, not ${input.version}); nothing was saved`, {
        currentVersion: before.version,
        current: before,
      });
    }
    const sets = [...values!].map(([fieldId, value]) => {
      const field = sheet.fields.find((f) => f.id === fieldId)!;
      return sql`${sql.id(columnName(fieldId))} = ${storageParam(value, fieldSqlType(field))}`;
    });
    if (!sets.length) return before;
    await sql`
      UPDATE ${sheetTable(ws, sheet)} AS t
      SET ${sql.join(sets)}, version = t.version + 1, updated_at = now(), updated_by = ${writer.userId}
      WHERE t.id = ${recordId}`.execute(trx);
    const [after] = await fetchRecords(trx, ws, sheet, [recordId]);
    const changes = diffRecords(sheet, before, after!);
    await writeHistory(trx, ws.id, sheet.id, writer.userId, [{ recordId, action: 'update', changes }]);
    return after!;
  });
}

/** A value bound as a parameter of its column's type. */
function storageParam(value: unknown, type: string) {
  if (value === null) return sql`NULL`;
  const param = type === 'jsonb' ? JSON.stringify(value) : value;
  return sql`${param}::${sql.raw(type)}`;
}

/** Soft delete and restore: the row stays, `deleted_at` says whether it is live. */
export async function setRecordDeleted(engine: Engine, ws: WorkspaceOverview, sheet: SheetDef, recordId: string, deleted: boolean, writer: Writer): Promise<RecordJson> {
  if (!isRecordId(recordId)) throw notFound(`Record "${recordId}"`);
  return inTransaction(engine, sheet, async (trx) => {
    const result = await sql<{ id: string }>`
      UPDATE ${sheetTable(ws, sheet)} AS t
      SET deleted_at = ${deleted ? sql`now()` : sql`NULL`}, version = t.version + 1, updated_at = now(), updated_by = ${writer.userId}
      WHERE t.id = ${recordId} AND t.deleted_at IS ${deleted ? sql`NULL` : sql`NOT NULL`}
      RETURNING t.id`.execute(trx);
    if (!result.rows.length) throw notFound(deleted ? `Record "${recordId}"` : `Deleted record "${recordId}"`);
    await writeHistory(trx, ws.id, sheet.id, writer.userId, [{ recordId, action: deleted ? 'delete' : 'restore', changes: {} }]);
    const [record] = await fetchRecords(trx, ws, sheet, [recordId], { includeDeleted: true });
    return record!;
  });
}

/** Runs a record write; a unique index violation becomes a 400 naming the field. */
async function inTransaction<T>(engine: Engine, sheet: SheetDef, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await engine.db.transaction().execute(work);
  } catch (error) {
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
