import type { Engine } from '../engine.js';
import { notFound } from '../errors.js';
import { requireMembers } from './guard.js';
import { makeAccess } from './load.js';
import { PREVIEW_ROLE_PREFIX, type Access, type RoleDef, type SheetAccess } from './model.js';
import { findRole } from './roles.js';

const readOnly = (grant: SheetAccess): SheetAccess => ({ ...grant, create: false, update: 'none', delete: 'none' });

/**
 * "Preview as this role": an admin sees the workspace as a member holding `roleRef` would (the sheets, fields and
 * records it reaches, their own records being the admin's), without design or member rights, and writing nothing.
 */
export async function previewAccess(engine: Engine, access: Access, roleRef: string): Promise<Access> {
  requireMembers(access);
  const role = await findRole(engine, access.workspaceId, roleRef);
  if (!role) throw notFound(`Role "${roleRef}"`);
  const preview: RoleDef = {
    ...role,
    id: `${PREVIEW_ROLE_PREFIX}${role.id}`,
    design: false,
    members: false,
    sheets: Object.fromEntries(Object.entries(role.sheets).map(([id, grant]) => [id, readOnly(grant)])),
    otherSheets: readOnly(role.otherSheets),
  };
  return makeAccess(access.full, preview, access);
}
