import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation, createInvitation, invitationByToken, invitationInputSchema, listInvitations, revokeInvitation } from '../../schema-engine/index.js';
import { hashPassword } from '../auth/passwords.js';
import { startSession } from '../auth/sessions.js';
import { accessOf } from '../authorize.js';
import { appLink, invitationMail, mailLocale } from '../mail/messages.js';
import { password as passwordSchema } from './auth.js';
import { wsParams } from './params.js';

const tokenParams = z.object({ token: z.string().min(10).max(100) });
const acceptBody = z.object({ name: z.string().trim().min(1).max(200), password: passwordSchema }).strict();


/**
 * Invitations: admins invite by email with a role (the one-time link is shown to them, and mailed when mail is
 * configured); the invitee opens the link, sets a name and password (or signs in first), and joins.
 */
export const invitationRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;
  const { engine } = ctx;
  /** The link an invitee opens: the app's page that shows the invitation and accepts it. */
  const invitationUrl = (request: FastifyRequest, token: string) => appLink(ctx.publicUrl, request, `/invite/${token}`);

  // The link is shown to the admin and mailed to the invitee, in the inviter's language; the mail is written in the
  // invitation's transaction (server/mail/mailer.ts): sent after commit when SMTP_URL is set, else kept.
  app.post('/api/w/:ws/invitations', { schema: { params: wsParams, body: invitationInputSchema } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const locale = mailLocale(request);
    const { token, ...invitation } = await createInvitation(engine, access, request.body, async (trx, created) => {
      const workspace = await trx.selectFrom('workspaces').select('name').where('id', '=', access.workspaceId).executeTakeFirstOrThrow();
      const inviter = await trx.selectFrom('users').select('name').where('id', '=', access.userId).executeTakeFirstOrThrow();
      const mail = invitationMail(locale, { workspace: workspace.name, inviter: inviter.name, role: created.role, url: invitationUrl(request, created.token), expiresAt: created.expiresAt });
      await ctx.mailer.queueMail(trx, { kind: 'invitation', refId: created.id, workspaceId: access.workspaceId, to: [created.email], ...mail });
    });
    return reply.status(201).send({ ...invitation, url: invitationUrl(request, token) });
  });

  app.get('/api/w/:ws/invitations', { schema: { params: wsParams } }, async (request) => listInvitations(engine, await accessOf(ctx, request)));

  app.delete('/api/w/:ws/invitations/:id', { schema: { params: wsParams.extend({ id: z.string().max(40) }) } }, async (request, reply) => {
    await revokeInvitation(engine, await accessOf(ctx, request), request.params.id);
    return reply.status(204).send();
  });

  // What the invitation page shows before accepting: the workspace, the role, and whether the address has an account.
  app.get('/api/invitations/:token', { schema: { params: tokenParams } }, async (request) => invitationByToken(engine, request.params.token));

  // Without a body (a signed-in user joining) the parsed body is null, not undefined.
  app.post('/api/invitations/:token/accept', { schema: { params: tokenParams, body: acceptBody.nullish() } }, async (request, reply) => {
    const body = request.body ?? undefined;
    // A new account from the name and password sent; without them, the signed-in user joins.
    const invitee = body ? { newUser: { name: body.name, passwordHash: await hashPassword(body.password) } } : request.user ? { userId: request.user.id } : undefined;
    if (!invitee) return reply.status(400).send({ error: { code: 'validation_failed', message: 'Set a name and a password, or sign in first', details: { fields: { name: 'is required', password: 'is required' } } } });
    const accepted = await acceptInvitation(engine, request.params.token, invitee);
    if ('newUser' in invitee) await startSession(engine.db, reply, request, accepted.user.id);
    return reply.status(201).send(accepted);
  });
};
