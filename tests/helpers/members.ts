import type { MemberRole } from '../../schema-engine/index.js';
import { newId } from '../../schema-engine/index.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Client, TestServer } from './server.js';

/**
 * Another user of the installation with a role in a workspace, written straight into the database (there is no
 * invitation API yet), then signed in through POST /api/auth/login.
 */
export async function addMember(server: TestServer, workspaceId: string, email: string, role: MemberRole, password = 'member password'): Promise<{ client: Client; userId: string }> {
  const userId = newId('usr');
  await server.db.insertInto('users').values({ id: userId, email, name: email.split('@')[0]!, password_hash: await hashPassword(password) }).execute();
  await server.db.insertInto('workspace_members').values({ workspace_id: workspaceId, user_id: userId, role }).execute();
  return { client: await server.signIn(email, password), userId };
}
