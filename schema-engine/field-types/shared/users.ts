import { sql } from 'kysely';
import type { JsonSchema, Sql, UserRef } from '../field-type.js';

/** A user as records show one: `{id, name, email}`. */
export const USER_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'email'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
  additionalProperties: false,
};

/** The `{id, name, email}` of a stored user id, built in the same SQL statement as the rows. */
export const userObjectSql = (column: Sql): Sql =>
  sql`(SELECT jsonb_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM users u WHERE u.id = ${column})`;

export const userFromStorage = (raw: unknown): UserRef | undefined => (raw === null || raw === undefined ? undefined : (raw as UserRef));

export const formatUser = (value: unknown) => (value as UserRef | undefined)?.name ?? '';

export const userSortSql = (column: Sql) => ({ expr: sql`(SELECT u.name FROM users u WHERE u.id = ${column})`, type: 'text' as const });

export const userToTextSql = (column: Sql): Sql => sql`(SELECT u.email FROM users u WHERE u.id = ${column})`;

/** A user as written: an id, an email, or a `{id}` object as read back. */
export type UserKey = string | { id: unknown };
export const userKey = (value: unknown) => (typeof value === 'object' && value !== null ? String((value as { id: unknown }).id) : String(value));

/** Ids of users whose name or email matches a LIKE pattern (search). */
export const membersMatchingSql = (pattern: string): Sql => sql`ARRAY(SELECT u.id FROM users u WHERE u.name ILIKE ${pattern} OR u.email ILIKE ${pattern})`;

/** The member of a workspace a text names: by id, email, or a name only one member has; NULL otherwise. */
export const memberOfTextSql = (text: Sql, workspaceId: string): Sql => sql`coalesce(
  (SELECT u.id FROM users u JOIN workspace_members m ON m.user_id = u.id AND m.workspace_id = ${workspaceId}
   WHERE u.id = ${text} OR u.email = lower(${text}) LIMIT 1),
  (SELECT min(u.id) FROM users u JOIN workspace_members m ON m.user_id = u.id AND m.workspace_id = ${workspaceId}
   WHERE lower(u.name) = lower(${text}) HAVING count(*) = 1))`;
