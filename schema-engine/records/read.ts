import type { SheetDef } from '../catalog/model.js';
import type { ReadContext } from '../field-types/field-type.js';

export interface RecordJson {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  fields: Record<string, unknown>;
}

export interface ReadOptions {
  /** `string`: every value as display text in `locale`, like Airtable's cellFormat=string. */
  cellFormat?: 'json' | 'string';
  locale?: string;
}

export type RecordRow = Record<string, unknown> & { id: string; version: number; created_at: Date; updated_at: Date };

/**
 * A selected row → the API record; empty values are omitted. `written`: the values just inserted, which stand in for
 * the columns of fields whose values read as written (see insertedSelectList).
 */
export function toRecord(row: RecordRow, sheet: SheetDef, ctx: ReadContext, options: ReadOptions = {}, written?: ReadonlyMap<string, unknown>): RecordJson {
  const fields: Record<string, unknown> = {};
  const asString = options.cellFormat === 'string';
  for (const field of sheet.fields) {
    const raw = written && field.impl.readsAsWritten ? written.get(field.id) : row[field.id];
    const value = field.impl.fromStorage(raw ?? null, field.options, ctx);
    if (value === undefined) continue;
    fields[field.name] = asString ? field.impl.format(value, field.options, options.locale ?? 'en') : value;
  }
  return {
    id: String(row.id),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    fields,
  };
}
