import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import type { Access } from './model.js';

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
