import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Sql } from '../field-types/field-type.js';
import { fieldTypes, isFieldTypeId } from '../field-types/registry.js';
import { columnName, searchIndexName } from '../ids.js';
import { pureCompiler } from '../sql-compiler.js';

/**
 * A sheet is searched through one trigram index over all its text-like columns joined into one text, instead of one
 * index per column: a write updates one index instead of several, and a search is one index scan instead of a
 * BitmapOr of several, with one condition to recheck per row. The columns are joined by a control character that a
 * search term served by the index never contains (compileSearch), so a match never spans two fields.
 */
export const SEARCH_SEPARATOR = '\x1f';

/**
 * The statistics target of the joined text: the planner estimates how many rows a term matches from a sample of
 * values, and a sample of the default 100 cannot tell 0.2% from 1.5% of the rows. The difference decides between
 * reading the index (few matches) and reading the rows in id order until a page is full (many matches); guessed wrong,
 * a search takes ten to a hundred times longer.
 */
export const SEARCH_STATISTICS = 1000;

/** The fields a search reads through the index: text-like fields with a column, in the order of their ids. */
export function searchFieldIds(fields: readonly { id: string; type: string }[]): string[] {
  return fields
    .filter((f) => isFieldTypeId(f.type) && fieldTypes[f.type].searchable)
    .map((f) => f.id)
    .sort();
}

/**
 * The joined text of those fields' columns in lower case, for the row `alias` (the query) or bare (the index).
 * PostgreSQL uses the index only for the same expression, so both come from here; an empty value joins as ''.
 * A search is `searchText LIKE lower(pattern)`: what ILIKE does, without lowering the pattern again for every row
 * it reads (a quarter of a search's time).
 */
export function searchText(fieldIds: readonly string[], alias?: string): Sql {
  const column = (id: string) => (alias ? sql.ref(`${alias}.${columnName(id)}`) : sql.id(columnName(id)));
  const joined = sql.join(
    fieldIds.map((id) => sql`coalesce(${column(id)}, '')`),
    sql` || chr(31) || `,
  );
  return sql`lower(${joined})`;
}

/** The index of those fields; its name changes with its expression, so a name always tells what it covers. */
export function sheetSearchIndex(sheetId: string, fieldIds: readonly string[]): string {
  const version = createHash('sha256').update(searchText(fieldIds).compile(pureCompiler).sql).digest('hex').slice(0, 10);
  return searchIndexName(sheetId, version);
}
