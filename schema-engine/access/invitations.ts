import { createHash, randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db.js';
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { transact } from '../transaction.js';
import { ACCESS_CHANNEL, audit } from './changes.js';
import { requireMembers } from './guard.js';
import { bindTeams } from './members.js';
import type { Access } from './model.js';
import { findRole } from './roles.js';

/** An invitation link works for a week, once. */
export const INVITATION_DAYS = 7;

export const invitationInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('must be an email address').max(320),
    role: z.string().min(1).max(300),
    teams: z.array(z.string().min(1).max(300)).max(100).optional(),
  })
  .strict();

export interface InvitationJson {
  id: string;
  email: string;
  role: string;
  teams: string[];
  expiresAt: string;
  createdAt: string;
}

/** Only the token's SHA-256 is stored: the link itself is shown once (and mailed). */
export const invitationTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const pending = (engine: Engine, workspaceId: string) =>
  engine.db
    .selectFrom('invitations as i')
    .innerJoin('roles as r', 'r.id', 'i.role_id')
    .select(['i.id', 'i.email', 'r.name as role', 'i.teams', 'i.expires_at', 'i.created_at'])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date());

type PendingRow = { id: string; email: string; role: string; teams: unknown; expires_at: Date; created_at: Date };
const invitationJson = (row: PendingRow): InvitationJson => ({
  id: row.id,
  email: row.email,
  role: row.role,
  teams: row.teams as string[],
  expiresAt: row.expires_at.toISOString(),
  createdAt: row.created_at.toISOString(),
});

export async function listInvitations(engine: Engine, access: Access): Promise<InvitationJson[]> {
  requireMembers(access);
  return (await pending(engine, access.workspaceId).orderBy('i.created_at', 'desc').execute()).map(invitationJson);
}

/**
 * Invites someone by email with a role (and teams): answers the invitation with its one-time token, which the server
 * turns into the link it shows the admin and mails (queued by `inTransaction`, so sent only if the invitation commits). A newer invitation of the same address replaces the older one.
 */
