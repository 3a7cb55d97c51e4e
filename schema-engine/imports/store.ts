import { sql, type Selectable, type Transaction } from 'kysely';
import type { Access } from '../access/model.js';
import type { Database, Db, ImportsTable } from '../db.js';
import { notFound } from '../errors.js';
import type { FileFormat } from './detect.js';
import type { ColumnPreview } from './infer.js';
import type { StoredSettings } from './source.js';
import type { DateOrder } from './values.js';

export type ImportRow = Selectable<ImportsTable>;

export interface Problem {
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
}

/** An import as the API shows it (API.md "Import and export", with the fields this server adds). */
export interface ImportJson {
  id: string;
  number: number;
  status: ImportRow['status'];
  fileName: string;
  size: number;
  format: FileFormat;
  encoding?: string;
  delimiter?: string;
  worksheet?: string;
  worksheets?: string[];
  rowCount: number;
  columns: ColumnPreview[];
  dateOrder?: DateOrder;
  processed: number;
  inserted: number;
  updated: number;
  skipped: number;
  problems: Problem[];
  problemCount: number;
  sheetId?: string;
  mode?: 'insert' | 'upsert';
  onError?: 'abort' | 'skip';
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** The problems an Import lists; the CSV has them all. */
export const LISTED_PROBLEMS = 1000;

/** One import of the user's (imports hold the contents of their file: nobody else's are shown), or 404. */
export async function ownImport(db: Db, access: Access, id: string): Promise<ImportRow> {
  const row = await db.selectFrom('imports').selectAll().where('id', '=', id).where('workspace_id', '=', access.workspaceId).executeTakeFirst();
  if (!row || row.created_by !== access.userId) throw notFound(`Import "${id}"`);
  return row;
}

export async function importJson(db: Db, row: ImportRow): Promise<ImportJson> {
  const problems = await db
    .selectFrom('import_problems')
    .select(['row', 'column', 'value', 'reason'])
    .where('import_id', '=', row.id)
    .orderBy('seq')
    .limit(LISTED_PROBLEMS)
    .execute();
  return { ...importSummary(row), columns: row.columns as ColumnPreview[], problems };
}

/** An import without its columns and problems (the user's list of imports). */
export function importSummary(row: ImportRow): Omit<ImportJson, 'problems' | 'columns'> {
  const settings = row.settings as StoredSettings;
  const options = row.options as { mode?: ImportJson['mode']; onError?: ImportJson['onError'] } | null;
  const dateOrder = (row.columns as ColumnPreview[]).find((c) => c.dateOrder)?.dateOrder;
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    fileName: row.file_name,
    size: Number(row.size),
    format: row.format,
    ...(settings.encoding ? { encoding: settings.encoding } : {}),
    ...(settings.delimiter ? { delimiter: settings.delimiter } : {}),
    ...(settings.worksheet !== undefined ? { worksheet: settings.worksheet, worksheets: settings.worksheets ?? [] } : {}),
    rowCount: row.row_count,
    ...(dateOrder ? { dateOrder } : {}),
    processed: row.processed,
    inserted: row.inserted,
    updated: row.updated,
    skipped: row.skipped,
    problemCount: row.problem_count,
    ...(row.sheet_id ? { sheetId: row.sheet_id } : {}),
    ...(options?.mode ? { mode: options.mode, onError: options.onError } : {}),
    ...(row.error ? { error: row.error } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.started_at ? { startedAt: row.started_at.toISOString() } : {}),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
  };
}

/** The next import number of a workspace, taken under a lock so two uploads never share one. */
export async function nextNumber(trx: Transaction<Database>, workspaceId: string): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`crm:imports:${workspaceId}`}))`.execute(trx);
  const { rows } = await sql<{ n: number }>`SELECT coalesce(max(number), 0) + 1 AS n FROM imports WHERE workspace_id = ${workspaceId}`.execute(trx);
  return rows[0]!.n;
}
