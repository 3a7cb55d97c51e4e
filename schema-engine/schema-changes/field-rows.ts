import type { Transaction } from 'kysely';
import type { Database } from '../db.js';
import type { FieldSpec } from './field-input.js';
import { nameColumns } from './names.js';

/** The catalog columns a FieldSpec maps to, for insert and update alike. */
export function fieldRowValues(spec: Pick<FieldSpec, 'name' | 'type' | 'options' | 'required' | 'unique' | 'description' | 'defaultValue'>) {
  return {
    ...nameColumns(spec.name),
    type: spec.type,
    options: JSON.stringify(spec.options ?? {}),
    required: spec.required,
    unique: spec.unique,
    description: spec.description,
    default_value: spec.defaultValue === undefined ? null : JSON.stringify(spec.defaultValue),
  };
}

export async function insertFieldRow(
  trx: Transaction<Database>,
  row: { id: string; workspaceId: string; sheetId: string; position: number },
  spec: FieldSpec,
): Promise<void> {
  await trx
    .insertInto('fields')
    .values({ id: row.id, workspace_id: row.workspaceId, sheet_id: row.sheetId, position: row.position, ...fieldRowValues(spec) })
    .execute();
}

export async function bumpSheetVersion(trx: Transaction<Database>, sheetId: string): Promise<void> {
  await trx.updateTable('sheets').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', sheetId).execute();
}
