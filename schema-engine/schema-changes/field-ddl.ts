import type { FieldType } from '../field-types/field-type.js';
import { columnName, searchIndexName, sequenceName, tableName, uniqueIndexName } from '../ids.js';
import type { DdlAction } from './ddl.js';

interface ColumnPlan {
  schema: string;
  sheetId: string;
  fieldId: string;
  impl: FieldType<unknown>;
  options: unknown;
  unique: boolean;
}

/** The column of a field with its sequence and indexes; nothing for a field that shows a system column. */
export function fieldColumnDdl(plan: ColumnPlan): DdlAction[] {
  const type = plan.impl.storage(plan.options);
  if (type === null) return [];
  const table = tableName(plan.sheetId);
  const column = columnName(plan.fieldId);
  const actions: DdlAction[] = [{ kind: 'add_column', schema: plan.schema, table, column, type }];
  if (plan.impl.sequence) actions.push({ kind: 'number_rows', schema: plan.schema, table, column, sequence: sequenceName(plan.fieldId) });
  return [...actions, ...fieldIndexDdl(plan)];
}

export function fieldIndexDdl(plan: ColumnPlan): DdlAction[] {
  if (plan.impl.storage(plan.options) === null) return [];
  const table = tableName(plan.sheetId);
  const column = columnName(plan.fieldId);
  const actions: DdlAction[] = [];
  if (plan.unique) actions.push({ kind: 'create_unique_index', schema: plan.schema, table, column, index: uniqueIndexName(plan.fieldId) });
  if (plan.impl.searchable) actions.push({ kind: 'create_search_index', schema: plan.schema, table, column, index: searchIndexName(plan.fieldId) });
  return actions;
}

/** An autonumber column put aside (or brought back) takes its sequence along, so the field's name is free (or its own again). */
export function moveSequence(schema: string, impl: FieldType<unknown>, from: string, to: string): DdlAction[] {
  return impl.sequence ? [{ kind: 'rename_sequence', schema, from: sequenceName(from), to: sequenceName(to) }] : [];
}

/** Indexes go before a column is put aside, so the names are free for the field's new column. */
export const dropFieldIndexes = (schema: string, fieldId: string): DdlAction[] => [
  { kind: 'drop_index', schema, index: uniqueIndexName(fieldId) },
  { kind: 'drop_index', schema, index: searchIndexName(fieldId) },
];