export async function createInvitation(
  engine: Engine,
  access: Access,
  input: z.output<typeof invitationInputSchema>,
  /** Runs in the invitation's transaction with its token: the server queues the invitation mail there. */
  inTransaction?: (trx: Transaction<Database>, invitation: { id: string; email: string; role: string; token: string; expiresAt: Date }) => Promise<void>,
): Promise<InvitationJson & { token: string }> {
  requireMembers(access);
  const role = await findRole(engine, access.workspaceId, input.role);
  if (!role) throw fieldErrors({ role: `"${input.role}" is not a role of this workspace` });
  if (role.builtIn === 'owner' && access.role.builtIn !== 'owner') throw new EngineError('forbidden', `Only an owner can invite an owner (your role: ${access.role.name})`);
  const teams = await bindTeams(engine.db, access.workspaceId, input.teams ?? [], 'teams');
  const member = await sql<{ id: string }>`
    SELECT u.id FROM users u JOIN workspace_members m ON m.user_id = u.id AND m.workspace_id = ${access.workspaceId} WHERE u.email = ${input.email}`.execute(engine.db);
  if (member.rows.length) throw new EngineError('conflict', `${input.email} is a member of this workspace already`, { fields: { email: 'is a member already' } });
  const token = randomBytes(32).toString('base64url');
  const id = newId('inv');
  const expires = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  await transact(engine.db, async (trx) => {
    await trx.updateTable('invitations').set({ revoked_at: new Date() }).where('workspace_id', '=', access.workspaceId).where('email', '=', input.email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute();
    await trx
      .insertInto('invitations')
      .values({ id, workspace_id: access.workspaceId, email: input.email, role_id: role.id, teams: JSON.stringify(teams), token_hash: invitationTokenHash(token), expires_at: expires, created_by: access.userId })
      .execute();
    await audit(trx, access, 'invitation.create', { kind: 'invitation', id, name: input.email }, undefined, { email: input.email, role: role.name, teams });
    await inTransaction?.(trx, { id, email: input.email, role: role.name, token, expiresAt: expires });
  });
  return { id, email: input.email, role: role.name, teams, expiresAt: expires.toISOString(), createdAt: new Date().toISOString(), token };
}

export async function revokeInvitation(engine: Engine, access: Access, id: string): Promise<void> {
  requireMembers(access);
  await transact(engine.db, async (trx) => {
    const row = await trx
      .updateTable('invitations')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('workspace_id', '=', access.workspaceId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning(['email'])
      .executeTakeFirst();
    if (!row) throw notFound(`Invitation "${id}"`);
    await audit(trx, access, 'invitation.revoke', { kind: 'invitation', id, name: row.email }, { email: row.email }, undefined);
  });
}

/** What an invitation link shows before it is accepted: where to, as whom. Used, revoked or expired: 404. */
export async function invitationByToken(engine: Engine, token: string) {
  const row = await engine.db
    .selectFrom('invitations as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .innerJoin('roles as r', 'r.id', 'i.role_id')
    .select(['i.id', 'i.email', 'i.workspace_id', 'w.name as workspace', 'r.name as role'])
    .where('i.token_hash', '=', invitationTokenHash(token))
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) throw notFound('This invitation (it may have been used, revoked or have expired)');
  const existing = await engine.db.selectFrom('users').select('id').where('email', '=', row.email).executeTakeFirst();
  return { email: row.email, workspace: { id: row.workspace_id, name: row.workspace }, role: row.role, hasAccount: Boolean(existing) };
}

/** Who accepts: a signed-in user, or a new account the invitation creates for its address. */
export type Invitee = { userId: string } | { newUser: { name: string; passwordHash: string } };

/**
 * Accepts an invitation in one transaction: the new account (if any), the membership with the invited role and teams,
 * and the invitation marked used. A used, revoked or expired token is 404; an address with an account already must
 * sign in and accept with it (409).
 */
export async function acceptInvitation(engine: Engine, token: string, invitee: Invitee): Promise<{ user: { id: string; name: string; email: string }; workspace: { id: string; name: string } }> {
  const accepted = await transact(engine.db, async (trx) => {
    const invitation = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', invitationTokenHash(token))
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .forUpdate()
      .executeTakeFirst();
    if (!invitation) throw notFound('This invitation (it may have been used, revoked or have expired)');
    let user: { id: string; name: string; email: string };
    if ('userId' in invitee) {
      user = await trx.selectFrom('users').select(['id', 'name', 'email']).where('id', '=', invitee.userId).executeTakeFirstOrThrow();
    } else {
      const taken = await trx.selectFrom('users').select('id').where('email', '=', invitation.email).executeTakeFirst();
      if (taken) throw new EngineError('conflict', `${invitation.email} has an account already: sign in, then open the invitation link again to join`);
      user = { id: newId('usr'), name: invitee.newUser.name, email: invitation.email };
      await trx.insertInto('users').values({ ...user, password_hash: invitee.newUser.passwordHash }).execute();
    }
    const joined = await trx
      .insertInto('workspace_members')
      .values({ workspace_id: invitation.workspace_id, user_id: user.id, role_id: invitation.role_id })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    const teams = invitation.teams as string[];
    if (joined && teams.length) {
      await sql`INSERT INTO team_members (team_id, user_id, workspace_id)
        SELECT t.id, ${user.id}, t.workspace_id FROM teams t WHERE t.workspace_id = ${invitation.workspace_id} AND t.id = ANY(${teams}::text[])
        ON CONFLICT DO NOTHING`.execute(trx);
    }
    await trx.updateTable('invitations').set({ accepted_at: new Date(), accepted_by: user.id }).where('id', '=', invitation.id).execute();
    await audit(trx, { workspaceId: invitation.workspace_id, userId: user.id }, 'invitation.accept', { kind: 'invitation', id: invitation.id, name: invitation.email }, undefined, { user: user.id, joined: Boolean(joined) });
    await sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${invitation.workspace_id})`.execute(trx);
    const workspace = await trx.selectFrom('workspaces').select(['id', 'name']).where('id', '=', invitation.workspace_id).executeTakeFirstOrThrow();
    return { user, workspace };
  });
  engine.members.invalidate(accepted.workspace.id);
  return accepted;
}
