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

// A batch write looks up every key of every record: a map per catalog snapshot of a sheet (a schema change makes a
// new SheetDef) instead of a linear search. Ids are set last, so an id wins over a field named like another's id.
const fieldMaps = new WeakMap<SheetDef, Map<string, FieldDef>>();

function fieldMap(sheet: SheetDef): Map<string, FieldDef> {
  let map = fieldMaps.get(sheet);
  if (!map) {
    map = new Map();
    for (const field of sheet.fields) if (!map.has(field.name)) map.set(field.name, field);
    for (const field of sheet.fields) map.set(field.id, field);
    fieldMaps.set(sheet, map);
  }
  return map;
}

export function findField(sheet: SheetDef, ref: string): FieldDef | undefined {
  return fieldMap(sheet).get(ref);
}

/** The field of an id known to be the sheet's (a key of parsed values, a column). */
export function fieldById(sheet: SheetDef, id: string): FieldDef | undefined {
  const field = fieldMap(sheet).get(id);
  return field?.id === id ? field : undefined;
}

export function fieldOrThrow(sheet: SheetDef, ref: string): FieldDef {
  const field = findField(sheet, ref);
  if (!field) throw notFound(`Field "${ref}" of sheet "${sheet.name}"`);
  return field;
}
