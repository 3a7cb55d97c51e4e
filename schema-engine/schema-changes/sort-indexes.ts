import { sql } from 'kysely';
import type { Db } from '../db.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { ownerIndexName, schemaName, sortIndexName } from '../ids.js';
import { compileDdl, type DdlAction } from './ddl.js';
import { ownerIndexDdl, sortIndexDdl } from './field-ddl.js';

/**
 * A sheet's primary field sort index and owner field index are built with the field, in the change's transaction.
 * Sheets made before they existed, or whose build at start was interrupted, lack them: an index build job gives
 * them theirs, concurrently, so writers go on meanwhile (index-builds.ts).
 */

interface FieldRow {
  id: string;
  type: string;
  options: unknown;
  workspace_id: string;
  sheet_id: string;
}

/** A sort or owner index a live field should have and lacks (or has invalid). */
export interface MissingSortIndex {
  workspaceId: string;
  sheetId: string;
  index: string;
  build: DdlAction[];
}

/** Live fields of live sheets, all or one sheet's. */
const liveFields = (db: Db, sheetId?: string) => {
  let query = db
    .selectFrom('fields as f')
    .innerJoin('sheets as s', 's.id', 'f.sheet_id')
    .select(['f.id', 'f.type', 'f.options', 'f.workspace_id', 'f.sheet_id'])
    .where('f.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null);
  if (sheetId) query = query.where('s.id', '=', sheetId);
  return query;
};

/** Each live sheet's primary field. */
const primaryFields = (db: Db, sheetId?: string): Promise<FieldRow[]> => liveFields(db, sheetId).whereRef('s.primary_field_id', '=', 'f.id').execute();

/** Each live sheet's owner field. */
const ownerFields = (db: Db, sheetId?: string): Promise<FieldRow[]> =>
  liveFields(db, sheetId).where('f.type', '=', 'user').where(sql<boolean>`f.options->>'owner' = 'true'`).execute();

/** Which of these index names exist and are valid. */
async function validIndexes(db: Db, names: string[]): Promise<Set<string>> {
  const valid = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname = ANY(${names}::text[]) AND i.indisvalid`.execute(db);
  return new Set(valid.rows.map((r) => r.name));
}

/** The sort and owner indexes missing from live sheets: all of them, or one sheet's. */
export async function missingSortIndexes(db: Db, sheetId?: string): Promise<MissingSortIndex[]> {
  const plan = (rows: FieldRow[], ddl: typeof sortIndexDdl, name: (fieldId: string) => string) =>
    rows.flatMap((f): MissingSortIndex[] => {
      if (!isFieldTypeId(f.type)) return [];
      const schema = schemaName(f.workspace_id);
      const build = ddl({ schema, sheetId: f.sheet_id, fieldId: f.id, impl: fieldTypes[f.type], options: f.options }, true);
      // An invalid one left by an interrupted build goes first, so the build is not skipped for its name.
      const index = name(f.id);
      return build.length ? [{ workspaceId: f.workspace_id, sheetId: f.sheet_id, index, build: [{ kind: 'drop_index', schema, index, concurrently: true }, ...build] }] : [];
    });
  const wanted = [...plan(await primaryFields(db, sheetId), sortIndexDdl, sortIndexName), ...plan(await ownerFields(db, sheetId), ownerIndexDdl, ownerIndexName)];
  if (!wanted.length) return [];
  const built = await validIndexes(db, wanted.map((p) => p.index));
  return wanted.filter((p) => !built.has(p.index));
}

/**
 * Builds one (CREATE INDEX CONCURRENTLY, outside a transaction). If it fails it leaves an invalid index behind, which
 * is dropped so the next attempt can build it again.
 */
export async function buildSortIndex(db: Db, missing: MissingSortIndex): Promise<void> {
  for (const action of missing.build) {
    const [query] = compileDdl([action]);
    try {
      await db.executeQuery(query!);
    } catch (error) {
      if (action.kind === 'create_sort_index') {
        await db.executeQuery(compileDdl([{ kind: 'drop_index', schema: action.schema, index: action.index, concurrently: true }])[0]!).catch(() => undefined);
      }
      throw error;
    }
  }
}
