import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, FieldValueError, zodOptions } from './field-type.js';
import { textCell } from './shared/export-cells.js';
import { formatUser, USER_SCHEMA, userFromStorage, userObjectSql, userSortSql, userToTextSql, userKey } from './shared/users.js';

/**
 * `owner`: this field decides whose records are whose ("own" and "team" scopes of roles; access/scope.ts).
 * `defaultCurrentUser`: a new record written without the field gets the user who creates it.
 */
const options = z.object({ owner: z.boolean().optional(), defaultCurrentUser: z.boolean().optional() }).strict();


export const user = defineFieldType<z.output<typeof options>>({
  id: 'user',
  valueKind: 'user',
  parseOptions: zodOptions(options),
  storage: () => 'text',
  userIds: 'one',
  readOnly: false,
  formulaType: () => undefined,
  searchable: false,
  inputSchema: () => ({
    anyOf: [
      { type: 'string', minLength: 1, maxLength: 320 },
      { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    ],
  }),
  outputSchema: () => USER_SCHEMA,
  invalidMessage: 'must be a user id or email address',
  references: (value) => ({ users: [userKey(value)] }),
  toStorage: (value, _o, ctx) => {
    const found = ctx.user(userKey(value));
    if (!found) throw new FieldValueError(`no member of this workspace has the id or email "${userKey(value)}"`);
    return found.id;
  },
  createDefault: (o, ctx) => (o.defaultCurrentUser && ctx.actorId ? ctx.actorId : undefined),
  fromStorage: userFromStorage,
  format: formatUser,
  exportCell: (value) => textCell(formatUser(value)),
  selectSql: userObjectSql,
  sortSql: userSortSql,
  toTextSql: userToTextSql,
  // Only members of the workspace, as when a value is written.
  fromTextSql: (text, _o, ctx) => sql`(
    SELECT u.id FROM users u JOIN workspace_members m ON m.user_id = u.id AND m.workspace_id = ${ctx.workspaceId}
    WHERE u.id = trim(${text}) OR u.email = lower(trim(${text})) LIMIT 1)`,
});
