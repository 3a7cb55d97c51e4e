import { sql, type Kysely } from 'kysely';

/**
 * Workflows (schema-engine/workflows/): each change a new version, runs that finish on the version they started on,
 * their steps one row each (status, attempts, output), the records currently matching a `record_matches` trigger
 * (so it fires once per time a record comes to match), approvals, in-app notifications, and which run wrote a
 * change of a record's history. Workspaces gain a time zone and a locale: schedules run in them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
    .execute();

  await db.schema
    .createTable('workflows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    // Signs the workflow's webhooks (X-Signature); never shown.
    .addColumn('secret', 'text', (c) => c.notNull())
    // Copied from the current version, so a record write finds the workflows of its sheet with one indexed lookup.
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('trigger_sheet_id', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX workflows_workspace ON workflows (workspace_id) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX workflows_sheet ON workflows (workspace_id, trigger_sheet_id) WHERE enabled AND deleted_at IS NULL`.execute(db);

  await db.schema
    .createTable('workflow_versions')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trigger', 'jsonb', (c) => c.notNull())
    .addColumn('steps', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflow_versions_pk', ['workflow_id', 'version'])
    .execute();

  await db.schema
    .createTable('workflow_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled')`))
    .addColumn('sheet_id', 'text')
    .addColumn('record_id', 'text')
    // 1 for a run started by a person; a run started by another run's write is one deeper.
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(1))
    // Whose access the run acts with.
    .addColumn('acting_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // What started it: {record, old, user, form?}, values by field id.
    .addColumn('trigger', 'jsonb', (c) => c.notNull())
    // Makes starting a run from one event idempotent (an event job run twice starts nothing twice).
    .addColumn('event_key', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('error', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX workflow_runs_event ON workflow_runs (workflow_id, event_key) WHERE event_key IS NOT NULL`.execute(db);
  await sql`CREATE INDEX workflow_runs_workflow ON workflow_runs (workflow_id, id DESC)`.execute(db);

  await db.schema
    .createTable('workflow_run_steps')
    .addColumn('run_id', 'text', (c) => c.notNull().references('workflow_runs.id').onDelete('cascade'))
    // "2", or "2.onReject.0" for a step inside another's branch.
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('output', 'jsonb')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('workflow_run_steps_pk', ['run_id', 'path'])
    .execute();

  await db.schema
    .createTable('workflow_matches')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflow_matches_pk', ['workflow_id', 'record_id'])
    .execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('run_id', 'text', (c) => c.notNull().references('workflow_runs.id').onDelete('cascade'))
    .addColumn('step_path', 'text', (c) => c.notNull())
    .addColumn('sheet_id', 'text')
    .addColumn('record_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('approvers', sql`text[]`, (c) => c.notNull())
    .addColumn('lock_fields', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'approved', 'rejected', 'cancelled')`))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('comment', 'text')
    .execute();
  await sql`CREATE INDEX approvals_pending ON approvals USING gin (approvers) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX approvals_record ON approvals (workspace_id, sheet_id, record_id) WHERE status = 'pending'`.execute(db);

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.references('workspaces.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('run_id', 'text', (c) => c.references('workflow_runs.id').onDelete('set null'))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX notifications_user ON notifications (user_id, at DESC)`.execute(db);

  // The run that made a change, when a workflow did ("Workflow: <name>" in the history).
  await db.schema.alterTable('record_history').addColumn('via', 'text').execute();
  // A workflow's email may attach the record's document: [{filename, contentType, content}].
  await db.schema.alterTable('mails').addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mails').dropColumn('attachments').execute();
  await db.schema.alterTable('record_history').dropColumn('via').execute();
  for (const table of ['notifications', 'approvals', 'workflow_matches', 'workflow_run_steps', 'workflow_runs', 'workflow_versions', 'workflows']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('workspaces').dropColumn('time_zone').dropColumn('locale').execute();
}
