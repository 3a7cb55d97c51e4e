import { sql, type Kysely } from 'kysely';

/**
 * Account security: sessions get a public id (the API's handle, neither the cookie nor its hash), when they were last
 * seen and from which browser; API tokens may expire; sign-in attempts are counted in `rate_limits`, shared by every
 * server on the database. Existing sessions and tokens keep working: they get an id, and tokens no expiry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('public_id', 'text')
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('user_agent', 'text')
    .execute();
  // 'ses' and 12 of [0-9a-f]: the shape newId('ses') gives (an opaque catalog id), random per existing session.
  await sql`UPDATE sessions SET public_id = 'ses' || substr(md5(gen_random_uuid()::text), 1, 12), last_seen_at = created_at`.execute(db);
  await sql`ALTER TABLE sessions ALTER COLUMN public_id SET NOT NULL, ALTER COLUMN last_seen_at SET NOT NULL, ALTER COLUMN last_seen_at SET DEFAULT now()`.execute(db);
  await db.schema.createIndex('sessions_public_id').on('sessions').column('public_id').unique().execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'timestamptz').execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

  // One counter per (scope, key): `key` is a hash of what is counted (an address, an account and an address), so
  // what people typed as an email is not kept. A counter whose window has ended counts as zero and restarts.
  await db.schema
    .createTable('rate_limits')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_ends_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limits').ifExists().execute();
  await db.schema.dropIndex('api_tokens_user').ifExists().execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.dropIndex('sessions_user').ifExists().execute();
  await db.schema.dropIndex('sessions_public_id').ifExists().execute();
  await db.schema.alterTable('sessions').dropColumn('public_id').dropColumn('last_seen_at').dropColumn('user_agent').execute();
}
