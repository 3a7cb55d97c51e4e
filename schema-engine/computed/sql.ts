import { sql } from 'kysely';
import type { FieldDef, WorkspaceOverview } from '../catalog/model.js';
import type { KnownValues, LinkAggregate, Sql, SqlType } from '../field-types/field-type.js';
import { columnName, junctionName, tableName } from '../ids.js';

/** What a link field's options hold once created: its pair shares the junction table of the field created first. */
export interface LinkOptions {
  sheet: string;
  relationship: Relationship;
  inverseField: string;
  junction: string;
  side: 'a' | 'b';
}

export const RELATIONSHIPS = ['many_to_one', 'one_to_many', 'one_to_one', 'many_to_many'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** The relationship as seen from the other sheet. */
export const MIRROR: Record<Relationship, Relationship> = {
  many_to_one: 'one_to_many',
  one_to_many: 'many_to_one',
  one_to_one: 'one_to_one',
  many_to_many: 'many_to_many',
};

/** The field links to at most one record. */
export const linksToOne = (relationship: Relationship) => relationship === 'many_to_one' || relationship === 'one_to_one';

/** Junction columns as seen from a link field: its own records' ids and the linked ones'. */
export function junctionSides(options: LinkOptions): { self: 'a' | 'b'; other: 'a' | 'b' } {
  return options.side === 'a' ? { self: 'a', other: 'b' } : { self: 'b', other: 'a' };
}

export const junctionTable = (ws: WorkspaceOverview, options: LinkOptions): Sql => sql.id(ws.schema, junctionName(options.junction));

/** A field's stored value (its column or the system column it shows) for the row `alias`. */
export function storedColumn(field: FieldDef, alias: string): Sql {
  return sql.ref(`${alias}.${field.impl.system ?? columnName(field.id)}`);
}

/** The value filters and sorts work on: the stored column, or a computed field's scalar SQL (`known`: see KnownValues). */
export function rawValue(field: FieldDef, alias: string, known?: KnownValues): Sql {
  return field.impl.computed ? field.impl.computed.select(alias, known) : storedColumn(field, alias);
}

/** The SQL type of `rawValue`. */
export function rawSqlType(field: FieldDef): SqlType {
  const computed = field.impl.computed?.result;
  if (computed) return RESULT_SQL_TYPES[computed.type] ?? 'text';
  const stored = field.impl.storage(field.options);
  if (stored) return stored;
  return field.impl.system === 'created_at' || field.impl.system === 'updated_at' ? 'timestamptz' : 'text';
}

const RESULT_SQL_TYPES: Record<string, SqlType> = {
  number: 'numeric',
  currency: 'numeric',
  percent: 'numeric',
  text: 'text',
  date: 'date',
  datetime: 'timestamptz',
  checkbox: 'boolean',
};

/** A value as a record shows it (a user id becomes `{id, name, email}`). */
export function displayValue(field: FieldDef, value: Sql): Sql {
  return field.impl.selectSql ? field.impl.selectSql(value, field.options) : value;
}

/**
 * `FROM` the junction of a link field (as `${alias}j`) joined to the live records it links to (as `${alias}c`) and to
 * `join`, `WHERE` they are linked from row `alias`; `j.n` is the link order.
 */
export function linkedRows(ws: WorkspaceOverview, link: FieldDef, alias: string, join: Sql = sql``): Sql {
  const options = link.options as LinkOptions;
  const { self, other } = junctionSides(options);
  const j = `${alias}j`;
  const c = `${alias}c`;
  // In a catalog narrowed for a user, only the linked records the user may read (access/narrow.ts).
  const scope = ws.sheets.find((s) => s.id === options.sheet)?.rowScope;
  const readable = scope ? sql` AND ${scope(c)}` : sql``;
  return sql`FROM ${junctionTable(ws, options)} AS ${sql.id(j)}
    JOIN ${sql.id(ws.schema, tableName(options.sheet))} AS ${sql.id(c)} ON ${sql.ref(`${c}.id`)} = ${sql.ref(`${j}.${other}`)} AND ${sql.ref(`${c}.deleted_at`)} IS NULL${readable}${join}
    WHERE ${sql.ref(`${j}.${self}`)} = ${sql.ref(`${alias}.id`)}`;
}

/** A value aggregated over the records a link field links to (see LinkAggregate); `aggregate` reads `${alias}c` and `${alias}j`. */
export function overLink(ws: WorkspaceOverview, link: FieldDef, aggregate: (alias: string) => Sql, value: (aggregated: Sql) => Sql = (x) => x): LinkAggregate {
  return { linkId: link.id, rows: (alias) => linkedRows(ws, link, alias), aggregate, value };
}

/** A LinkAggregate as a scalar subquery for row `alias`: the value outside a listing's lateral joins. */
export const aggregateSelect =
  (via: LinkAggregate) =>
  (alias: string): Sql =>
    via.value(sql`(SELECT ${via.aggregate(alias)} ${via.rows(alias)})`);

/**
 * Rows `(v, o)` of the records linked from row `alias` through a link field, one per element `inner` gives for each
 * linked record (alias `${alias}c`); `o` orders them by link order, then the inner order.
 */
function throughLink(ws: WorkspaceOverview, link: FieldDef, alias: string, inner: (target: string) => Sql): Sql {
  const p = `${alias}p`;
  const elements = sql`
    CROSS JOIN LATERAL (${inner(`${alias}c`)}) AS ${sql.id(p)}`;
  return sql`SELECT ${sql.ref(`${p}.v`)} AS v, ARRAY[${sql.ref(`${alias}j.n`)}] || ${sql.ref(`${p}.o`)} AS o
    ${linkedRows(ws, link, alias, elements)}`;
}

/**
 * The values of `target` in the records linked from row `alias`, as rows `(v, o)`. A stored target is read straight
 * from the joined table (fewer plan nodes: planning, not execution, dominates a page of many computed fields);
 * a computed one goes through its own elements.
 */
export function linkedValues(ws: WorkspaceOverview, link: FieldDef, target: FieldDef, alias: string): Sql {
  if (target.impl.computed) return throughLink(ws, link, alias, (c) => elementsOf(target, c));
  const value = storedColumn(target, `${alias}c`);
  return sql`SELECT ${value} AS v, ARRAY[${sql.ref(`${alias}j.n`)}] AS o
    ${linkedRows(ws, link, alias)} AND ${value} IS NOT NULL`;
}

/** The elements of any field for row `alias`: a list field's own, or a scalar value as one row when not empty. */
export function elementsOf(field: FieldDef, alias: string): Sql {
  const list = field.impl.computed?.list;
  if (list) return list.elements(alias);
  const x = `${alias}x`;
  return sql`SELECT ${sql.ref(`${x}.v`)} AS v, '{}'::bigint[] AS o FROM (SELECT ${rawValue(field, alias)} AS v) AS ${sql.id(x)} WHERE ${sql.ref(`${x}.v`)} IS NOT NULL`;
}

/** The leaf of a field: the scalar field whose values a list field's elements are. */
export function leafOf(field: FieldDef): FieldDef {
  return field.impl.computed?.list?.leaf ?? field;
}

/** A list field as selected: a JSON array of the leaf's displayed values in order. */
export function listSelect(leaf: FieldDef, elements: Sql, alias: string): Sql {
  const e = `${alias}e`;
  return sql`(SELECT COALESCE(jsonb_agg(${displayValue(leaf, sql.ref(`${e}.v`))} ORDER BY ${sql.ref(`${e}.o`)}), '[]'::jsonb) FROM (${elements}) AS ${sql.id(e)})`;
}

/** Reads one element of a list (as JSON gives it) into the leaf's API value. */
export function readElement(leaf: FieldDef, raw: unknown, workspaceId: string): unknown {
  return leaf.impl.fromStorage(raw, leaf.options, { workspaceId });
}
