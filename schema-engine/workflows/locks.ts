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
