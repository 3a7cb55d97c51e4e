import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { EngineError, notFound } from '../errors.js';
import type { Sql } from '../field-types/field-type.js';
import { columnName } from '../ids.js';
import { sheetTable } from '../records/columns.js';
import type { Access } from './model.js';

/** Uploading a file: anyone who may add or change records somewhere (the file goes into a record next). */
export function assertMayUpload(access: Access): void {
  const writes = [access.role.otherSheets, ...Object.values(access.role.sheets)].some((grant) => grant.create || grant.update !== 'none');
  if (!access.role.design && !writes) throw new EngineError('forbidden', `Your role (${access.role.name}) cannot upload files here`);
}

/**
 * Files the user may open, of `ids`: the ones they uploaded, and the ones in an attachment field they see of a
 * record they may read. A designer opens any file of the workspace.
 */
export async function readableFiles(engine: Engine, access: Access, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows: own } = await sql<{ id: string; mine: boolean }>`
    SELECT id, created_by = ${access.userId} AS mine FROM attachments WHERE workspace_id = ${access.workspaceId} AND id = ANY(${[...ids]}::text[])`.execute(engine.db);
  if (access.role.design) return new Set(own.map((r) => r.id));
  const found = new Set(own.filter((r) => r.mine).map((r) => r.id));
  const wanted = own.filter((r) => !r.mine).map((r) => r.id);
  if (!wanted.length) return found;
  const reads: Sql[] = [];
  for (const sheet of access.ws.sheets) {
    for (const field of sheet.fields) {
      if (field.type !== 'attachment') continue;
      const column = sql.ref(`t.${columnName(field.id)}`);
      const scope = sheet.rowScope ? sql` AND ${sheet.rowScope('t')}` : sql``;
      reads.push(sql`SELECT e->>'id' AS id FROM ${sheetTable(access.ws, sheet)} AS t, jsonb_array_elements(${column}) AS e
        WHERE t.deleted_at IS NULL AND ${column} @> ANY(ARRAY(SELECT jsonb_build_array(jsonb_build_object('id', w)) FROM unnest(${wanted}::text[]) AS w))${scope}`);
    }
  }
  if (!reads.length) return found;
  const { rows } = await sql<{ id: string }>`${sql.join(reads, sql` UNION `)}`.execute(engine.db);
  for (const row of rows) if (wanted.includes(row.id)) found.add(row.id);
  return found;
}

/** One file the user may open, or 404 (a file they may not open does not exist for them). */
export async function assertReadableFile(engine: Engine, access: Access, id: string): Promise<void> {
  if (!(await readableFiles(engine, access, [id])).has(id)) throw notFound(`File "${id}"`);
}
