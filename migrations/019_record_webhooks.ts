import { sql, type Kysely } from 'kysely';

/**
 * Record-event webhooks (schema-engine/webhooks/): a workspace's subscriptions to the created, updated and deleted
 * records of one sheet, and their delivery log, one row per event per subscription (added in the write's transaction),
 * with every attempt it took. Deleting a subscription deletes its log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('record_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // A deleted sheet's subscriptions stay (its trash may bring it back) and fire again once it is restored.
    .addColumn('sheet_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', sql`text[]`, (c) => c.notNull())
    // Signs the deliveries (X-Signature); shown once, in the answer that creates the subscription.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX record_webhooks_workspace ON record_webhooks (workspace_id, created_at)`.execute(db);

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('record_webhooks.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull().check(sql`event IN ('created', 'updated', 'deleted')`))
    .addColumn('record_id', 'text', (c) => c.notNull())
    // The exact body every attempt sends (and signs): text, so its keys keep their order.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status IN ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // [{at, status?, error?}], one entry per attempt.
    .addColumn('attempt_log', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('response_status', 'integer')
    // The first 2000 characters of the last answer.
    .addColumn('response_body', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('record_webhooks').execute();
}
