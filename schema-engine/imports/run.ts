import { rm } from 'node:fs/promises';
import { accessFor, refreshAccess } from '../access/load.js';
import { audit } from '../access/changes.js';
import type { Access } from '../access/model.js';
import type { SheetDef } from '../catalog/model.js';
import type { Engine } from '../engine.js';
import type { LinkOptions } from '../computed/sql.js';
import { EngineError } from '../errors.js';
import { junctionName, tableName } from '../ids.js';
import { addField } from '../schema-changes/fields.js';
import { fieldInputSchema } from '../schema-changes/field-input.js';
import { nameKey } from '../schema-changes/names.js';
import { createSheet } from '../schema-changes/sheets.js';
import { inOneTransaction } from '../transaction.js';
import { BatchWriter, type ColumnPlan } from './batch.js';
import { isEmptyCell, type SourceRow } from './cells.js';
import type { ColumnPreview } from './infer.js';
import { LinkMatcher } from './links.js';
import type { ImportPlan } from './mapping.js';
import { say, type ImportLanguage, type Reason } from './messages.js';
import { Progress } from './progress.js';
import { Statistics, type WatchedTable } from './statistics.js';
import { readerOf } from './readers.js';
import { sourceRows, type StoredSettings } from './source.js';
import type { ImportRow } from './store.js';

/** Rows per call of the engine's batch functions (its largest batch). */
export const IMPORT_BATCH = 1000;
/** With onError "abort", reading stops after this many problems: the file needs fixing first. */
const ABORT_AFTER = 1000;

/** Ends the import's transaction without error: cancelled, or aborted by its problems. */
class Stop extends Error {
  constructor(readonly reason: 'cancelled' | 'aborted') {
    super(reason);
  }
}

/**
 * Runs a started import (the job of server/jobs/tasks/import-run.ts): the whole import, new sheet and fields included,
 * is one transaction under the workspace's schema lock, acting as the user who started it with their current Access.
 * It commits only if the import succeeds (with onError "skip", the good rows) and is rolled back whole when
 * cancelled, aborted or failed, so nothing is half written; run again after a crash, it starts over. The file is
 * removed when it ends.
 */
export async function runImport(engine: Engine, importId: string, path: string): Promise<void> {
  const row = await engine.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
  if (!row || row.status !== 'running') return;
  const language = row.language as ImportLanguage;
  const progress = new Progress(engine.db, row.id);
  await progress.reset();
  let end: { status: 'done' | 'failed' | 'cancelled'; error?: string; sheetId?: string };
  try {
    if (row.cancel_requested) throw new Stop('cancelled');
    const sheetId = await inOneTransaction(engine, row.workspace_id, (scoped) => importRows({ ...scoped, origin: { import: row.id } }, row, path, progress));
    end = { status: 'done', sheetId };
  } catch (error) {
    progress.inserted = 0;
    progress.updated = 0;
    if (error instanceof Stop && error.reason === 'cancelled') end = { status: 'cancelled', error: say(language, { key: 'cancelled' }) };
    else if (error instanceof Stop) end = { status: 'failed', error: say(language, { key: 'aborted', params: { count: progress.problemCount } }) };
    else {
      if (!(error instanceof EngineError)) engine.log(`import ${row.id} failed`, error);
      const reason = error instanceof EngineError ? error.message : 'the server could not finish it (see its log)';
      end = { status: 'failed', error: say(language, { key: 'failed', params: { reason } } satisfies Reason) };
    }
  }
  await progress.flush();
  await engine.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('imports')
      .set({ status: end.status, error: end.error ?? null, finished_at: new Date(), updated_at: new Date(), inserted: progress.inserted, updated: progress.updated, ...(end.sheetId ? { sheet_id: end.sheetId } : {}) })
      .where('id', '=', row.id)
      .execute();
    const by = { workspaceId: row.workspace_id, userId: row.created_by ?? '' };
    await audit(trx, by, `import.${end.status}`, { kind: 'import', id: row.id, name: `Import ${row.number} (${row.file_name})` }, undefined, {
      sheetId: end.sheetId ?? row.sheet_id,
      processed: progress.processed,
      inserted: progress.inserted,
      updated: progress.updated,
      skipped: progress.skipped,
      problems: progress.problemCount,
      ...(end.error ? { error: end.error } : {}),
    });
  });
  await rm(path, { force: true });
}

