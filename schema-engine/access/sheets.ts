import { sheetJson } from '../catalog/model.js';
import { formSchema } from '../records/validator.js';
import { readableSheet } from './guard.js';
import type { Access, SheetAccess } from './model.js';

/** The sheets the user may read, with the fields they see. */
export function listSheets(access: Access) {
  return access.ws.sheets.map(sheetJson);
}

export function getSheet(access: Access, sheetRef: string) {
  return sheetJson(readableSheet(access, sheetRef).sheet);
}

/** The JSON Schema of a record's values as the user may write them (for validation in the browser). */
export function sheetFormSchema(access: Access, sheetRef: string) {
  const grant = readableSheet(access, sheetRef);
  return formSchema({ ...grant.sheet, fields: grant.sheet.fields.filter((f) => !grant.readOnly.has(f.id)) });
}

/**
 * What the user may do, for the client to hide what the server would refuse (GET /api/me): the role, its design and
 * members permissions, and per sheet they may use its grant (field grants by field id).
 */
export function effectiveAccess(access: Access) {
  const sheets: Record<string, SheetAccess> = {};
  for (const sheet of access.full.sheets) {
    const grant = access.grant(sheet.id);
    if (grant && (grant.sheet || grant.create)) sheets[sheet.id] = grant.access;
  }
  return { role: access.role.name, roleId: access.role.id, design: access.role.design, members: access.role.members, sheets };
}
