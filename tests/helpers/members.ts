import { sql, type Kysely } from 'kysely';
import type { BuiltInRole, Database } from '../../schema-engine/index.js';
import { newId } from '../../schema-engine/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Client, TestServer } from './server.js';

/**
 * Another user of the installation with a role in a workspace, written straight into the database (there is no
 * invitation API yet), then signed in through POST /api/auth/login.
 */
export async function addMember(server: TestServer, workspaceId: string, email: string, role: BuiltInRole, password = 'member password'): Promise<{ client: Client; userId: string }> {
  const userId = newId('usr');
  await server.db.insertInto('users').values({ id: userId, email, name: email.split('@')[0]!, password_hash: await hashPassword(password) }).execute();
  await joinWorkspace(server.db, workspaceId, userId, role);
  return { client: await server.signIn(email, password), userId };
}

/** Makes an existing user a member with a built-in role, straight in the database. */
export async function joinWorkspace(db: Kysely<Database>, workspaceId: string, userId: string, role: BuiltInRole): Promise<void> {
  await sql`INSERT INTO workspace_members (workspace_id, user_id, role_id)
    SELECT ${workspaceId}, ${userId}, id FROM roles WHERE workspace_id = ${workspaceId} AND builtin_key = ${role}`.execute(db);
}
