import type { BuiltInRole } from '../db.js';
import { sheetAccessSchema, type RoleDef, type SheetAccess } from './model.js';

/** A `roles` row as selected (`SELECT r.*`). */
export interface RoleRow {
  id: string;
  name: string;
  builtin_key: BuiltInRole | null;
  design: boolean;
  members: boolean;
  sheets: unknown;
  other_sheets: unknown;
  version: number;
}

/** Stored grants are checked again when read: a row edited by hand that no longer parses grants nothing. */
function grantOf(value: unknown): SheetAccess {
  const parsed = sheetAccessSchema.safeParse(value);
  return parsed.success ? parsed.data : { read: 'none', create: false, update: 'none', delete: 'none' };
}

export function roleFromRow(row: RoleRow): RoleDef {
  const sheets = Object.fromEntries(Object.entries((row.sheets ?? {}) as Record<string, unknown>).map(([id, grant]) => [id, grantOf(grant)]));
  return {
    id: row.id,
    name: row.name,
    builtIn: row.builtin_key,
    design: row.design,
    members: row.members,
    sheets,
    otherSheets: grantOf(row.other_sheets),
    version: row.version,
  };
}
