import { sql, type CompiledQuery } from 'kysely';
import { pureCompiler as compiler } from '../sql-compiler.js';
import type { Sql, SqlType } from '../field-types/field-type.js';
import { junctionIndexName, junctionName } from '../ids.js';
import { SEARCH_STATISTICS, searchText } from '../query/search-text.js';

/** Typed DDL steps. Planning produces them, `compileDdl` turns them into SQL, only `apply` runs them. */
export type DdlAction =
  | { readonly kind: 'create_schema'; readonly schema: string }
  | { readonly kind: 'create_table'; readonly schema: string; readonly table: string }
  | { readonly kind: 'add_column'; readonly schema: string; readonly table: string; readonly column: string; readonly type: SqlType }
  | { readonly kind: 'rename_column'; readonly schema: string; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'fill_column'; readonly schema: string; readonly table: string; readonly column: string; readonly value: Sql }
  | { readonly kind: 'create_unique_index'; readonly schema: string; readonly table: string; readonly index: string; readonly column: string }
  | { readonly kind: 'create_search_index'; readonly schema: string; readonly table: string; readonly index: string; readonly fieldIds: readonly string[] }
  | { readonly kind: 'create_sort_index'; readonly schema: string; readonly table: string; readonly index: string; readonly column: string; readonly concurrently?: boolean }
  | { readonly kind: 'drop_index'; readonly schema: string; readonly index: string; readonly concurrently?: boolean }
  | { readonly kind: 'number_rows'; readonly schema: string; readonly table: string; readonly column: string; readonly sequence: string }
  | { readonly kind: 'rename_sequence'; readonly schema: string; readonly from: string; readonly to: string }
  | { readonly kind: 'create_junction'; readonly schema: string; readonly linkId: string; readonly a: string; readonly b: string }
  | { readonly kind: 'junction_index'; readonly schema: string; readonly linkId: string; readonly side: 'a' | 'b'; readonly unique: boolean };


const id = (schema: string, name: string) => sql.id(schema, name);

function toSql(action: DdlAction): Sql[] {
  switch (action.kind) {
    case 'create_schema':
      return [sql`CREATE SCHEMA ${sql.id(action.schema)}`];
    case 'create_table':
      return [
        sql`CREATE TABLE ${id(action.schema, action.table)} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_by text,
  deleted_at timestamptz
)`,
      ];
    case 'add_column':
      // No default and no constraint: PostgreSQL adds the column without touching a single row.
      return [sql`ALTER TABLE ${id(action.schema, action.table)} ADD COLUMN ${sql.id(action.column)} ${sql.raw(action.type)}`];
    case 'rename_column':
      return [sql`ALTER TABLE ${id(action.schema, action.table)} RENAME COLUMN ${sql.id(action.from)} TO ${sql.id(action.to)}`];
    case 'fill_column':
      return [sql`UPDATE ${id(action.schema, action.table)} AS t SET ${sql.id(action.column)} = ${action.value}`];
    case 'create_unique_index':
      // Deleted records do not hold on to their values.
      return [
        sql`CREATE UNIQUE INDEX ${sql.id(action.index)} ON ${id(action.schema, action.table)} (${sql.id(action.column)}) WHERE deleted_at IS NULL`,
      ];
    case 'create_search_index':
      // Built after the change commits (schema-changes/search-index.ts), then sampled for the planner at once.
      return [
        sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${sql.id(action.index)} ON ${id(action.schema, action.table)} USING gin ((${searchText(action.fieldIds)}) gin_trgm_ops)`,
        sql`ALTER INDEX ${id(action.schema, action.index)} ALTER COLUMN 1 SET STATISTICS ${sql.lit(SEARCH_STATISTICS)}`,
        sql`ANALYZE ${id(action.schema, action.table)}`,
      ];
    case 'create_sort_index': {
      // `ORDER BY column ASC NULLS LAST, id` of live rows (query/sort.ts) is this index read in order: a sorted page is
      // a range scan of 51 entries instead of a sort of the whole table. Repair builds it concurrently.
      const how = action.concurrently ? sql`CONCURRENTLY IF NOT EXISTS ` : sql``;
      return [sql`CREATE INDEX ${how}${sql.id(action.index)} ON ${id(action.schema, action.table)} (${sql.id(action.column)}, id) WHERE deleted_at IS NULL`];
    }
    case 'rename_sequence':
      // An autonumber column's DEFAULT refers to its sequence by oid, so the column keeps numbering under any name.
      return [sql`ALTER SEQUENCE IF EXISTS ${id(action.schema, action.from)} RENAME TO ${sql.id(action.to)}`];
    case 'create_junction': {
      // Links live in PostgreSQL: a row per link, foreign keys to both tables (a record that does not exist cannot
      // be linked), `n` keeps the order links were made in.
      const table = id(action.schema, junctionName(action.linkId));
      return [
        sql`CREATE TABLE ${table} (
  a bigint NOT NULL REFERENCES ${id(action.schema, action.a)} (id) ON DELETE CASCADE,
  b bigint NOT NULL REFERENCES ${id(action.schema, action.b)} (id) ON DELETE CASCADE,
  n bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (a, b)
)`,
        sql`CREATE INDEX ${sql.id(junctionIndexName(action.linkId, 'b', false))} ON ${table} (b, a)`,
      ];
    }
    case 'junction_index': {
      // A side that links to at most one record: one_to_one and many_to_one refuse a second target here.
      const table = id(action.schema, junctionName(action.linkId));
      const index = junctionIndexName(action.linkId, action.side, true);
      const drop = sql`DROP INDEX IF EXISTS ${id(action.schema, index)}`;
      return action.unique ? [drop, sql`CREATE UNIQUE INDEX ${sql.id(index)} ON ${table} (${sql.id(action.side)})`] : [drop];
    }
    case 'drop_index':
      return [sql`DROP INDEX ${action.concurrently ? sql`CONCURRENTLY ` : sql``}IF EXISTS ${id(action.schema, action.index)}`];
    case 'number_rows': {
      const seq = id(action.schema, action.sequence);
      const table = id(action.schema, action.table);
      const regclass = sql.lit(`${action.schema}.${action.sequence}`);
      return [
        sql`CREATE SEQUENCE ${seq}`,
        sql`UPDATE ${table} AS t SET ${sql.id(action.column)} = n.num FROM (SELECT id, row_number() OVER (ORDER BY id) AS num FROM ${table}) AS n WHERE t.id = n.id`,
        sql`SELECT setval(${regclass}::regclass, greatest((SELECT max(${sql.id(action.column)}) FROM ${table}), 0) + 1, false)`,
        sql`ALTER TABLE ${table} ALTER COLUMN ${sql.id(action.column)} SET DEFAULT nextval(${regclass}::regclass)`,
      ];
    }
  }
}

export function compileDdl(actions: readonly DdlAction[]): CompiledQuery[] {
  return actions.flatMap(toSql).map((statement) => statement.compile(compiler));
}
