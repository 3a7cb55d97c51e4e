import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { ownerIndexName, schemaName, sortIndexName } from '../ids.js';
import { buildConcurrently } from './apply.js';
import { ownerIndexDdl, sortIndexDdl } from './field-ddl.js';

interface FieldRow {
  id: string;
  type: string;
  options: unknown;
  workspace_id: string;
  sheet_id: string;
}

/** Live fields of live sheets. */
const liveFields = (engine: Engine) =>
  engine.db
    .selectFrom('fields as f')
    .innerJoin('sheets as s', 's.id', 'f.sheet_id')
    .select(['f.id', 'f.type', 'f.options', 'f.workspace_id', 'f.sheet_id'])
    .where('f.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null);

/** Each live sheet's primary field. */
const primaryFields = (engine: Engine): Promise<FieldRow[]> => liveFields(engine).whereRef('s.primary_field_id', '=', 'f.id').execute();

/** Each live sheet's owner field (made before owner fields had an index, or whose build was interrupted). */
const ownerFields = (engine: Engine): Promise<FieldRow[]> =>
  liveFields(engine).where('f.type', '=', 'user').where(sql<boolean>`f.options->>'owner' = 'true'`).execute();

/** Which of these index names exist and are valid. */
async function validIndexes(engine: Engine, names: string[]): Promise<Set<string>> {
  const valid = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname = ANY(${names}::text[]) AND i.indisvalid`.execute(engine.db);
  return new Set(valid.rows.map((r) => r.name));
}

/**
 * Sheets made before primary fields had a sort index, or owner fields an owner index (or whose build was interrupted),
 * get it at start, in the background and concurrently, so writers go on meanwhile. Answers how many were (re)built.
 */
export async function repairSortIndexes(engine: Engine): Promise<number> {
  const plan = (rows: FieldRow[], ddl: typeof sortIndexDdl, name: (fieldId: string) => string) =>
    rows.flatMap((f) => {
      if (!isFieldTypeId(f.type)) return [];
      const schema = schemaName(f.workspace_id);
      const build = ddl({ schema, sheetId: f.sheet_id, fieldId: f.id, impl: fieldTypes[f.type], options: f.options }, true);
      return build.length ? [{ field: f, schema, build, index: name(f.id) }] : [];
    });
  const wanted = [...plan(await primaryFields(engine), sortIndexDdl, sortIndexName), ...plan(await ownerFields(engine), ownerIndexDdl, ownerIndexName)];
  if (!wanted.length) return 0;
  const built = await validIndexes(engine, wanted.map((p) => p.index));
  const missing = wanted.filter((p) => !built.has(p.index));
  for (const { field, schema, build, index } of missing) {
    engine.background.run(field.workspace_id, (db) => buildConcurrently(db, [{ kind: 'drop_index', schema, index }, ...build]));
  }
  return missing.length;
}
