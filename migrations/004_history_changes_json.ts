import { sql, type Kysely } from 'kysely';

// History is written on every record change and read only whole, per record: `json` is checked and kept as sent,
// where `jsonb` was parsed into its binary form on every write (a batch of 1000 creates writes 1000 entries).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE record_history ALTER COLUMN changes TYPE json USING changes::json`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE record_history ALTER COLUMN changes TYPE jsonb USING changes::jsonb`.execute(db);
}
