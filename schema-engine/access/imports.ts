import { EngineError } from '../errors.js';
import { creatableSheet, refusePreview, requireDesign } from './guard.js';
import type { Access, SheetGrant } from './model.js';

/** Importing a file: anyone who may add records to some sheet, or design a new one; never while previewing a role. */
export function assertMayImport(access: Access): void {
  refusePreview(access);
  const creates = [access.role.otherSheets, ...Object.values(access.role.sheets)].some((grant) => grant.create);
  if (!access.role.design && !creates) throw new EngineError('forbidden', `Your role (${access.role.name}) cannot add records, so it cannot import`);
}

/** The sheet an import writes to: the user adds records to it, and for an upsert also changes some of them. */
export function importTarget(access: Access, sheetRef: string, upsert: boolean): SheetGrant {
  const grant = creatableSheet(access, sheetRef);
  if (upsert && (!grant.sheet || grant.rows('update') === undefined)) {
    throw new EngineError('forbidden', `Your role (${access.role.name}) cannot change records of "${grant.full.name}", so it cannot update them by a key`);
  }
  return grant;
}

/** A new sheet, or new fields, made from the file's columns: the design permission. */
export const requireImportDesign = (access: Access) => requireDesign(access);
