import { sql, type Transaction } from 'kysely';
import type { WorkspaceOverview } from '../catalog/model.js';
import type { Database, Db } from '../db.js';
import { columnName, isSearchIndexName, schemaName, tableName } from '../ids.js';
import { searchFieldIds, sheetSearchIndex } from '../query/search-text.js';
import { compileDdl, type DdlAction } from './ddl.js';

/**
 * Each sheet has one trigram search index over the joined text of its text-like columns (query/search-text.ts). It
 * follows the catalog: whenever a change adds, retypes, deletes or restores a text-like field (or a sheet), the sheet's
 * index is built again for its new set of columns, concurrently, by a job the change queues (index-builds.ts), and the
 * old one is dropped. Until then a search reads the rows without an index: slower, the same answer.
 */

/** What a schema change does to search indexes. */
export interface SearchIndexPlan {
  /**
   * Old indexes dropped in the change's transaction: those over a column the change renames or adds, which the
   * transaction locks anyway. A name must never stand for an index over a column put aside in the trash.
   */
  readonly drops: readonly DdlAction[];
  /** Sheets whose index is built again after the commit (by the job queued with the change: index-builds.ts). */
  readonly sheets: readonly string[];
}

interface SheetFields {
  workspaceId: string;
  sheetId: string;
  fields: { id: string; type: string }[];
}

/** Live sheets with their live fields: all of them, a workspace's, or some of a workspace's. */
async function liveSheets(db: Db, workspaceId?: string, sheetIds?: readonly string[]): Promise<SheetFields[]> {
  if (sheetIds && !sheetIds.length) return [];
  let sheets = db.selectFrom('sheets').select(['id', 'workspace_id']).where('deleted_at', 'is', null);
  if (workspaceId) sheets = sheets.where('workspace_id', '=', workspaceId);
  if (sheetIds) sheets = sheets.where('id', 'in', [...sheetIds]);
  const rows = await sheets.execute();
  if (!rows.length) return [];
  const fields = await db
    .selectFrom('fields')
    .select(['id', 'type', 'sheet_id'])
    .where('deleted_at', 'is', null)
    .where('sheet_id', 'in', rows.map((r) => r.id))
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, sheetId: r.id, fields: fields.filter((f) => f.sheet_id === r.id) }));
}

/** The search index changes of a schema change, from the catalog before it and as the change left it (`trx`). */
export async function planSearchIndexes(trx: Transaction<Database>, before: WorkspaceOverview, ddl: readonly DdlAction[]): Promise<SearchIndexPlan> {
  const drops: DdlAction[] = [];
  const sheets: string[] = [];
  for (const sheet of await liveSheets(trx, before.id)) {
    const now = searchFieldIds(sheet.fields);
    const old = before.sheets.find((s) => s.id === sheet.sheetId);
    const was = old ? searchFieldIds(old.fields) : [];
    const table = tableName(sheet.sheetId);
    const covered = new Set([...was, ...now].map(columnName));
    const touched = ddl.some(
      (a) => (a.kind === 'add_column' && a.table === table && covered.has(a.column)) || (a.kind === 'rename_column' && a.table === table && (covered.has(a.from) || covered.has(a.to))),
    );
    if (touched && was.length) drops.push({ kind: 'drop_index', schema: before.schema, index: sheetSearchIndex(sheet.sheetId, was) });
    if (!old || touched || was.join() !== now.join()) sheets.push(sheet.sheetId);
  }
  return { drops, sheets };
}

export interface SearchIndexState {
  workspaceId: string;
  sheetId: string;
  fieldIds: string[];
  /** The index the sheet should have, or null when it has no text-like field. */
  expected: string | null;
  /** The search indexes its table has, ours and earlier versions' (one per field). */
  existing: { name: string; valid: boolean }[];
}

async function searchIndexStates(db: Db, workspaceId?: string, sheetIds?: readonly string[]): Promise<SearchIndexState[]> {
  const sheets = await liveSheets(db, workspaceId, sheetIds);
  if (!sheets.length) return [];
  const indexes = await sql<{ schema: string; table: string; name: string; valid: boolean }>`
    SELECT n.nspname AS schema, t.relname AS table, c.relname AS name, i.indisvalid AS valid
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = ANY(${[...new Set(sheets.map((s) => schemaName(s.workspaceId)))]}::text[]) AND c.relname LIKE 'x\\_%'`.execute(db);
  return sheets.map((s) => {
    const fieldIds = searchFieldIds(s.fields);
    const [schema, table] = [schemaName(s.workspaceId), tableName(s.sheetId)];
    return {
      workspaceId: s.workspaceId,
      sheetId: s.sheetId,
      fieldIds,
      expected: fieldIds.length ? sheetSearchIndex(s.sheetId, fieldIds) : null,
      existing: indexes.rows.filter((i) => i.schema === schema && i.table === table && isSearchIndexName(i.name)).map(({ name, valid }) => ({ name, valid })),
    };
  });
}

export const needsBuild = (s: SearchIndexState) => s.expected !== null && !s.existing.some((e) => e.name === s.expected && e.valid);
const needsWork = (s: SearchIndexState) => needsBuild(s) || s.existing.some((e) => e.name !== s.expected);

/** Live sheets (all, or some of a workspace's) whose search index is missing, invalid, stale or kept per field. */
export async function searchIndexWork(db: Db, workspaceId?: string, sheetIds?: readonly string[]): Promise<SearchIndexState[]> {
  return (await searchIndexStates(db, workspaceId, sheetIds)).filter(needsWork);
}

async function run(db: Db, actions: DdlAction[]): Promise<void> {
  for (const query of compileDdl(actions)) await db.executeQuery(query);
}

/**
 * Builds the index a sheet should have if it has no valid one (CREATE INDEX CONCURRENTLY lets writers go on; a failed
 * build leaves an invalid index, dropped so the next attempt can build it), then drops the sheet's other search
 * indexes concurrently. Outside a transaction: an index build job (schema-changes/index-builds.ts).
 */
export async function convergeSearchIndex(db: Db, state: SearchIndexState): Promise<void> {
  const schema = schemaName(state.workspaceId);
  const drop = (index: string): DdlAction => ({ kind: 'drop_index', schema, index, concurrently: true });
  if (needsBuild(state) && state.expected) {
    if (state.existing.some((e) => e.name === state.expected)) await run(db, [drop(state.expected)]);
    const create: DdlAction = { kind: 'create_search_index', schema, table: tableName(state.sheetId), index: state.expected, fieldIds: state.fieldIds };
    const [build, ...after] = compileDdl([create]);
    try {
      await db.executeQuery(build!);
    } catch (error) {
      await run(db, [drop(state.expected)]).catch(() => undefined);
      throw error;
    }
    for (const query of after) await db.executeQuery(query);
  }
  await run(db, state.existing.filter((e) => e.name !== state.expected).map((e) => drop(e.name)));
}
