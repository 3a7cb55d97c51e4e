import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Database, Db, MemberRole } from './db.js';
import { compileDdl } from './schema-changes/ddl.js';
import { newId, schemaName } from './ids.js';
import { nameSchema } from './schema-changes/names.js';

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
  await trx.insertInto('workspace_members').values({ workspace_id: id, user_id: ownerId, role: 'owner' }).execute();
  for (const query of compileDdl([{ kind: 'create_schema', schema: schemaName(id) }])) await trx.executeQuery(query);
  return { id, name };
}

export async function workspacesOf(db: Db, userId: string): Promise<(WorkspaceSummary & { role: MemberRole })[]> {
  return db
    .selectFrom('workspaces as w')
    .innerJoin('workspace_members as m', 'm.workspace_id', 'w.id')
    .select(['w.id', 'w.name', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
}

export async function roleIn(db: Db, workspaceId: string, userId: string): Promise<MemberRole | undefined> {
  const row = await db
    .selectFrom('workspace_members')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: MemberRole;
}

/** The people of a workspace, for user pickers. */
export async function membersOf(db: Db, workspaceId: string): Promise<Member[]> {
  return db
    .selectFrom('workspace_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'u.email', 'm.role'])
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}
