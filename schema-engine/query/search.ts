import { sql } from 'kysely';
import type { SheetDef } from '../catalog/model.js';
import type { Sql } from '../field-types/field-type.js';
import type { ChoiceOptions } from '../field-types/shared/choices.js';
import { fieldColumn } from '../records/columns.js';
import { escapeLike } from './operators.js';
import { SEARCH_SEPARATOR, searchFieldIds, searchText } from './search-text.js';

export const MAX_SEARCH_LENGTH = 200;

// Built once per catalog snapshot of a sheet, like its select list.
const searchTexts = new WeakMap<SheetDef, Sql | null>();

function sheetSearchText(sheet: SheetDef): Sql | null {
  let text = searchTexts.get(sheet);
  if (text === undefined) {
    const ids = searchFieldIds(sheet.fields);
    text = ids.length ? searchText(ids, 't') : null;
    searchTexts.set(sheet, text);
  }
  return text;
}

/**
 * Case-insensitive substring search over text-like fields (served by the sheet's trigram index over their joined
 * text, so Chinese works too), plus select fields whose choice names match.
 */
export function compileSearch(sheet: SheetDef, term: string): Sql {
  const pattern = `%${escapeLike(term)}%`;
  const needle = term.toLowerCase();
  const parts: Sql[] = [];
  const text = sheetSearchText(sheet);
  if (text && !term.includes(SEARCH_SEPARATOR)) {
    // A user who may not see some text fields searches only the others; the index over all of them finds the candidates.
    const indexed = sheet.searchIndexFields;
    parts.push(indexed ? sql`(${searchText(indexed, 't')} LIKE lower(${pattern}) AND ${text} LIKE lower(${pattern}))` : sql`${text} LIKE lower(${pattern})`);
  }
  for (const field of sheet.fields) {
    // A term holding the separator could match across two fields of the joined text: each field on its own instead.
    if (field.impl.searchable && term.includes(SEARCH_SEPARATOR)) parts.push(sql`${fieldColumn(field)} ILIKE ${pattern}`);
    if (field.impl.searchSql && !field.impl.computed) parts.push(field.impl.searchSql(fieldColumn(field), pattern, field.options));
    const kind = field.impl.valueKind;
    // A lookup of a select has the select's kind but not its choices: like other lookups, it is not searched.
    if ((kind === 'choice' || kind === 'choices') && !field.impl.computed) {
      const ids = (field.options as ChoiceOptions).choices.filter((c) => c.name.toLowerCase().includes(needle)).map((c) => c.id);
      if (!ids.length) continue;
      parts.push(kind === 'choice' ? sql`${fieldColumn(field)} = ANY(${ids}::text[])` : sql`${fieldColumn(field)} && ${ids}::text[]`);
    }
  }
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`FALSE`;
}
