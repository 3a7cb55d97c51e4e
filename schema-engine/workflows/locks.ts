import { sql, type Transaction } from 'kysely';
import type { SheetDef } from '../catalog/model.js';
import type { Database } from '../db.js';
import { EngineError } from '../errors.js';

/**
 * While an approval waits, its locked fields of its record cannot change: a write setting one is refused with 409
 * naming it, whoever makes it. Checked in the write's transaction on the locked row, on sheets whose workflows can
 * lock fields.
 */
export async function assertUnlocked(trx: Transaction<Database>, workspaceId: string, sheet: SheetDef, recordId: string, fieldIds: Iterable<string>): Promise<void> {
  // No workflow of the sheet locks fields (the catalog says so, and a workflow change raises its version): no query.
  if (sheet.workflows?.locks === false) return;
  const written = [...fieldIds];
  if (!written.length) return;
  const { rows } = await sql<{ field: string; title: string }>`
    SELECT f AS field, a.title FROM approvals a, unnest(a.lock_fields) AS f
    WHERE a.workspace_id = ${workspaceId} AND a.sheet_id = ${sheet.id} AND a.record_id = ${recordId} AND a.status = 'pending'
      AND f = ANY(${written}::text[])
    LIMIT 1`.execute(trx);
  const locked = rows[0];
  if (!locked) return;
  const name = sheet.fields.find((f) => f.id === locked.field)?.name ?? locked.field;
  const problem = `is locked while "${locked.title}" waits for approval`;
  throw new EngineError('conflict', `"${name}" ${problem}; nothing was saved`, { fields: { [name]: problem } });
}

/** The same check for a batch of records, each with the fields it writes, in one statement. */
export async function assertUnlockedMany(trx: Transaction<Database>, workspaceId: string, sheet: SheetDef, writes: { recordId: string; fieldIds: string[] }[]): Promise<void> {
  const written = writes.filter((w) => w.fieldIds.length);
  if (!written.length) return;
  const { rows } = await sql<{ record_id: string; field: string; title: string }>`
    SELECT a.record_id, f AS field, a.title FROM approvals a, unnest(a.lock_fields) AS f
    WHERE a.workspace_id = ${workspaceId} AND a.sheet_id = ${sheet.id} AND a.record_id = ANY(${written.map((w) => w.recordId)}::text[])
      AND a.status = 'pending'`.execute(trx);
  const locked = rows.find((row) => written.some((w) => w.recordId === row.record_id && w.fieldIds.includes(row.field)));
  if (!locked) return;
  const name = sheet.fields.find((f) => f.id === locked.field)?.name ?? locked.field;
  const problem = `is locked while "${locked.title}" waits for approval`;
  throw new EngineError('conflict', `Record ${locked.record_id}: "${name}" ${problem}; nothing was saved`, { fields: { [name]: problem }, record: locked.record_id });
}
