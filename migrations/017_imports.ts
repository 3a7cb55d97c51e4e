import { sql, type Kysely } from 'kysely';

/**
 * Spreadsheet imports (schema-engine/imports/): one row per uploaded file, from its preview to the end of its run, so
 * a page reload finds it where it stands; the problems found, one row each (row, column, value, reason); and which
 * import wrote a change of a record's history (`via` holds the import's id, as it holds a workflow run's).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // "Import 3" in record histories: numbered per workspace.
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format IN ('csv', 'tsv', 'xlsx')`))
    // How the file is read: encoding, delimiter, worksheet (and the workbook's worksheets), header rows.
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    // The preview: [{name, samples, type, options, dateOrder?}].
    .addColumn('columns', 'jsonb', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('previewed', 'running', 'done', 'failed', 'cancelled')`))
    // What start asked for, resolved to ids: sheet or new sheet, column → field, mode, key, onError, links, dates.
    .addColumn('options', 'jsonb')
    .addColumn('sheet_id', 'text')
    // The language of the person who started it: the reasons of problems are written in it.
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problem_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Set by a cancel while running; the run sees it between batches and rolls everything back.
    .addColumn('cancel_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`CREATE UNIQUE INDEX imports_number ON imports (workspace_id, number)`.execute(db);

  await db.schema
    .createTable('import_problems')
    .addColumn('import_id', 'text', (c) => c.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    // The row as a spreadsheet numbers it (the header is row 1).
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('column', 'text')
    .addColumn('value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_problems_pk', ['import_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_problems').execute();
  await db.schema.dropTable('imports').execute();
}
