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
