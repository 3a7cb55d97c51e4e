import { notFound } from '../errors.js';
import type { FieldDef, SheetDef, WorkspaceOverview } from './model.js';

/** Paths and payloads name sheets and fields by id or by exact current name. */
export function findSheet(ws: WorkspaceOverview, ref: string): SheetDef | undefined {
  return ws.sheets.find((s) => s.id === ref) ?? ws.sheets.find((s) => s.name === ref);
}

export function sheetOrThrow(ws: WorkspaceOverview, ref: string): SheetDef {
  const sheet = findSheet(ws, ref);
  if (!sheet) throw notFound(`Sheet "${ref}"`);
  return sheet;
}

export function findField(sheet: SheetDef, ref: string): FieldDef | undefined {
  return sheet.fields.find((f) => f.id === ref) ?? sheet.fields.find((f) => f.name === ref);
}

export function fieldOrThrow(sheet: SheetDef, ref: string): FieldDef {
  const field = findField(sheet, ref);
  if (!field) throw notFound(`Field "${ref}" of sheet "${sheet.name}"`);
  return field;
}
