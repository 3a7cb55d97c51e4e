import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * A workspace's team: roles (four built in, per workspace, plus the admins' own), members holding a role (and active
 * or not), teams with a manager, invitations, password resets, and the audit log. The members' old role names
 * become the built-in roles of the same name.
 */
const ALL = { read: 'all', create: true, update: 'all', delete: 'all' };
const READ = { read: 'all', create: false, update: 'none', delete: 'none' };
/** The built-in roles as they were on the day of this migration (schema-engine/access/builtins.ts has today's). */
const BUILT_IN = [
  { key: 'owner', name: 'owner', design: true, members: true, other: ALL },
  { key: 'admin', name: 'admin', design: true, members: true, other: ALL },
  { key: 'editor', name: 'editor', design: false, members: false, other: ALL },
  { key: 'viewer', name: 'viewer', design: false, members: false, other: READ },
] as const;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const roleId = () => 'rol' + [...randomBytes(12)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('builtin_key', 'text', (c) => c.check(sql`builtin_key in ('owner','admin','editor','viewer')`))
    .addColumn('design', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('members', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('sheets', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('other_sheets', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX roles_name_key ON roles (workspace_id, name_key)`.execute(db);
  await sql`CREATE UNIQUE INDEX roles_builtin ON roles (workspace_id, builtin_key) WHERE builtin_key IS NOT NULL`.execute(db);

  const { rows: workspaces } = await sql<{ id: string }>`SELECT id FROM workspaces`.execute(db);
  for (const ws of workspaces) {
    for (const role of BUILT_IN) {
      await db
        .insertInto('roles')
        .values({
          id: roleId(),
          workspace_id: ws.id,
          name: role.name,
          name_key: role.name.toLowerCase(),
          builtin_key: role.key,
          design: role.design,
          members: role.members,
          other_sheets: JSON.stringify(role.other),
        })
        .execute();
    }
  }

  await db.schema
    .alterTable('workspace_members')
    .addColumn('role_id', 'text', (c) => c.references('roles.id'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`UPDATE workspace_members m SET role_id = r.id FROM roles r WHERE r.workspace_id = m.workspace_id AND r.builtin_key = m.role`.execute(db);
  await sql`ALTER TABLE workspace_members ALTER COLUMN role_id SET NOT NULL, DROP COLUMN role`.execute(db);
  await db.schema.createIndex('workspace_members_user').on('workspace_members').column('user_id').execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX teams_name_key ON teams (workspace_id, name_key)`.execute(db);
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user').on('team_members').columns(['workspace_id', 'user_id']).execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('teams', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('invitations_workspace').on('invitations').column('workspace_id').execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('by', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('target_name', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await sql`CREATE INDEX audit_log_workspace ON audit_log (workspace_id, id DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').ifExists().execute();
  await db.schema.dropTable('password_resets').ifExists().execute();
  await db.schema.dropTable('invitations').ifExists().execute();
  await db.schema.dropTable('team_members').ifExists().execute();
  await db.schema.dropTable('teams').ifExists().execute();
  await sql`ALTER TABLE workspace_members ADD COLUMN role text`.execute(db);
  await sql`UPDATE workspace_members m SET role = coalesce(r.builtin_key, 'viewer') FROM roles r WHERE r.id = m.role_id`.execute(db);
  await sql`ALTER TABLE workspace_members ALTER COLUMN role SET NOT NULL, ADD CONSTRAINT workspace_members_role_check CHECK (role in ('owner','admin','editor','viewer'))`.execute(db);
  await db.schema.dropIndex('workspace_members_user').ifExists().execute();
  await db.schema.alterTable('workspace_members').dropColumn('role_id').dropColumn('active').dropColumn('joined_at').execute();
  await db.schema.dropTable('roles').ifExists().execute();
}
