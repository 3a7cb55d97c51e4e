import { sql } from 'kysely';
import { z } from 'zod';
import type { WorkspaceOverview } from '../catalog/model.js';
import { findField, findSheet } from '../catalog/resolve.js';
import type { Engine } from '../engine.js';
import { badRequest, EngineError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { compileFilter } from '../query/filter.js';
import { assertNameFree, nameKey, nameSchema } from '../schema-changes/names.js';
import { audit, changeAccess } from './changes.js';
import { requireMembers } from './guard.js';
import { sheetAccessSchema, type Access, type RoleDef, type SheetAccess } from './model.js';
import { roleFromRow, type RoleRow } from './roles-read.js';
import { bindAsker } from './scope.js';

/** At most this many roles a workspace (the four built in included). */
export const MAX_ROLES = 50;

const otherSheetsSchema = sheetAccessSchema.omit({ where: true, fields: true }).strict();

export const roleInputSchema = z
  .object({
    name: nameSchema,
    design: z.boolean().default(false),
    members: z.boolean().default(false),
    /** By sheet id or name; stored by id. */
    sheets: z.record(z.string().max(300), sheetAccessSchema).default({}),
    otherSheets: otherSheetsSchema.default({ read: 'none', create: false, update: 'none', delete: 'none' }),
  })
  .strict();

export const rolePatchSchema = z
  .object({
    name: nameSchema.optional(),
    design: z.boolean().optional(),
    members: z.boolean().optional(),
    sheets: z.record(z.string().max(300), sheetAccessSchema).optional(),
    otherSheets: otherSheetsSchema.optional(),
  })
  .strict();

export type RoleInput = z.output<typeof roleInputSchema>;
export type RolePatch = z.output<typeof rolePatchSchema>;

/** The API shape of a role (API.md): built-in roles are read-only. */
export function roleJson(role: RoleDef) {
  return { id: role.id, name: role.name, builtIn: role.builtIn !== null, design: role.design, members: role.members, sheets: role.sheets, otherSheets: role.otherSheets };
}

async function roleRows(engine: Engine, workspaceId: string): Promise<RoleDef[]> {
  const { rows } = await sql<RoleRow>`SELECT * FROM roles WHERE workspace_id = ${workspaceId} ORDER BY builtin_key IS NULL, created_at, id`.execute(engine.db);
  return rows.map(roleFromRow);
}

/** A role of the workspace by id or name (case and width folded, as names are compared). */
export async function findRole(engine: Engine, workspaceId: string, ref: string): Promise<RoleDef | undefined> {
  const roles = await roleRows(engine, workspaceId);
  return roles.find((r) => r.id === ref) ?? roles.find((r) => nameKey(r.name) === nameKey(ref));
}

export async function listRoles(engine: Engine, access: Access) {
  requireMembers(access);
  return (await roleRows(engine, access.workspaceId)).map(roleJson);
}

/**
 * Sheets and fields named by id or name become ids; each one must exist, a sheet's primary field (its records' title
 * wherever they are linked) cannot be hidden, and a row condition must compile over its sheet.
 */
function bindSheets(ws: WorkspaceOverview, sheets: Record<string, SheetAccess>): Record<string, SheetAccess> {
  const bound: Record<string, SheetAccess> = {};
  const problems: Record<string, string> = {};
  for (const [ref, grant] of Object.entries(sheets)) {
    const sheet = findSheet(ws, ref);
    if (!sheet) {
      problems[`sheets.${ref}`] = 'is not a sheet of this workspace';
      continue;
    }
    const fields: Record<string, 'hidden' | 'read_only'> = {};
    for (const [fieldRef, fieldGrant] of Object.entries(grant.fields ?? {})) {
      const field = findField(sheet, fieldRef);
      if (!field) problems[`sheets.${ref}.fields.${fieldRef}`] = `is not a field of "${sheet.name}"`;
      else if (field.id === sheet.primaryFieldId && fieldGrant === 'hidden') problems[`sheets.${ref}.fields.${fieldRef}`] = `is the primary field of "${sheet.name}" (the title of its records): it can be read-only, not hidden`;
      else fields[field.id] = fieldGrant;
    }
    if (grant.where !== undefined && grant.where !== null) {
      try {
        compileFilter(sheet, bindAsker(grant.where, { userId: 'usr', teams: [], teammates: [] }));
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        problems[`sheets.${ref}.where`] = error.message.replace(/^filter: /, '');
      }
    }
    const { where, fields: _given, ...scopes } = grant;
    bound[sheet.id] = { ...scopes, ...(where !== undefined && where !== null ? { where } : {}), ...(Object.keys(fields).length ? { fields } : {}) };
  }
  const names = Object.keys(problems);
  if (names.length) throw badRequest(`Invalid role: ${names[0]} ${problems[names[0]!]}`, { fields: problems });
  return bound;
}

function storedRole(role: Omit<RoleDef, 'id' | 'builtIn' | 'version'>) {
  return { name: role.name, name_key: nameKey(role.name), design: role.design, members: role.members, sheets: JSON.stringify(role.sheets), other_sheets: JSON.stringify(role.otherSheets) };
}

export async function createRole(engine: Engine, access: Access, input: RoleInput) {
  requireMembers(access);
  const existing = await roleRows(engine, access.workspaceId);
  if (existing.length >= MAX_ROLES) throw badRequest(`A workspace can have at most ${MAX_ROLES} roles`);
  assertNameFree(existing, input.name, 'role');
  const role = { name: input.name, design: input.design, members: input.members, sheets: bindSheets(access.full, input.sheets), otherSheets: input.otherSheets };
  const id = newId('rol');
  await changeAccess(engine, access, async (trx) => {
    // The clock, not the transaction's start: roles made in one transaction (a template's) list in the order made.
    await trx.insertInto('roles').values({ id, workspace_id: access.workspaceId, builtin_key: null, ...storedRole(role), created_at: sql<Date>`clock_timestamp()` }).execute();
    await audit(trx, access, 'role.create', { kind: 'role', id, name: role.name }, undefined, role);
  });
  return roleJson((await findRole(engine, access.workspaceId, id))!);
}

async function customRole(engine: Engine, access: Access, ref: string): Promise<RoleDef> {
  requireMembers(access);
  const role = await findRole(engine, access.workspaceId, ref);
  if (!role) throw notFound(`Role "${ref}"`);
  if (role.builtIn) throw new EngineError('conflict', `"${role.name}" is a built-in role; it cannot be changed or deleted (make a role of your own instead)`);
  return role;
}

export async function updateRole(engine: Engine, access: Access, ref: string, patch: RolePatch) {
  const role = await customRole(engine, access, ref);
  if (patch.name !== undefined) assertNameFree(await roleRows(engine, access.workspaceId), patch.name, 'role', role.id);
  const next = {
    name: patch.name ?? role.name,
    design: patch.design ?? role.design,
    members: patch.members ?? role.members,
    sheets: patch.sheets ? bindSheets(access.full, patch.sheets) : role.sheets,
    otherSheets: patch.otherSheets ?? role.otherSheets,
  };
  await changeAccess(engine, access, async (trx) => {
    await trx
      .updateTable('roles')
      .set((eb) => ({ ...storedRole(next), version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', role.id)
      .execute();
    await audit(trx, access, 'role.update', { kind: 'role', id: role.id, name: next.name }, roleJson(role), next);
  });
  return roleJson((await findRole(engine, access.workspaceId, role.id))!);
}

export async function deleteRole(engine: Engine, access: Access, ref: string): Promise<void> {
  const role = await customRole(engine, access, ref);
  await changeAccess(engine, access, async (trx) => {
    const held = await trx.selectFrom('workspace_members').select('user_id').where('role_id', '=', role.id).limit(1).executeTakeFirst();
    const invited = await trx.selectFrom('invitations').select('id').where('role_id', '=', role.id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).limit(1).executeTakeFirst();
    if (held || invited) throw new EngineError('conflict', `The role "${role.name}" is still held by ${held ? 'a member' : 'a pending invitation'}; give them another role first`);
    await trx.deleteFrom('roles').where('id', '=', role.id).execute();
    await audit(trx, access, 'role.delete', { kind: 'role', id: role.id, name: role.name }, roleJson(role), undefined);
  });
}