/** Inside the import's transaction: the sheet and fields it makes, then every row, batch by batch. Answers the sheet. */
async function importRows(engine: Engine, row: ImportRow, path: string, progress: Progress): Promise<string> {
  const plan = row.options as ImportPlan;
  if (!row.created_by) throw new EngineError('forbidden', 'The member who started the import is no longer in the workspace');
  let access = await accessFor(engine, row.workspace_id, row.created_by);
  const sheet = await makeSchema(engine, access, plan);
  access = await refreshAccess(engine, access);
  const grant = access.grant(sheet.id);
  if (!grant?.sheet) throw new EngineError('forbidden', `Your role can no longer read "${sheet.name}"`);
  const settings = row.settings as StoredSettings;
  const previews = row.columns as ColumnPreview[];
  const fieldOf = (target: ImportPlan['targets'][number]) =>
    grant.sheet!.fields.find((f) => (target.field ? f.id === target.field : nameKey(f.name) === nameKey(target.new!.name)));
  const columns: ColumnPlan[] = [];
  for (const target of plan.targets) {
    const field = fieldOf(target);
    if (!field) throw new EngineError('validation_failed', `The field for the column "${target.name}" is no longer in "${sheet.name}"`);
    const reader = readerOf(field);
    columns.push({
      name: target.name,
      source: settings.sources[target.column]!,
      field,
      reader,
      dateOrder: plan.dateOrder ?? previews[target.column]?.dateOrder ?? previews.find((c) => c.dateOrder)?.dateOrder ?? 'dmy',
      ...(reader.kind === 'link' ? { link: await LinkMatcher.load(engine, access, field) } : {}),
    });
  }
  const statistics = new Statistics(engine.db, watchedTables(access, sheet, columns));
  await statistics.refresh();
  const workspace = await engine.db.selectFrom('workspaces').select('time_zone').where('id', '=', row.workspace_id).executeTakeFirstOrThrow();
  const writer = new BatchWriter({ engine, access, grant, columns, plan, progress, language: row.language as ImportLanguage, timeZone: workspace.time_zone });
  const step = async (rows: SourceRow[]) => {
    await writer.write(rows);
    await statistics.written(rows.length);
    if (progress.due() && (await progress.flush())) throw new Stop('cancelled');
    if (plan.onError === 'abort' && progress.problemCount >= ABORT_AFTER) throw new Stop('aborted');
  };
  let batch: SourceRow[] = [];
  for await (const source of sourceRows(path, row.format, settings)) {
    if (source.number < settings.dataFrom || source.cells.every(isEmptyCell)) continue;
    batch.push(source);
    if (batch.length === IMPORT_BATCH) {
      await step(batch);
      batch = [];
    }
  }
  if (batch.length) await step(batch);
  if (plan.onError === 'abort' && progress.problemCount > 0) throw new Stop('aborted');
  // Batches flush at most once a second: a cancel asked for since the last one is heard before the commit.
  if (await progress.flush()) throw new Stop('cancelled');
  return sheet.id;
}

/** The tables the batches' statements read: the sheet's, and per link column its junction and the linked sheet's. */
function watchedTables(access: Access, sheet: SheetDef, columns: ColumnPlan[]): WatchedTable[] {
  const schema = access.full.schema;
  const tables: WatchedTable[] = [{ schema, table: tableName(sheet.id), columns: ['id', 'deleted_at'] }];
  for (const column of columns) {
    if (!column.link) continue;
    const options = column.field.options as LinkOptions;
    tables.push({ schema, table: junctionName(options.junction), columns: ['a', 'b'] });
    if (options.sheet !== sheet.id) tables.push({ schema, table: tableName(options.sheet), columns: ['id', 'deleted_at'] });
  }
  return tables;
}

/** The new sheet, or the new fields of the existing one, made as a designer makes them (audited, in this transaction). */
async function makeSchema(engine: Engine, access: Access, plan: ImportPlan): Promise<SheetDef> {
  const fresh = plan.targets.filter((t) => t.new).map((t) => fieldInputSchema.parse(t.new));
  if (plan.newSheet !== undefined) return createSheet(engine, access, { name: plan.newSheet, fields: fresh });
  const ws = await engine.catalog.get(access.workspaceId);
  const sheet = ws.sheets.find((s) => s.id === plan.sheet);
  if (!sheet) throw new EngineError('not_found', 'The sheet of the import was deleted meanwhile');
  for (const input of fresh) await addField(engine, access, sheet.id, input);
  return fresh.length ? (await engine.catalog.get(access.workspaceId)).sheets.find((s) => s.id === sheet.id)! : sheet;
}
