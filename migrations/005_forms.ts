import { sql, type Kysely } from 'kysely';

/** The user public form submissions are written as (PUBLIC_FORM_USER_ID): no password anyone could match. */
const PUBLIC_FORM_USER_ID = 'usrpublicform00';

// Designed forms per sheet: a draft (versioned for conflicts) and its published versions, and public-form settings.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('sheet_id', 'text', (c) => c.notNull().references('sheets.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('draft', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('published_version', 'integer')
    .addColumn('public_token', 'text', (c) => c.unique())
    .addColumn('public_settings', 'jsonb')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('forms_sheet').on('forms').columns(['sheet_id', 'position']).execute();
  await sql`CREATE UNIQUE INDEX forms_one_default ON forms (sheet_id) WHERE is_default`.execute(db);
  await db.schema
    .createTable('form_versions')
    .addColumn('form_id', 'text', (c) => c.notNull().references('forms.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('layout', 'jsonb', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('form_versions_pk', ['form_id', 'version'])
    .execute();
  await sql`INSERT INTO users (id, email, name, password_hash) VALUES (${PUBLIC_FORM_USER_ID}, 'public-form@system.invalid', 'Public form', '!')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('form_versions').ifExists().execute();
  await db.schema.dropTable('forms').ifExists().execute();
  await sql`DELETE FROM users WHERE id = ${PUBLIC_FORM_USER_ID}`.execute(db);
}
