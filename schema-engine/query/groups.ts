import { sql } from 'kysely';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import { findField } from '../catalog/resolve.js';
import type { Db } from '../db.js';
import { badRequest } from '../errors.js';
import type { ChoiceOptions } from '../field-types/shared/choices.js';
import { fieldColumn, sheetTable } from '../records/columns.js';
import { listConditions, type ListQuery } from './list.js';

export interface GroupQuery extends Pick<ListQuery, 'filter' | 'search'> {
  field: string;
  sum?: string;
}

export interface Group {
  /** The choice name; null for records with no (or a removed) choice. */
  value: string | null;
  count: number;
  sum?: number;
}

const fail = (key: string, message: string) => badRequest(`${key}: ${message}`, { fields: { [key]: message } });

/**
 * Records per choice of a single select, with the sum of a number field: a kanban's column counts and pipeline
 * value per stage, in one statement, every choice listed in its order (empty ones too).
 */
export async function groupRecords(db: Db, ws: WorkspaceOverview, sheet: SheetDef, query: GroupQuery): Promise<Group[]> {
  const field = findField(sheet, query.field);
  if (!field || field.type !== 'single_select') throw fail('field', `"${query.field}" is not a single select field of "${sheet.name}"`);
  const sumField = query.sum === undefined ? undefined : findField(sheet, query.sum);
  if (query.sum !== undefined && (!sumField || sumField.impl.valueKind !== 'number' || sumField.impl.computed?.list)) {
    throw fail('sum', `"${query.sum}" is not a number field of "${sheet.name}"`);
  }
  const where = listConditions(sheet, query);
  const { choices } = field.options as ChoiceOptions;
  // A removed choice's id left in a row counts with the empty ones, as it reads.
  const key = sql`CASE WHEN ${fieldColumn(field)} = ANY(${choices.map((c) => c.id)}::text[]) THEN ${fieldColumn(field)} END`;
  const sum = sumField ? sql`, COALESCE(sum(${fieldColumn(sumField)}), 0) AS s` : sql``;
  const result = await sql<{ g: string | null; n: string; s?: string }>`
    SELECT ${key} AS g, count(*) AS n${sum} FROM ${sheetTable(ws, sheet)} AS t WHERE ${where} GROUP BY 1`.execute(db);
  const byId = new Map(result.rows.map((r) => [r.g, r]));
  const group = (value: string | null, id: string | null): Group => {
    const row = byId.get(id);
    const g: Group = { value, count: Number(row?.n ?? 0) };
    if (sumField) g.sum = Number(row?.s ?? 0);
    return g;
  };
  return [...choices.map((c) => group(c.name, c.id)), group(null, null)];
}
