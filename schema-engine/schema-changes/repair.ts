import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { columnName, schemaName, searchIndexName, sortIndexName, tableName } from '../ids.js';
import { buildConcurrently } from './apply.js';
import { sortIndexDdl } from './field-ddl.js';

interface FieldRow {
  id: string;
  type: string;
  options: unknown;
  workspace_id: string;
  sheet_id: string;
}

/** Live fields of live sheets; `primaryOnly`: each sheet's primary field. */
async function liveFields(engine: Engine, primaryOnly: boolean): Promise<FieldRow[]> {
  let query = engine.db
    .selectFrom('fields as f')
    .innerJoin('sheets as s', 's.id', 'f.sheet_id')
    .select(['f.id', 'f.type', 'f.options', 'f.workspace_id', 'f.sheet_id'])
    .where('f.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null);
  if (primaryOnly) query = query.whereRef('s.primary_field_id', '=', 'f.id');
  return query.execute();
}

/** Which of these index names exist and are valid. */
async function validIndexes(engine: Engine, names: string[]): Promise<Set<string>> {
  const valid = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname = ANY(${names}::text[]) AND i.indisvalid`.execute(engine.db);
  return new Set(valid.rows.map((r) => r.name));
}

/**
 * Search indexes are built after their schema change commits; a server stopped in the middle leaves one missing or
 * invalid. At start, every live searchable field gets its index back (in the background, concurrently).
 * Answers how many were (re)built.
 */
export async function repairSearchIndexes(engine: Engine): Promise<number> {
  const searchable = (await liveFields(engine, false)).filter((f) => isFieldTypeId(f.type) && fieldTypes[f.type].searchable);
  if (!searchable.length) return 0;
  const built = await validIndexes(engine, searchable.map((f) => searchIndexName(f.id)));
  const missing = searchable.filter((f) => !built.has(searchIndexName(f.id)));
  for (const field of missing) {
    const schema = schemaName(field.workspace_id);
    const index = searchIndexName(field.id);
    engine.background.run(field.workspace_id, (db) =>
      buildConcurrently(db, [
        // An invalid leftover has the name already: drop it first.
        { kind: 'drop_index', schema, index },
        { kind: 'create_search_index', schema, table: tableName(field.sheet_id), column: columnName(field.id), index },
      ]),
    );
  }
  return missing.length;
}

/**
 * Sheets made before primary fields had a sort index (or whose build was interrupted) get it at start, in the
 * background and concurrently, so writers go on meanwhile. Answers how many were (re)built.
 */
export async function repairSortIndexes(engine: Engine): Promise<number> {
  const primaries = (await liveFields(engine, true)).flatMap((f) => {
    if (!isFieldTypeId(f.type)) return [];
    const schema = schemaName(f.workspace_id);
    const build = sortIndexDdl({ schema, sheetId: f.sheet_id, fieldId: f.id, impl: fieldTypes[f.type], options: f.options }, true);
    return build.length ? [{ field: f, schema, build }] : [];
  });
  if (!primaries.length) return 0;
  const built = await validIndexes(engine, primaries.map((p) => sortIndexName(p.field.id)));
  const missing = primaries.filter((p) => !built.has(sortIndexName(p.field.id)));
  for (const { field, schema, build } of missing) {
    engine.background.run(field.workspace_id, (db) => buildConcurrently(db, [{ kind: 'drop_index', schema, index: sortIndexName(field.id) }, ...build]));
  }
  return missing.length;
}
