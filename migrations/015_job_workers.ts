import type { Kysely } from 'kysely';

/**
 * The job queue's workers and the database session that proves each alive (server/jobs/liveness.ts): a job locked by
 * a worker whose session is gone was left by a stopped server and is run again at once, not after graphile-worker's
 * four hours.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_workers')
    .addColumn('worker_id', 'text', (c) => c.primaryKey())
    .addColumn('backend_pid', 'integer', (c) => c.notNull())
    .addColumn('backend_start', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_workers').execute();
}
