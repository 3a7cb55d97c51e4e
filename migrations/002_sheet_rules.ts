import { sql, type Kysely } from 'kysely';

// Validation rules per sheet: a JsonLogic condition (field ids in its vars) and the message shown when it fails.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sheet_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('sheet_id', 'text', (c) => c.notNull().references('sheets.id').onDelete('cascade'))
    .addColumn('condition', 'jsonb', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sheet_rules_sheet').on('sheet_rules').column('sheet_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sheet_rules').ifExists().execute();
}
