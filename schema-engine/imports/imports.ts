import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import { audit } from '../access/changes.js';
import { readableSheet, refusePreview } from '../access/guard.js';
import { assertMayImport } from '../access/imports.js';
import type { Access } from '../access/model.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { cellsCsv } from './csv-out.js';
import { detectFile } from './detect.js';
import type { ColumnPreview } from './infer.js';
import { resolveStart, suggestMapping, type ImportStart } from './mapping.js';
import { say, type ImportLanguage } from './messages.js';
import { previewFile } from './preview.js';
import type { ReadSettings, StoredSettings } from './source.js';
import { importJson, importSummary, nextNumber, ownImport, type ImportJson, type ImportRow } from './store.js';
import type { DateOrder } from './values.js';

/** The job that runs a started import (server/jobs/tasks/import-run.ts). */
export const IMPORT_TASK = 'import_run';
/** The largest file an import takes. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

export interface Upload {
  id: string;
  /** Where the file was stored. */
  path: string;
  fileName: string;
  size: number;
  settings: ReadSettings;
  /** How dates like 01-02-03 are read when no value of a column settles it. */
  guessOrder: DateOrder;
}

const conflict = (message: string) => new EngineError('conflict', message);

/** A stored file becomes an import: read once (streaming) for its header, row count and column types. */
export async function createImport(engine: Engine, access: Access, upload: Upload): Promise<ImportJson> {
  assertMayImport(access);
  const { format, encoding } = await detectFile(upload.path, upload.fileName);
  const settings = format === 'xlsx' ? { worksheet: upload.settings.worksheet } : { encoding: upload.settings.encoding ?? encoding, delimiter: upload.settings.delimiter };
  const preview = await previewFile(upload.path, format, settings, upload.guessOrder);
  const row = await engine.db.transaction().execute(async (trx) => {
    const number = await nextNumber(trx, access.workspaceId);
    const inserted = await trx
      .insertInto('imports')
      .values({
        id: upload.id,
        workspace_id: access.workspaceId,
        number,
        created_by: access.userId,
        file_name: upload.fileName,
        size: upload.size,
        format,
        settings: JSON.stringify(preview.settings),
        columns: JSON.stringify(preview.columns),
        row_count: preview.rowCount,
        status: 'previewed',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, access, 'import.create', { kind: 'import', id: upload.id, name: `Import ${number} (${upload.fileName})` }, undefined, { fileName: upload.fileName, size: upload.size, format, rowCount: preview.rowCount });
    return inserted;
  });
  return importJson(engine.db, row);
}

export async function getImport(engine: Engine, access: Access, id: string): Promise<ImportJson> {
  return importJson(engine.db, await ownImport(engine.db, access, id));
}

export type ImportSummary = Omit<ImportJson, 'problems' | 'columns'>;

/** The user's latest imports (a page reload finds the one still running). */
export async function listImports(engine: Engine, access: Access): Promise<ImportSummary[]> {
  const rows = await engine.db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', access.workspaceId)
    .where('created_by', '=', access.userId)
    .orderBy('number', 'desc')
    .limit(50)
    .execute();
  return rows.map(importSummary);
}

/** Reads a previewed import's file again with other settings (an encoding, a delimiter, a worksheet). */
export async function previewAgain(engine: Engine, access: Access, id: string, path: string, settings: ReadSettings, guessOrder: DateOrder): Promise<ImportJson> {
  assertMayImport(access);
  const row = previewed(await ownImport(engine.db, access, id));
  const stored = row.settings as StoredSettings;
  const next = row.format === 'xlsx' ? { worksheet: settings.worksheet ?? stored.worksheet } : { encoding: settings.encoding ?? stored.encoding, delimiter: settings.delimiter ?? stored.delimiter };
  const preview = await previewFile(path, row.format, next, guessOrder);
  const updated = await engine.db
    .updateTable('imports')
    .set({ settings: JSON.stringify(preview.settings), columns: JSON.stringify(preview.columns), row_count: preview.rowCount, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'previewed')
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw conflict(`Import ${row.number} was started meanwhile; its file is read as it was`);
  return importJson(engine.db, updated);
}

function previewed(row: ImportRow): ImportRow {
  if (row.status !== 'previewed') throw conflict(`Import ${row.number} was already started (it is ${row.status}); upload the file again to import it once more`);
  return row;
}

/** The mapping the wizard starts from for a sheet (by id or name), or for a new sheet without one. */
export async function importMapping(engine: Engine, access: Access, id: string, sheetRef: string | undefined) {
  const row = await ownImport(engine.db, access, id);
  const sheet = sheetRef === undefined ? undefined : readableSheet(access, sheetRef).sheet;
  return { ...(sheet ? { sheet: sheet.id } : {}), mapping: suggestMapping(access, row.columns as ColumnPreview[], sheet) };
}

/**
 * Starts a previewed import: checked and resolved against the sheet as the user may use it, marked running and its job
 * added in one transaction (so a second start, or a start racing it, answers 409).
 */
export async function startImport(engine: Engine, access: Access, id: string, input: ImportStart, language: ImportLanguage, path: string): Promise<ImportJson> {
  assertMayImport(access);
  let row = previewed(await ownImport(engine.db, access, id));
  const stored = row.settings as StoredSettings;
  const { encoding, delimiter, worksheet } = input;
  if ((encoding && encoding !== stored.encoding) || (delimiter && delimiter !== stored.delimiter) || (worksheet !== undefined && worksheet !== stored.worksheet)) {
    const json = await previewAgain(engine, access, id, path, { encoding, delimiter, worksheet }, input.dateOrder ?? 'dmy');
    row = await ownImport(engine.db, access, json.id);
  }
  const plan = resolveStart(access, row.columns as ColumnPreview[], input);
  if (!engine.jobs) throw new Error('imports run on the job queue, and this engine has none');
  const jobs = engine.jobs;
  const started = await engine.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('imports')
      .set({ status: 'running', options: JSON.stringify(plan), language, sheet_id: plan.sheet ?? null, started_at: new Date(), updated_at: new Date(), cancel_requested: false })
      .where('id', '=', id)
      .where('status', '=', 'previewed')
      .returningAll()
      .executeTakeFirst();
    if (!updated) return undefined;
    await jobs.add(trx, IMPORT_TASK, { importId: id }, { maxAttempts: 3 });
    await audit(trx, access, 'import.start', { kind: 'import', id, name: `Import ${updated.number} (${updated.file_name})` }, undefined, plan);
    return updated;
  });
  if (!started) throw conflict(`Import ${row.number} was already started`);
  return importJson(engine.db, started);
}

