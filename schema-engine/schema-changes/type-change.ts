import { sql, type Transaction } from 'kysely';
import type { FieldDef, WorkspaceOverview } from '../catalog/model.js';
import type { Database } from '../db.js';
import type { FieldType, Sql } from '../field-types/field-type.js';
import { columnName, tableName } from '../ids.js';
import { cleanName, nameKey } from './names.js';

export interface Unconvertible {
  recordId: string;
  value: string;
}

export interface ConversionPreview {
  convertible: number;
  unconvertible: Unconvertible[];
  unconvertibleCount: number;
}

export interface Target {
  impl: FieldType<unknown>;
  options: unknown;
}

const PREVIEW_LIMIT = 100;

/** The old value as canonical text: a stored column, the system column a field shows, or what it computes. */
export function sourceText(field: FieldDef, column: string): Sql {
  const ref = field.impl.computed ? field.impl.computed.select('t') : field.impl.system ? sql.ref(`t.${field.impl.system}`) : sql.ref(`t.${column}`);
  return field.impl.toTextSql(ref, field.options);
}

/** The new value, or NULL where the old one does not convert. Sequences and system columns take no old values. */
export function convertedValue(ws: WorkspaceOverview, field: FieldDef, column: string, target: Target): Sql {
  if (target.impl.sequence || target.impl.system) return sql`NULL`;
  return target.impl.fromTextSql(sourceText(field, column), target.options, { workspaceId: ws.id });
}

/** Counts what converts and lists what does not (live records only), changing nothing. */
export async function previewConversion(trx: Transaction<Database>, ws: WorkspaceOverview, field: FieldDef, target: Target): Promise<ConversionPreview> {
  // A computed field takes no values; the old ones stay in the trash with the old definition.
  if (target.impl.resolve) return { convertible: 0, unconvertible: [], unconvertibleCount: 0 };
  const table = sql.id(ws.schema, tableName(field.sheetId));
  const column = columnName(field.id);
  const text = sql`nullif(${sourceText(field, column)}, '')`;
  const value = convertedValue(ws, field, column, target);
  const counts = await sql<{ convertible: string; unconvertible: string }>`
    SELECT count(*) FILTER (WHERE ${text} IS NOT NULL AND ${value} IS NOT NULL) AS convertible,
           count(*) FILTER (WHERE ${text} IS NOT NULL AND ${value} IS NULL) AS unconvertible
    FROM ${table} AS t WHERE t.deleted_at IS NULL`.execute(trx);
  const rows = await sql<{ id: string; value: string }>`
    SELECT t.id, ${text} AS value FROM ${table} AS t
    WHERE t.deleted_at IS NULL AND ${text} IS NOT NULL AND ${value} IS NULL
    ORDER BY t.id LIMIT ${PREVIEW_LIMIT}`.execute(trx);
  const c = counts.rows[0]!;
  return {
    convertible: Number(c.convertible),
    unconvertible: rows.rows.map((r) => ({ recordId: String(r.id), value: r.value })),
    unconvertibleCount: Number(c.unconvertible),
  };
}

/** Converting text to a select with no choices given: the distinct values become the choices, as in Airtable. */
export async function choicesFromData(trx: Transaction<Database>, ws: WorkspaceOverview, field: FieldDef, split: boolean): Promise<{ name: string }[]> {
  const table = sql.id(ws.schema, tableName(field.sheetId));
  const text = sourceText(field, columnName(field.id));
  const values = split ? sql`trim(unnest(string_to_array(${text}, ',')))` : sql`trim(${text})`;
  const rows = await sql<{ name: string }>`
    SELECT DISTINCT v AS name FROM (SELECT ${values} AS v FROM ${table} AS t WHERE t.deleted_at IS NULL) AS x
    WHERE v <> '' ORDER BY v LIMIT 1000`.execute(trx);
  // Values that differ only by case, width or invisible characters become one choice (the first of them in order);
  // the conversion maps the others to it (choiceIdOfText).
  const seen = new Set<string>();
  const choices: { name: string }[] = [];
  for (const row of rows.rows) {
    const name = cleanName(row.name.slice(0, 255).toWellFormed());
    const key = nameKey(name);
    if (!name || seen.has(key)) continue;
    seen.add(key);
    choices.push({ name });
  }
  return choices;
}
