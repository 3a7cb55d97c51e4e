import { sql, type Kysely } from 'kysely';
import type { BuiltInRole, Database } from '../../schema-engine/index.js';
import { newId } from '../../schema-engine/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { clientOf, sessionCookie, type Client, type TestServer } from './server.js';

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

/**
 * A new person invited by `admin` with a role (and teams) and joined through the invitation link, as a user would:
 * POST /invitations, then POST /api/invitations/:token/accept with a name and password (which signs them in).
 */
export async function inviteMember(server: TestServer, admin: Client, workspaceId: string, email: string, role: string, teams: string[] = []): Promise<{ client: Client; userId: string }> {
  const invited = await admin.post(`/api/w/${workspaceId}/invitations`, { email, role, teams });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const token = String(invited.body.url).split('/invite/')[1]!;
  const accepted = await server.anonymous.post(`/api/invitations/${token}/accept`, { name: email.split('@')[0], password: 'member password' });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { client: clientOf(server.app, sessionCookie(accepted.headers)), userId: accepted.body.user.id };
}