/**
 * Cancels an import: one not started yet ends at once (its file removed); a running one stops after the batch it is
 * writing and rolls everything back. One that has ended answers 409.
 */
export async function cancelImport(engine: Engine, access: Access, id: string, path: string): Promise<ImportJson> {
  refusePreview(access);
  const row = await ownImport(engine.db, access, id);
  if (row.status !== 'previewed' && row.status !== 'running') throw conflict(`Import ${row.number} has already ended (${row.status})`);
  const updated = await engine.db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('imports')
      .set(
        row.status === 'previewed'
          ? { status: 'cancelled', error: say(row.language as ImportLanguage, { key: 'cancelled' }), finished_at: new Date(), updated_at: new Date() }
          : { cancel_requested: true, updated_at: new Date() },
      )
      .where('id', '=', id)
      .where('status', '=', row.status)
      .returningAll()
      .executeTakeFirst();
    if (changed) await audit(trx, access, 'import.cancel', { kind: 'import', id, name: `Import ${row.number} (${row.file_name})` }, { status: row.status }, undefined);
    return changed;
  });
  if (!updated) throw conflict(`Import ${row.number} changed meanwhile; look at it again`);
  if (updated.status === 'cancelled') await rm(path, { force: true });
  return importJson(engine.db, updated);
}

/** Every problem of an import as CSV (UTF-8 with a BOM, so Excel reads Chinese), streamed from the database. */
export async function* problemsCsv(engine: Engine, access: Access, id: string, language: ImportLanguage): AsyncGenerator<string> {
  await ownImport(engine.db, access, id);
  const header = language === 'zh-TW' ? ['列', '欄', '值', '原因'] : ['row', 'column', 'value', 'reason'];
  yield `\ufeff${cellsCsv(header)}`;
  for (let after = -1; ; ) {
    const { rows } = await sql<{ seq: number; row: number; column: string | null; value: string | null; reason: string }>`
      SELECT seq, row, "column", value, reason FROM import_problems WHERE import_id = ${id} AND seq > ${after} ORDER BY seq LIMIT 5000`.execute(engine.db);
    if (!rows.length) return;
    yield rows.map((p) => cellsCsv([String(p.row), p.column ?? '', p.value ?? '', p.reason])).join('');
    after = rows[rows.length - 1]!.seq;
  }
}
