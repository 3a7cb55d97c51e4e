import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db.js';
import type { Engine } from '../engine.js';
import { EngineError, fieldErrors, notFound } from '../errors.js';
import { nameKey } from '../schema-changes/names.js';
import { audit, changeAccess } from './changes.js';
import { requireMembers } from './guard.js';
import type { Access } from './model.js';
import { findRole } from './roles.js';

export interface Member {
  id: string;
  name: string;
  email: string;
  /** The role's name (a built-in role's name is its key: owner, admin, editor, viewer). */
  role: string;
  roleId: string;
  teams: string[];
  active: boolean;
}

/** The people of a workspace (any member may list them: user pickers, mentions), with their role and teams. */
export async function listMembers(engine: Engine, access: Access): Promise<Member[]> {
  const { rows } = await sql<Member>`
    SELECT u.id, u.name, u.email, r.name AS role, r.id AS "roleId", m.active,
      coalesce((SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm WHERE tm.workspace_id = m.workspace_id AND tm.user_id = u.id), '{}') AS teams
    FROM workspace_members m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
    WHERE m.workspace_id = ${access.workspaceId}
    ORDER BY u.name, u.id`.execute(engine.db);
  return rows;
}

export const memberPatchSchema = z
  .object({
    role: z.string().min(1).max(300).optional(),
    teams: z.array(z.string().min(1).max(300)).max(100).optional(),
    active: z.boolean().optional(),
  })
  .strict();

export type MemberPatch = z.output<typeof memberPatchSchema>;

async function memberOrThrow(trx: Transaction<Database>, workspaceId: string, userId: string) {
  const member = await trx
    .selectFrom('workspace_members as m')
    .innerJoin('roles as r', 'r.id', 'm.role_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.active', 'r.id as roleId', 'r.name as roleName', 'r.builtin_key', 'u.name', 'u.email'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!member) throw notFound(`Member "${userId}"`);
  return member;
}

/** Owners other than `userId` who are active: the last owner cannot leave, be demoted or be deactivated. */
async function otherOwners(trx: Transaction<Database>, workspaceId: string, userId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM workspace_members m JOIN roles r ON r.id = m.role_id
    WHERE m.workspace_id = ${workspaceId} AND r.builtin_key = 'owner' AND m.active AND m.user_id <> ${userId}`.execute(trx);
  return Number(rows[0]!.n);
}

const lastOwner = () => new EngineError('conflict', 'This is the last owner of the workspace: make someone else an owner first');
const ownersOnly = (access: Access) => new EngineError('forbidden', `Only an owner can make someone an owner or change an owner (your role: ${access.role.name})`);

/** Team ids of the workspace by id or name; anything else is a 400 naming it. */
export async function bindTeams(trx: Transaction<Database> | Engine['db'], workspaceId: string, refs: readonly string[], field: string): Promise<string[]> {
  const teams = await trx.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute();
  return refs.map((ref) => {
    const team = teams.find((t) => t.id === ref) ?? teams.find((t) => nameKey(t.name) === nameKey(ref));
    if (!team) throw fieldErrors({ [field]: `"${ref}" is not a team of this workspace` });
    return team.id;
  });
}

/** Changes a member's role, teams or whether they may sign in to the workspace. */
export async function updateMember(engine: Engine, access: Access, userId: string, patch: MemberPatch): Promise<Member> {
  requireMembers(access);
  const role = patch.role === undefined ? undefined : await findRole(engine, access.workspaceId, patch.role);
  if (patch.role !== undefined && !role) throw fieldErrors({ role: `"${patch.role}" is not a role of this workspace` });
  await changeAccess(engine, access, async (trx) => {
    const member = await memberOrThrow(trx, access.workspaceId, userId);
    const wasOwner = member.builtin_key === 'owner';
    const staysOwner = role ? role.builtIn === 'owner' : wasOwner;
    if ((wasOwner || staysOwner) && role && role.id !== member.roleId && access.role.builtIn !== 'owner') throw ownersOnly(access);
    if (wasOwner && (!staysOwner || patch.active === false) && (await otherOwners(trx, access.workspaceId, userId)) === 0) throw lastOwner();
    const teams = patch.teams === undefined ? undefined : await bindTeams(trx, access.workspaceId, patch.teams, 'teams');
    if (role || patch.active !== undefined) {
      await trx
        .updateTable('workspace_members')
        .set({ ...(role ? { role_id: role.id } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}) })
        .where('workspace_id', '=', access.workspaceId)
        .where('user_id', '=', userId)
        .execute();
    }
    if (teams) {
      await trx.deleteFrom('team_members').where('workspace_id', '=', access.workspaceId).where('user_id', '=', userId).execute();
      if (teams.length) await trx.insertInto('team_members').values([...new Set(teams)].map((team_id) => ({ team_id, user_id: userId, workspace_id: access.workspaceId }))).execute();
    }
    await audit(trx, access, 'member.update', { kind: 'member', id: userId, name: member.name }, { role: member.roleName, active: member.active }, { ...patch, ...(role ? { role: role.name } : {}) });
  });
  return (await listMembers(engine, access)).find((m) => m.id === userId)!;
}

/** Removes a member from the workspace; what they wrote stays, written by them. */
export async function removeMember(engine: Engine, access: Access, userId: string): Promise<void> {
  requireMembers(access);
  await changeAccess(engine, access, async (trx) => {
    const member = await memberOrThrow(trx, access.workspaceId, userId);
    if (member.builtin_key === 'owner') {
      if (access.role.builtIn !== 'owner') throw ownersOnly(access);
      if ((await otherOwners(trx, access.workspaceId, userId)) === 0) throw lastOwner();
    }
    await trx.deleteFrom('team_members').where('workspace_id', '=', access.workspaceId).where('user_id', '=', userId).execute();
    await trx.updateTable('teams').set({ manager_id: null }).where('workspace_id', '=', access.workspaceId).where('manager_id', '=', userId).execute();
    await trx.deleteFrom('workspace_members').where('workspace_id', '=', access.workspaceId).where('user_id', '=', userId).execute();
    await audit(trx, access, 'member.remove', { kind: 'member', id: userId, name: member.name }, { email: member.email, role: member.roleName }, undefined);
  });
}
