import { sql, type Kysely } from 'kysely';

// Sheet rules of a second kind: "lock" rules make fields read-only while their condition holds (rules/locks.ts).
// `locked_fields` holds field ids; NULL locks every field and refuses deleting the record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sheet_rules')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('validate'))
    .addColumn('locked_fields', 'jsonb')
    .execute();
  await sql`ALTER TABLE sheet_rules ADD CONSTRAINT sheet_rules_kind CHECK (kind IN ('validate', 'lock'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sheet_rules').dropConstraint('sheet_rules_kind').execute();
  await db.schema.alterTable('sheet_rules').dropColumn('kind').dropColumn('locked_fields').execute();
}
