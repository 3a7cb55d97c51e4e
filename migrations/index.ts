import { Migrator, type Kysely, type Migration } from 'kysely';
import * as m001 from './001_initial.js';
import * as m002 from './002_sheet_rules.js';
import * as m003 from './003_views.js';
import * as m004 from './004_history_changes_json.js';
import * as m005 from './005_forms.js';
import * as m006 from './006_documents.js';
import * as m007 from './007_conversions.js';
import * as m008 from './008_account_security.js';
import * as m009 from './009_server_secrets.js';
import * as m010 from './010_name_keys.js';
import * as m011 from './011_mail.js';
import * as m012 from './012_catalog_version.js';
import * as m013 from './013_team.js';
import * as m014 from './014_workflows.js';
import * as m015 from './015_job_workers.js';
import * as m016 from './016_workflow_turns.js';
import * as m017 from './017_imports.js';
import * as m018 from './018_history_authors.js';
import * as m019 from './019_record_webhooks.js';
import * as m023 from './023_lock_rules.js';

// Listed statically so the migrations bundle and run the same from tsx, vitest and a build.
export const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_sheet_rules': m002,
  '003_views': m003,
  '004_history_changes_json': m004,
  '005_forms': m005,
  '006_documents': m006,
  '007_conversions': m007,
  '008_account_security': m008,
  '009_server_secrets': m009,
  '010_name_keys': m010,
  '011_mail': m011,
  '012_catalog_version': m012,
  '013_team': m013,
  '014_workflows': m014,
  '015_job_workers': m015,
  '016_workflow_turns': m016,
  '017_imports': m017,
  '018_history_authors': m018,
  '019_record_webhooks': m019,
  '023_lock_rules': m023,
};

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Unordered: a migration numbered below one already run (006 landed after 007) still runs on existing databases.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
