import { sql } from 'kysely';
import type { FieldDef, SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Sql } from '../field-types/field-type.js';
import { columnName } from '../ids.js';
import { compileFilter } from '../query/filter.js';
import { sheetTable } from '../records/columns.js';
import type { Scope } from './model.js';

/** Who is asking, as a row scope needs it. */
export interface Asker {
  readonly userId: string;
  readonly teams: readonly string[];
  readonly teammates: readonly string[];
}

/** The sheet's owner field: the `user` field marked `options.owner`, if it has one ("own" means the creator otherwise). */
export function ownerField(sheet: SheetDef): FieldDef | undefined {
  return sheet.fields.find((f) => f.type === 'user' && (f.options as { owner?: boolean } | null)?.owner === true);
}

/** `{"var": "$user"}` and `{"var": "$teams"}` in a role's `where` become the asker's id and team ids. */
export function bindAsker(logic: unknown, asker: Asker): unknown {
  if (Array.isArray(logic)) return logic.map((item) => bindAsker(item, asker));
  if (typeof logic !== 'object' || logic === null) return logic;
  const entries = Object.entries(logic);
  if (entries.length === 1 && entries[0]![0] === 'var') {
    const name = Array.isArray(entries[0]![1]) ? (entries[0]![1] as unknown[])[0] : entries[0]![1];
    if (name === '$user') return asker.userId;
    if (name === '$teams') return [...asker.teams];
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, bindAsker(value, asker)]));
}

/**
 * The records of `sheet` a scope reaches, as a condition over row `alias`; null when it reaches every record.
 * `where` (bound to the asker) narrows it; it is compiled over the full sheet (an admin's rule may read any field),
 * as a condition on the row's own table when the alias is not the listing's `t`.
 */
export function scopeCondition(ws: WorkspaceOverview, sheet: SheetDef, scope: Exclude<Scope, 'none'>, where: unknown, asker: Asker): ((alias: string) => Sql) | null {
  const owner = ownerField(sheet);
  const ownerColumn = (alias: string) => sql.ref(`${alias}.${owner ? columnName(owner.id) : 'created_by'}`);
  const byOwner =
    scope === 'own'
      ? (alias: string) => sql`${ownerColumn(alias)} = ${asker.userId}`
      : scope === 'team'
        ? (alias: string) => sql`${ownerColumn(alias)} = ANY(${[...asker.teammates]}::text[])`
        : null;
  if (where === undefined || where === null) return byOwner;
  const condition = compileFilter(sheet, bindAsker(where, asker));
  const table = sheetTable(ws, sheet);
  const matches = (alias: string) => (alias === 't' ? condition : sql`EXISTS (SELECT 1 FROM ${table} AS t WHERE t.id = ${sql.ref(`${alias}.id`)} AND ${condition})`);
  return byOwner ? (alias) => sql`(${byOwner(alias)} AND ${matches(alias)})` : matches;
}
