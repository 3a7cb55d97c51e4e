import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { columnName, schemaName, searchIndexName, tableName } from '../ids.js';
import { buildConcurrently } from './apply.js';

/**
 * Search indexes are built after their schema change commits; a server stopped in the middle leaves one missing or
 * invalid. At start, every live searchable field gets its index back (in the background, concurrently).
 * Answers how many were (re)built.
 */
export async function repairSearchIndexes(engine: Engine): Promise<number> {
  const fields = await engine.db
    .selectFrom('fields as f')
    .innerJoin('sheets as s', 's.id', 'f.sheet_id')
    .select(['f.id', 'f.type', 'f.workspace_id', 'f.sheet_id'])
    .where('f.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null)
    .execute();
  const searchable = fields.filter((f) => isFieldTypeId(f.type) && fieldTypes[f.type].searchable);
  if (!searchable.length) return 0;
  const valid = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname = ANY(${searchable.map((f) => searchIndexName(f.id))}::text[]) AND i.indisvalid`.execute(engine.db);
  const built = new Set(valid.rows.map((r) => r.name));
  const missing = searchable.filter((f) => !built.has(searchIndexName(f.id)));
  for (const field of missing) {
    const schema = schemaName(field.workspace_id);
    const index = searchIndexName(field.id);
    engine.background.run(field.workspace_id, () =>
      buildConcurrently(engine, [
        // An invalid leftover has the name already: drop it first.
        { kind: 'drop_index', schema, index },
        { kind: 'create_search_index', schema, table: tableName(field.sheet_id), column: columnName(field.id), index },
      ]),
    );
  }
  return missing.length;
}
