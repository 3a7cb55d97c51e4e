import type { SheetDef } from '../catalog/model.js';
import { findSheet } from '../catalog/resolve.js';
import { EngineError, notFound } from '../errors.js';
import { PREVIEW_ROLE_PREFIX, type Access, type SheetGrant } from './model.js';

const forbidden = (message: string, details?: Record<string, unknown>) => new EngineError('forbidden', message, details);

/** Sheets, fields, forms, rules, documents, conversions, templates and the trash: the design permission. */
export function requireDesign(access: Access): void {
  if (!access.role.design) throw forbidden(`Your role (${access.role.name}) cannot change the design of this workspace`);
}

/** Members, invitations, teams, roles and the audit log. */
export function requireMembers(access: Access): void {
  if (!access.role.members) throw forbidden(`Your role (${access.role.name}) cannot manage the members of this workspace`);
}

/** A backup holds every field of every record and the members: owners and admins (design and members), never in a preview. */
export function requireBackup(access: Access): void {
  refusePreview(access);
  if (!access.role.design || !access.role.members) throw forbidden(`Your role (${access.role.name}) cannot back up this workspace; owners and admins can`);
}

/** Acting as oneself (deciding an approval, pressing a button): never while previewing a role, which changes nothing. */
export function refusePreview(access: Access): void {
  if (access.role.id.startsWith(PREVIEW_ROLE_PREFIX)) throw forbidden(`A preview as ${access.role.name} is read-only`);
}

/** A sheet the user may read, by id or name; any other is unknown to them (404). */
export function readableSheet(access: Access, ref: string): SheetGrant & { sheet: SheetDef } {
  const sheet = findSheet(access.ws, ref);
  const grant = sheet && access.grant(sheet.id);
  if (!grant?.sheet) throw notFound(`Sheet "${ref}"`);
  return grant as SheetGrant & { sheet: SheetDef };
}

/**
 * A sheet the user may add records to: a readable one, or (a public form's visitor, an intake role) one they may
 * only create in, named by id or by its name.
 */
export function creatableSheet(access: Access, ref: string): SheetGrant {
  const sheet = findSheet(access.ws, ref) ?? findSheet(access.full, ref);
  const grant = sheet && access.grant(sheet.id);
  if (!grant || (!grant.sheet && !grant.create)) throw notFound(`Sheet "${ref}"`);
  if (!grant.create) throw forbidden(`Your role (${access.role.name}) cannot add records to "${grant.full.name}"`);
  return grant;
}

/** The whole definition of a sheet for design work (the role may design, so it sees every field). */
export function designedSheet(access: Access, ref: string): SheetDef {
  requireDesign(access);
  const sheet = findSheet(access.full, ref);
  if (!sheet) throw notFound(`Sheet "${ref}"`);
  return sheet;
}

/** Changing records (views are arranged by whoever may change some record of the sheet). */
export function requireSomeWrite(access: Access, grant: SheetGrant): void {
  if (!grant.create && grant.rows('update') === undefined) throw forbidden(`Your role (${access.role.name}) cannot change records of "${grant.full.name}"`);
}

/** A record the user may read but not change (or delete): 403 naming it. */
export const outOfScope = (access: Access, grant: SheetGrant, recordId: string, operation: 'update' | 'delete') =>
  forbidden(`Your role (${access.role.name}) cannot ${operation === 'update' ? 'change' : 'delete'} record ${recordId} of "${grant.full.name}"`, { record: recordId });
