import type { FastifyRequest } from 'fastify';
import { accessFor, previewAccess, PUBLIC_FORM_USER_ID, publicForm, type Access, type PublicForm } from '../schema-engine/index.js';
import { verifyPassword } from './auth/passwords.js';
import { requireUser } from './auth/authenticate.js';
import type { AppContext } from './context.js';
import { HttpError } from './errors.js';

/**
 * The signed-in user's Access to the workspace of the route's `:ws`, from the engine's one access layer. Routes only
 * pass it on: what it allows is decided by the engine function they call (schema-engine/access/).
 */
export async function accessOf(ctx: AppContext, request: FastifyRequest): Promise<Access> {
  const user = requireUser(request);
  const { ws } = request.params as { ws?: string };
  if (ws === undefined) throw new Error(`${request.routeOptions.url} has no :ws parameter`);
  const access = await accessFor(ctx.engine, ws, user.id);
  // An admin looking at the app as a role would (read-only): `X-Preview-Role: <role id or name>`.
  const preview = request.headers[PREVIEW_HEADER];
  return typeof preview === 'string' && preview ? previewAccess(ctx.engine, access, preview) : access;
}

export const PREVIEW_HEADER = 'x-preview-role';

/**
 * An anonymous visitor of a public form: after the form's password when it has one, the visitor's Access (add one
 * record to that sheet through that form, as the "Public form" user) comes from the same layer.
 */
export async function authorizePublicForm(ctx: AppContext, token: string, password: string | undefined): Promise<PublicForm & { userId: string }> {
  const form = await publicForm(ctx.engine, token);
  const hash = form.settings.passwordHash;
  if (hash && !(password && (await verifyPassword(password, hash)))) {
    throw new HttpError(401, 'password_required', password ? 'The password is not right' : 'This form asks for a password', { passwordRequired: true });
  }
  return { ...form, userId: PUBLIC_FORM_USER_ID };
}
