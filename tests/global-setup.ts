import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/embedded-postgres.js';
import { prepareTemplate, withDatabase } from './helpers/postgres.js';

let embedded: EmbeddedDatabase | undefined;
let tempDir: string | undefined;

/**
 * Tests run against a real PostgreSQL: DATABASE_URL's server if set, else an embedded one. Each test file gets a
 * database of its own, copied from a migrated template.
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tempDir = process.env.TEST_DATA_DIR ? undefined : await mkdtemp(path.join(os.tmpdir(), 'crm-test-'));
    const dir = process.env.TEST_DATA_DIR ?? tempDir!;
    embedded = await startEmbeddedPostgres(dir, Number(process.env.TEST_PG_PORT ?? 54339), () => {});
    adminUrl = embedded.url;
  }
  adminUrl = withDatabase(adminUrl, 'postgres');
  await prepareTemplate(adminUrl);
  project.provide('pgAdminUrl', adminUrl);
  return async () => {
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
