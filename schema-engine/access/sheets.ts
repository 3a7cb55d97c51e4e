import { sheetJson } from '../catalog/model.js';
import { formSchema } from '../records/validator.js';
import { readableSheet } from './guard.js';
import type { Access } from './model.js';

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
