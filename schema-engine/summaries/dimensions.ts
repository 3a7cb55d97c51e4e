import { sql } from 'kysely';
import type { FieldDef, WorkspaceOverview } from '../catalog/model.js';
import { displayValue, leafOf, linkedRows, rawValue, type LinkOptions } from '../computed/sql.js';
import type { Sql } from '../field-types/field-type.js';
import { choiceName, type ChoiceOptions } from '../field-types/shared/choices.js';
import type { Language } from '../messages.js';
import { summaryError } from './messages.js';
import type { Bucket, GroupSpec } from './parse.js';

/**
 * One grouping of a summary: its key, the key's sort value and what the answer shows, as SQL over the row `t`. A list
 * (a link, a lookup, a multi select) has a lateral subquery `rows` giving them as rows `(k, o, d)`: several for a
 * record linked to two products (it is in both groups), none for an empty value (the LEFT JOIN then makes it the
 * empty group), and `k`, `o`, `d` are read from it; a scalar value is grouped by its expressions directly.
 */
export interface Dimension {
  rows?: Sql;
  k: Sql;
  o: Sql;
  d: Sql;
  read(key: unknown, display: unknown): unknown;
}

export interface DimensionContext {
  ws: WorkspaceOverview;
  language: Language;
  /** The workspace's time zone, as SQL: a date-time is bucketed by the day its clocks show. */
  timeZone: Sql;
}

const FORMATS: Record<Bucket, string> = { day: 'YYYY-MM-DD', week: 'YYYY-MM-DD', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

/** The field has a value to group by (not a button, a file list or a broken computation). */
export function checkReadable(param: string, field: FieldDef, language: Language, refuse = field.impl.valueKind === 'attachments'): void {
  const error = field.impl.computed?.error;
  if (error) throw summaryError(param, 'notComputable', language, { name: field.name, error });
  const stored = !field.impl.valueless && (field.impl.computed || field.impl.system || field.impl.storage(field.options) !== null);
  if (refuse || !stored) throw summaryError(param, 'notGroupable', language, { name: field.name, type: field.type });
}

/** The dimension's columns from its lateral subquery, aliased `alias`. */
const lateral = (rows: Sql, alias: string) => ({ rows, k: sql.ref(`${alias}.k`), o: sql.ref(`${alias}.o`), d: sql.ref(`${alias}.d`) });

/** `alias`: the lateral subquery's alias, when the field needs one. */
export function dimension(spec: GroupSpec, ctx: DimensionContext, alias: string): Dimension {
  const { field, bucket } = spec;
  checkReadable('groupBy', field, ctx.language);
  if (field.type === 'link') return linkDimension(field, ctx, alias);
  const leaf = leafOf(field);
  const kind = leaf.impl.valueKind;
  if (bucket && kind !== 'date' && kind !== 'datetime') throw summaryError('groupBy', 'notDate', ctx.language, { name: field.name, bucket });
  const list = field.impl.computed?.list;
  const elements = list ? sql`SELECT e.v FROM (${list.elements('t')}) AS e` : kind === 'choices' ? sql`SELECT e.v FROM unnest(${rawValue(field, 't')}) AS e(v)` : null;
  const v = elements ? sql.ref('e.v') : rawValue(field, 't');
  const group = (k: Sql, o: Sql, d: Sql) => (elements ? lateral(sql`(SELECT DISTINCT ${k} AS k, ${o} AS o, ${d} AS d FROM (${elements}) AS e)`, alias) : { k, o, d });
  if (kind === 'choice' || kind === 'choices') {
    const options = leaf.options as ChoiceOptions;
    // A removed choice's id left in a row is in the empty group, as it reads.
    const ids = options.choices.map((c) => c.id);
    const k = sql`CASE WHEN ${v} = ANY(${ids}::text[]) THEN ${v} END`;
    return { ...group(k, sql`array_position(${ids}::text[], ${k})`, k), read: (key) => (key === null ? null : (choiceName(key, options) ?? null)) };
  }
  if (kind === 'date' || kind === 'datetime') {
    // A date-time without a bucket is grouped by its day in the workspace's time zone.
    const unit = bucket ?? 'day';
    const local = kind === 'datetime' ? sql`(${v} AT TIME ZONE ${ctx.timeZone})` : sql`${v}::timestamp`;
    const start = sql`date_trunc(${unit}, ${local})`;
    const k = sql`to_char(${start}, ${FORMATS[unit]})`;
    return { ...group(k, start, k), read: (key) => key };
  }
  const o = leaf.impl.sortSql?.(v, leaf.options).expr ?? v;
  const workspaceId = ctx.ws.id;
  return {
    ...group(v, o, displayValue(leaf, v)),
    read: (_key, display) => (display === null ? null : (leaf.impl.fromStorage(display, leaf.options, { workspaceId }) ?? null)),
  };
}

/** A link groups by linked record, shown `{id, title}` as links read, in the order of the titles. */
function linkDimension(field: FieldDef, ctx: DimensionContext, alias: string): Dimension {
  const options = field.options as LinkOptions;
  const target = ctx.ws.sheets.find((s) => s.id === options.sheet);
  const primary = target?.fields.find((f) => f.id === target.primaryFieldId);
  const usable = primary && !primary.impl.computed?.list && !primary.impl.computed?.error;
  const title = usable ? rawValue(primary, 'tc') : sql`NULL`;
  const order = usable ? (primary.impl.sortSql?.(title, primary.options).expr ?? title) : sql`NULL`;
  const shown = usable ? displayValue(primary, title) : sql`NULL`;
  const rows = sql`(SELECT DISTINCT tc.id::text AS k, ${order} AS o, ${shown} AS d ${linkedRows(ctx.ws, field, 't')})`;
  const workspaceId = ctx.ws.id;
  return {
    ...lateral(rows, alias),
    read(key, display) {
      if (key === null) return null;
      const value = usable && display !== null ? primary.impl.fromStorage(display, primary.options, { workspaceId }) : undefined;
      return { id: String(key), title: value === undefined || !usable ? '' : primary.impl.format(value, primary.options, 'en') };
    },
  };
}
