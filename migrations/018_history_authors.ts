import { sql, type Kysely } from 'kysely';

/**
 * A restored workspace's history keeps who made each change: `by_user` when the author is a user of this
 * installation (matched by email), else their name and email as they were, as text (no user row is invented).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE record_history ADD COLUMN author_name text, ADD COLUMN author_email text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE record_history DROP COLUMN author_name, DROP COLUMN author_email`.execute(db);
}
