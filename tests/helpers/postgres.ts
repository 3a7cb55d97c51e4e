import pg from 'pg';
import { migrateToLatest } from '../../migrations/index.js';
import { createDb, createPool } from '../../server/database.js';

// Overridable so two test runs on one server (two checkouts) do not drop each other's template.
export const TEMPLATE_DB = process.env.TEST_TEMPLATE_DB ?? 'crm_test_template';

/** The server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A migrated template database: each test file copies it (CREATE DATABASE … TEMPLATE) in a few milliseconds. */
export async function prepareTemplate(adminUrl: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${TEMPLATE_DB}`);
  const pool = createPool(withDatabase(adminUrl, TEMPLATE_DB), 2);
  const db = createDb(pool);
  try {
    await migrateToLatest(db);
    // Imported here, in the global setup only: test files using this module need not load graphile-worker.
    await (await import('../../server/jobs/runner.js')).migrateJobQueue(pool);
  } finally {
    await db.destroy();
  }
}
