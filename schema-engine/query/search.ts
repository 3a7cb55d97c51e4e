import { sql } from 'kysely';
import type { SheetDef } from '../catalog/model.js';
import type { Sql } from '../field-types/field-type.js';
import type { ChoiceOptions } from '../field-types/shared/choices.js';
import { fieldColumn } from '../records/columns.js';
import { escapeLike } from './operators.js';

export const MAX_SEARCH_LENGTH = 200;

/**
 * Case-insensitive substring search over text-like fields (served by their trigram indexes, so Chinese works too),
 * plus select fields whose choice names match.
 */
export function compileSearch(sheet: SheetDef, term: string): Sql {
  const pattern = `%${escapeLike(term)}%`;
  const needle = term.toLowerCase();
  const parts: Sql[] = [];
  for (const field of sheet.fields) {
    if (field.impl.searchable) parts.push(sql`${fieldColumn(field)} ILIKE ${pattern}`);
    const kind = field.impl.valueKind;
    if (kind === 'choice' || kind === 'choices') {
      const ids = (field.options as ChoiceOptions).choices.filter((c) => c.name.toLowerCase().includes(needle)).map((c) => c.id);
      if (!ids.length) continue;
      parts.push(kind === 'choice' ? sql`${fieldColumn(field)} = ANY(${ids}::text[])` : sql`${fieldColumn(field)} && ${ids}::text[]`);
    }
  }
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`FALSE`;
}
