import { sql } from 'kysely';
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { fieldErrors, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { assertNameFree, nameKey, nameSchema } from '../schema-changes/names.js';
import { audit, changeAccess } from './changes.js';
import { requireMembers } from './guard.js';
import type { Access } from './model.js';

export const teamInputSchema = z.object({ name: nameSchema, manager: z.string().min(1).max(320).nullable().optional() }).strict();
export const teamPatchSchema = z.object({ name: nameSchema.optional(), manager: z.string().min(1).max(320).nullable().optional() }).strict();

export interface Team {
  id: string;
  name: string;
  /** The manager's user id ("my team's records", and approvals going to the record owner's manager). */
  manager: string | null;
  members: string[];
}

/** The workspace's teams with their managers and members (any member may list them). */
export async function listTeams(engine: Engine, access: Access): Promise<Team[]> {
  const { rows } = await sql<Team>`
    SELECT t.id, t.name, t.manager_id AS manager,
      coalesce((SELECT array_agg(tm.user_id ORDER BY tm.user_id) FROM team_members tm WHERE tm.team_id = t.id), '{}') AS members
    FROM teams t WHERE t.workspace_id = ${access.workspaceId} ORDER BY t.name, t.id`.execute(engine.db);
  return rows;
}

/** A manager is a member, named by user id or email. */
async function managerId(engine: Engine, access: Access, ref: string | null | undefined): Promise<string | null | undefined> {
  if (ref === undefined || ref === null) return ref;
  const found = await engine.db
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.id')
    .where('m.workspace_id', '=', access.workspaceId)
    .where((eb) => eb.or([eb('u.id', '=', ref), eb('u.email', '=', ref.trim().toLowerCase())]))
    .executeTakeFirst();
  if (!found) throw fieldErrors({ manager: `"${ref}" is not a member of this workspace` });
  return found.id;
}

async function teamOrThrow(engine: Engine, access: Access, ref: string): Promise<Team> {
  const teams = await listTeams(engine, access);
  const team = teams.find((t) => t.id === ref) ?? teams.find((t) => nameKey(t.name) === nameKey(ref));
  if (!team) throw notFound(`Team "${ref}"`);
  return team;
}

export async function createTeam(engine: Engine, access: Access, input: z.output<typeof teamInputSchema>): Promise<Team> {
  requireMembers(access);
  assertNameFree(await listTeams(engine, access), input.name, 'team');
  const manager = (await managerId(engine, access, input.manager)) ?? null;
  const id = newId('tea');
  await changeAccess(engine, access, async (trx) => {
    await trx.insertInto('teams').values({ id, workspace_id: access.workspaceId, name: input.name, name_key: nameKey(input.name), manager_id: manager }).execute();
    // A manager belongs to the team they manage.
    if (manager) await trx.insertInto('team_members').values({ team_id: id, user_id: manager, workspace_id: access.workspaceId }).execute();
    await audit(trx, access, 'team.create', { kind: 'team', id, name: input.name }, undefined, { name: input.name, manager });
  });
  return teamOrThrow(engine, access, id);
}

export async function updateTeam(engine: Engine, access: Access, ref: string, patch: z.output<typeof teamPatchSchema>): Promise<Team> {
  requireMembers(access);
  const team = await teamOrThrow(engine, access, ref);
  if (patch.name !== undefined) assertNameFree(await listTeams(engine, access), patch.name, 'team', team.id);
  const manager = await managerId(engine, access, patch.manager);
  await changeAccess(engine, access, async (trx) => {
    await trx
      .updateTable('teams')
      .set({ ...(patch.name !== undefined ? { name: patch.name, name_key: nameKey(patch.name) } : {}), ...(manager !== undefined ? { manager_id: manager } : {}) })
      .where('id', '=', team.id)
      .execute();
    if (manager) await trx.insertInto('team_members').values({ team_id: team.id, user_id: manager, workspace_id: access.workspaceId }).onConflict((oc) => oc.doNothing()).execute();
    await audit(trx, access, 'team.update', { kind: 'team', id: team.id, name: patch.name ?? team.name }, { name: team.name, manager: team.manager }, patch);
  });
  return teamOrThrow(engine, access, team.id);
}

export async function deleteTeam(engine: Engine, access: Access, ref: string): Promise<void> {
  requireMembers(access);
  const team = await teamOrThrow(engine, access, ref);
  await changeAccess(engine, access, async (trx) => {
    await trx.deleteFrom('teams').where('id', '=', team.id).execute();
    await audit(trx, access, 'team.delete', { kind: 'team', id: team.id, name: team.name }, team, undefined);
  });
}
