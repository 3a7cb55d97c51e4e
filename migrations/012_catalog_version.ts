import { sql, type Kysely } from 'kysely';

// A workspace's catalog version, raised by every schema change in its transaction: a record write checks, before it
// commits, that the catalog it was built from is still the current one (schema-engine/catalog/current.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('catalog_version', 'bigint', (c) => c.notNull().defaultTo(sql`0`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('catalog_version').execute();
}
