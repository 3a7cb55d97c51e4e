import { sql, type Kysely } from 'kysely';

/**
 * Every mail the app writes (invitations, password resets, workflow emails), kept whether or not it is sent: without
 * SMTP_URL a mail is `kept` (readable, never sent); with it a mail is `queued` and a `send_mail` job, added in the same
 * transaction, delivers it (server/mail/deliver.ts): `sending` while the SMTP conversation may be under way, then
 * `sent` or `failed`. Workspace-less mails (a password reset) have no workspace_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', sql`text[]`, (c) => c.notNull())
    .addColumn('cc_addresses', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('queued', 'sending', 'sent', 'kept', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('mails_workspace').on('mails').columns(['workspace_id', 'created_at']).execute();
  await db.schema.createIndex('mails_ref').on('mails').columns(['kind', 'ref_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mails').ifExists().execute();
}
