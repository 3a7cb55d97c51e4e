import { columnName, junctionName, schemaName, tableName } from '../schema-engine/ids.js';
import type { FieldJson, SheetJson } from './api.js';
import type { RelationalSheets } from './relational-seed.js';

/** How a page starts: after a record id in grid order, or from a name on in name order. */
export type PageOrder = 'id' | 'name';

interface LinkFieldOptions {
  junction: string;
  side: 'a' | 'b';
}

/** A row of the hand-written page, as `pg` parses it. */
export interface RawRow {
  id: string;
  name: string | null;
  account: [string, string | null][];
  industry: (string | null)[];
  country: (string | null)[];
  line_items: [string, string | null][];
  quantities: number[];
  total: string;
  line_count: string;
  score: string;
}

function field(sheet: SheetJson, name: string): FieldJson {
  const found = sheet.fields.find((f) => f.name === name);
  if (!found) throw new Error(`${sheet.name} has no field "${name}"`);
  return found;
}

/**
 * The ceiling: the page written by hand. The 50 (+1) quotes are picked first, then one lateral join per link reads the
 * linked records once for everything shown through it (titles, lookups, rollups); the formula reuses the sum.
 * $1 is the start: the last id of the previous page (`id`), or the first name to show (`name`). Identifiers are
 * generated ids only (schema-engine/ids.ts checks them).
 */
export function relationalPageSql(ws: string, { quotes, lines, accounts }: RelationalSheets, order: PageOrder, limit: number): string {
  const s = schemaName(ws);
  const table = (sheet: SheetJson) => `"${s}"."${tableName(sheet.id)}"`;
  const col = (sheet: SheetJson, name: string) => `"${columnName(field(sheet, name).id)}"`;
  const link = (name: string) => {
    const options = field(quotes, name).options as unknown as LinkFieldOptions;
    const [self, other] = options.side === 'a' ? ['a', 'b'] : ['b', 'a'];
    return { junction: `"${s}"."${junctionName(options.junction)}"`, self, other };
  };
  const account = link('Account');
  const items = link('Line items');
  const name = col(quotes, 'Name');
  const quantity = col(lines, 'Quantity');
  // Same order as the API's: the sort key ascending (empty last, the default), then the id.
  const [where, sort, outerSort] = order === 'id' ? ['id > $1::bigint', 'id', 'q.id'] : [`${name} >= $1::text`, `${name}, id`, `q.${name}, q.id`];
  return `
    SELECT q.id, q.version, q.created_at, q.updated_at, q.${name} AS name,
      COALESCE(acc.links, '[]') AS account, COALESCE(acc.industry, '[]') AS industry, COALESCE(acc.country, '[]') AS country,
      COALESCE(li.links, '[]') AS line_items, COALESCE(li.quantities, '[]') AS quantities,
      COALESCE(li.total, 0) AS total, li.n AS line_count,
      COALESCE(li.total, 0) * 2 + char_length(COALESCE(q.${name}, '')) AS score
    FROM (
      SELECT id, version, created_at, updated_at, ${name} FROM ${table(quotes)}
      WHERE deleted_at IS NULL AND ${where}
      ORDER BY ${sort} LIMIT ${limit + 1}
    ) q
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_array(a.id::text, a.${col(accounts, 'Name')}) ORDER BY j.n) AS links,
        jsonb_agg(a.${col(accounts, 'Industry')} ORDER BY j.n) FILTER (WHERE a.${col(accounts, 'Industry')} IS NOT NULL) AS industry,
        jsonb_agg(a.${col(accounts, 'Country')} ORDER BY j.n) FILTER (WHERE a.${col(accounts, 'Country')} IS NOT NULL) AS country
      FROM ${account.junction} j JOIN ${table(accounts)} a ON a.id = j.${account.other} AND a.deleted_at IS NULL
      WHERE j.${account.self} = q.id
    ) acc ON TRUE
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_array(l.id::text, l.${col(lines, 'Name')}) ORDER BY j.n) AS links,
        jsonb_agg(l.${quantity} ORDER BY j.n) FILTER (WHERE l.${quantity} IS NOT NULL) AS quantities,
        sum(l.${quantity}) AS total, count(*) AS n
      FROM ${items.junction} j JOIN ${table(lines)} l ON l.id = j.${items.other} AND l.deleted_at IS NULL
      WHERE j.${items.self} = q.id
    ) li ON TRUE
    ORDER BY ${outerSort}`;
}

/** A raw row as the API shows the record's fields (choice ids become names, links `{id, title}`), for comparing. */
export function rawAsFields(row: RawRow, { accounts }: RelationalSheets): Record<string, unknown> {
  const choices = new Map((field(accounts, 'Industry').options.choices ?? []).map((c) => [c.id, c.name]));
  const links = (pairs: [string, string | null][]) => pairs.map(([id, title]) => ({ id, title: title ?? '' }));
  const fields: Record<string, unknown> = {
    Account: links(row.account),
    'Line items': links(row.line_items),
    Industry: row.industry.map((id) => (id === null ? null : (choices.get(id) ?? null))).filter((v) => v !== null),
    Country: row.country,
    'Line quantities': row.quantities,
    'Total quantity': Number(row.total),
    'Line count': Number(row.line_count),
    Score: Number(row.score),
  };
  if (row.name !== null) fields.Name = row.name;
  return fields;
}
