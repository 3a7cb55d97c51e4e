import type { FieldType } from '../field-types/field-type.js';
import { columnName, ownerIndexName, sequenceName, sortIndexName, tableName, uniqueIndexName } from '../ids.js';
import { sortsByColumn } from '../query/sort.js';
import type { DdlAction } from './ddl.js';

interface ColumnPlan {
  schema: string;
  sheetId: string;
  fieldId: string;
  impl: FieldType<unknown>;
  options: unknown;
  unique: boolean;
  /** The field is its sheet's primary field: its sort index comes with its other indexes. */
  primary?: boolean;
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
  if (plan.primary) actions.push(...sortIndexDdl(plan));
  actions.push(...ownerIndexDdl(plan));
  // The search index is the sheet's, over all its text-like columns: schema-changes/search-index.ts.
  return actions;
}

/** The sort index of a sheet's primary field, when a btree can give its order; nothing otherwise. */
export function sortIndexDdl(plan: Pick<ColumnPlan, 'schema' | 'sheetId' | 'fieldId' | 'impl' | 'options'>, concurrently = false): DdlAction[] {
  if (!sortsByColumn(plan.impl, plan.options)) return [];
  const action: DdlAction = { kind: 'create_sort_index', schema: plan.schema, table: tableName(plan.sheetId), column: columnName(plan.fieldId), index: sortIndexName(plan.fieldId) };
  return [concurrently ? { ...action, concurrently } : action];
}

/** Whether a field is its sheet's owner field (a `user` field with `options.owner`). */
export const isOwnerField = (impl: FieldType<unknown>, options: unknown) => impl.id === 'user' && (options as { owner?: boolean } | null)?.owner === true;

/**
 * The owner field's (owner, id) btree of live rows: a rep's page of their own records in grid order (`owner = $1 ORDER
 * BY id`) is a range of it instead of a walk through everyone's records, and a team's is one range per teammate.
 */
export function ownerIndexDdl(plan: Pick<ColumnPlan, 'schema' | 'sheetId' | 'fieldId' | 'impl' | 'options'>, concurrently = false): DdlAction[] {
  if (!isOwnerField(plan.impl, plan.options)) return [];
  const action: DdlAction = { kind: 'create_sort_index', schema: plan.schema, table: tableName(plan.sheetId), column: columnName(plan.fieldId), index: ownerIndexName(plan.fieldId) };
  return [concurrently ? { ...action, concurrently } : action];
}

/** An autonumber column put aside (or brought back) takes its sequence along, so the field's name is free (or its own again). */
export function moveSequence(schema: string, impl: FieldType<unknown>, from: string, to: string): DdlAction[] {
  return impl.sequence ? [{ kind: 'rename_sequence', schema, from: sequenceName(from), to: sequenceName(to) }] : [];
}

/** Indexes go before a column is put aside, so the names are free for the field's new column. */
export const dropFieldIndexes = (schema: string, fieldId: string): DdlAction[] => [
  { kind: 'drop_index', schema, index: uniqueIndexName(fieldId) },
  { kind: 'drop_index', schema, index: sortIndexName(fieldId) },
  { kind: 'drop_index', schema, index: ownerIndexName(fieldId) },
];
