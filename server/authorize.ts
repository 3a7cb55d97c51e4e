import type { FastifyRequest } from 'fastify';
import { isCatalogIdLike } from './ids.js';
import { roleIn, type MemberRole, type WorkspaceOverview } from '../schema-engine/index.js';
import { requireUser } from './auth/authenticate.js';
import type { AppContext } from './context.js';
import { forbidden, HttpError } from './errors.js';

/**
 * The one authorization layer: every workspace route asks it, with what it is about to do. Roles decide today;
 * per-sheet, per-field and per-row permissions will be added here, not in the routes.
 */
export type Permission = 'read' | 'write' | 'design' | 'admin';

const GRANTS: Record<MemberRole, readonly Permission[]> = {
  owner: ['read', 'write', 'design', 'admin'],
  admin: ['read', 'write', 'design', 'admin'],
  editor: ['read', 'write'],
  viewer: ['read'],
};

export interface Access {
  ws: WorkspaceOverview;
  userId: string;
  role: MemberRole;
}

export async function authorize(ctx: AppContext, request: FastifyRequest, workspaceId: string, permission: Permission): Promise<Access> {
  const user = requireUser(request);
  if (!isCatalogIdLike(workspaceId)) throw new HttpError(404, 'not_found', `Workspace "${workspaceId}" was not found`);
  const key = `${user.id}:${workspaceId}`;
  let role = ctx.memberships.get(key);
  if (role === undefined) {
    role = (await roleIn(ctx.engine.db, workspaceId, user.id)) ?? null;
    ctx.memberships.set(key, role);
  }
  if (!role) throw forbidden('You are not a member of this workspace');
  if (!GRANTS[role].includes(permission)) throw forbidden(`A workspace ${role} cannot ${permission === 'read' ? 'read' : permission === 'write' ? 'change records' : 'change the schema'} here`);
  return { ws: await ctx.engine.catalog.get(workspaceId), userId: user.id, role };
}
