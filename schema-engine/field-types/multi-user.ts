import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, FieldValueError, zodOptions, type Sql } from './field-type.js';
import { listCell } from './shared/export-cells.js';
import { USER_SCHEMA, type UserKey, userKey, membersMatchingSql, memberOfTextSql } from './shared/users.js';
import type { UserRef } from './field-type.js';

const options = z.object({}).strict();

/** The people of a value, in the order written: `{id, name, email}` each, from the stored ids. */
const usersSql = (column: Sql): Sql => sql`(
  SELECT jsonb_agg(jsonb_build_object('id', u.id, 'name', u.name, 'email', u.email) ORDER BY v.ord)
  FROM unnest(${column}) WITH ORDINALITY AS v(id, ord) JOIN users u ON u.id = v.id)`;

/**
 * Several members of the workspace, stored as a text[] of user ids (like a multiple select's choice ids): filters
 * test the array (contains, in, empty) and a GIN-free `&&` is enough at a sheet's size. Written as ids or emails.
 */
export const multiUser = defineFieldType<z.output<typeof options>>({
  id: 'multi_user',
  valueKind: 'users',
  parseOptions: zodOptions(options),
  storage: () => 'text[]',
  userIds: 'many',
  readOnly: false,
  formulaType: () => undefined,
  searchable: false,
  inputSchema: () => ({
    type: 'array',
    maxItems: 100,
    items: {
      anyOf: [
        { type: 'string', minLength: 1, maxLength: 320 },
        { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      ],
    },
  }),
  outputSchema: () => ({ type: 'array', items: USER_SCHEMA, minItems: 1 }),
  invalidMessage: 'must be a list of user ids or email addresses',
  references: (value) => ({ users: (value as UserKey[]).map(userKey) }),
  toStorage: (value, _o, ctx) => {
    const ids = (value as UserKey[]).map((key) => {
      const found = ctx.user(userKey(key));
      if (!found) throw new FieldValueError(`no member of this workspace has the id or email "${userKey(key)}"`);
      return found.id;
    });
    const unique = [...new Set(ids)];
    return unique.length ? unique : null;
  },
  fromStorage: (raw) => (Array.isArray(raw) && raw.length ? (raw as UserRef[]) : undefined),
  format: (value) => (Array.isArray(value) ? (value as UserRef[]).map((u) => u.name).join(', ') : ''),
  exportCell: (value) => listCell<UserRef>(value, (u) => u.email),
  selectSql: usersSql,
  sortSql: (column) => ({ expr: sql`(SELECT u.name FROM users u WHERE u.id = (${column})[1])`, type: 'text' }),
  searchSql: (column, pattern) => sql`COALESCE(${column} && ${membersMatchingSql(pattern)}, FALSE)`,
  toTextSql: (column) =>
    sql`(SELECT string_agg(u.email, ', ' ORDER BY v.ord) FROM unnest(${column}) WITH ORDINALITY AS v(id, ord) JOIN users u ON u.id = v.id)`,
  // Every comma-separated part (an id, email or a name only one member has) must be a member, or nothing converts.
  fromTextSql: (text, _o, ctx) => sql`(
    SELECT CASE WHEN count(*) > 0 AND bool_and(x.id IS NOT NULL) THEN array_agg(x.id ORDER BY x.ord) FILTER (WHERE x.first) END
    FROM (SELECT c.id, p.ord, row_number() OVER (PARTITION BY c.id ORDER BY p.ord) = 1 AS first
          FROM unnest(string_to_array(${text}, ',')) WITH ORDINALITY AS p(key, ord)
          CROSS JOIN LATERAL (SELECT ${memberOfTextSql(sql`trim(p.key)`, ctx.workspaceId)} AS id) AS c
          WHERE trim(p.key) <> '') AS x)`,
});
