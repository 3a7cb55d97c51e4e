import { sql, type Kysely } from 'kysely';

/**
 * Whose turn it is: a step that sets a user field "in turn" among some members keeps here, per workflow, step and
 * field, the member it chose last. The row is updated in the run's own transaction, its lock making concurrent runs
 * take turns one after another (schema-engine/workflows/steps/turns.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workflow_turns')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    // The step's path ("0", "1.onReject.0") and the field's id: one turn each.
    .addColumn('step_path', 'text', (c) => c.notNull())
    .addColumn('field_id', 'text', (c) => c.notNull())
    .addColumn('last_user_id', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflow_turns_pk', ['workflow_id', 'step_path', 'field_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('workflow_turns').ifExists().execute();
}
