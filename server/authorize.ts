import type { FastifyRequest } from 'fastify';
import { isCatalogIdLike } from './ids.js';
import { PUBLIC_FORM_USER_ID, publicForm, roleIn, type MemberRole, type PublicForm, type WorkspaceOverview } from '../schema-engine/index.js';
import { verifyPassword } from './auth/passwords.js';
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

/**
 * An anonymous visitor of a public form: allowed exactly that published form of that sheet (read it, submit one
 * record through it, written as the "Public form" user), after its password when it has one.
 */
export async function authorizePublicForm(ctx: AppContext, token: string, password: string | undefined): Promise<PublicForm & { userId: string }> {
  const form = await publicForm(ctx.engine, token);
  const hash = form.settings.passwordHash;
  if (hash && !(password && (await verifyPassword(password, hash)))) {
    throw new HttpError(401, 'password_required', password ? 'The password is not right' : 'This form asks for a password', { passwordRequired: true });
  }
  return { ...form, userId: PUBLIC_FORM_USER_ID };
}
