import { z } from 'zod';
import type { Transaction } from 'kysely';
import { BUILT_IN_ROLES } from './access/builtins.js';
import type { Database, Db } from './db.js';
import { compileDdl } from './schema-changes/ddl.js';
import { newId, schemaName } from './ids.js';
import { nameKey, nameSchema } from './schema-changes/names.js';

export const createWorkspaceSchema = z.object({ name: nameSchema }).strict();

export interface WorkspaceSummary {
  id: string;
  name: string;
}

/** A workspace is a PostgreSQL schema of its own; its catalog row, owner and schema are created together. */
export async function createWorkspace(db: Db, name: string, ownerId: string): Promise<WorkspaceSummary> {
  return db.transaction().execute((trx) => createWorkspaceIn(trx, name, ownerId));
}

/** The same inside a caller's transaction (first-run setup creates the owner and the workspace together). */
export async function createWorkspaceIn(trx: Transaction<Database>, name: string, ownerId: string): Promise<WorkspaceSummary> {
  const id = newId('wsp');
  await trx.insertInto('workspaces').values({ id, name, created_by: ownerId }).execute();
  const roles = BUILT_IN_ROLES.map((role) => ({
    id: newId('rol'),
    workspace_id: id,
    name: role.name,
    name_key: nameKey(role.name),
    builtin_key: role.key,
    design: role.design,
    members: role.members,
    sheets: '{}',
    other_sheets: JSON.stringify(role.otherSheets),
  }));
  await trx.insertInto('roles').values(roles).execute();
  await trx.insertInto('workspace_members').values({ workspace_id: id, user_id: ownerId, role_id: roles.find((r) => r.builtin_key === 'owner')!.id }).execute();
  for (const query of compileDdl([{ kind: 'create_schema', schema: schemaName(id) }])) await trx.executeQuery(query);
  return { id, name };
}

/** The workspaces a user is an active member of, with their role's name. */
export async function workspacesOf(db: Db, userId: string): Promise<(WorkspaceSummary & { role: string; roleId: string })[]> {
  return db
    .selectFrom('workspaces as w')
    .innerJoin('workspace_members as m', 'm.workspace_id', 'w.id')
    .innerJoin('roles as r', 'r.id', 'm.role_id')
    .select(['w.id', 'w.name', 'r.name as role', 'r.id as roleId'])
    .where('m.user_id', '=', userId)
    .where('m.active', '=', true)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
}
