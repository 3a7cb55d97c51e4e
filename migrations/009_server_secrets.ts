import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Secrets every app server on one database shares (not one per process, or a cursor made by one server would be
 * refused by the next): `cursor` signs listing cursors (HMAC), so an edited cursor is refused before it reaches SQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`INSERT INTO server_secrets (name, value) VALUES ('cursor', ${randomBytes(32).toString('base64url')})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('server_secrets').ifExists().execute();
}
