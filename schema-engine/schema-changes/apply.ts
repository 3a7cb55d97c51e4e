import { sql, type Transaction } from 'kysely';
import { raiseCatalogVersion } from '../catalog/current.js';
import { loadWorkspace } from '../catalog/load.js';
import type { WorkspaceOverview } from '../catalog/model.js';
import type { Database, Db } from '../db.js';
import type { Engine } from '../engine.js';
import { fieldErrors, notFound } from '../errors.js';
import { transact } from '../transaction.js';
import { compileDdl, type DdlAction } from './ddl.js';
import { afterIndexBuilds, queueIndexBuilds } from './index-builds.js';
import { busyError, lockWorkspace } from './lock.js';
import { planSearchIndexes } from './search-index.js';
import { recordSelect, sheetTable } from '../records/columns.js';

export interface ChangePlan<T> {
  readonly result: T;
  readonly ddl: readonly DdlAction[];
  /** Sheets whose computed fields changed: after the DDL, their select list must plan, or nothing is changed. */
  readonly verify?: readonly string[];
}

/**
 * Runs one schema change: catalog rows and DDL in a single transaction, serialized per workspace by an advisory
 * lock, against a catalog freshly read under that lock. Caches are dropped after commit (here and, through
 * NOTIFY, in every other server process). The search indexes it calls for are built concurrently by a job added in
 * the same transaction (index-builds.ts), which runs once it has committed. An engine scoped to a caller's
 * transaction (`inOneTransaction`) runs the change, and adds the job, in that transaction.
 */
export async function applySchemaChange<T>(
  engine: Engine,
  workspaceId: string,
  change: (trx: Transaction<Database>, ws: WorkspaceOverview) => Promise<ChangePlan<T>>,
): Promise<T> {
  let overview: WorkspaceOverview | undefined;
  let result: T;
  try {
    result = await afterIndexBuilds(engine, () => transact(engine.db, async (trx) => {
      await lockWorkspace(trx, workspaceId);
      const ws = await loadWorkspace(trx, workspaceId);
      if (!ws) throw notFound(`Workspace "${workspaceId}"`);
      overview = ws;
      const plan = await change(trx, ws);
      const search = await planSearchIndexes(trx, ws, plan.ddl);
      for (const query of compileDdl([...plan.ddl, ...search.drops])) await trx.executeQuery(query);
      if (plan.verify?.length) await verifySheets(trx, workspaceId, plan.verify);
      await queueIndexBuilds(engine, trx, workspaceId, search.sheets);
      await raiseCatalogVersion(trx, workspaceId);
      return plan.result;
    }));
  } catch (error) {
    throw translateDdlError(error, overview);
  } finally {
    engine.catalog.invalidate(workspaceId);
  }
  return result;
}

/** EXPLAIN of each sheet's record select list: a computed field whose SQL would fail fails the change instead. */
async function verifySheets(trx: Transaction<Database>, workspaceId: string, sheetIds: readonly string[]): Promise<void> {
  const ws = (await loadWorkspace(trx, workspaceId))!;
  for (const sheet of ws.sheets.filter((s) => sheetIds.includes(s.id))) {
    const { list, joins } = recordSelect(sheet);
    await sql`EXPLAIN SELECT ${list} FROM ${sheetTable(ws, sheet)} AS t${joins}`.execute(trx);
  }
}

function translateDdlError(error: unknown, ws: WorkspaceOverview | undefined): unknown {
  const { code, constraint, detail } = error as { code?: string; constraint?: string; detail?: string };
  if (code === '23505' && constraint?.startsWith('u_')) {
    const field = ws?.sheets.flatMap((s) => s.fields).find((f) => f.id === constraint.slice(2));
    const value = /=\((.*)\) is duplicated/.exec(detail ?? '')?.[1];
    const message = `has duplicate values${value !== undefined ? ` ("${value}" appears more than once)` : ''}, so it cannot be unique; nothing was changed`;
    return fieldErrors({ [field?.name ?? 'unique']: message });
  }
  const junction = code === '23505' ? /^j(a|b)u_(.+)$/.exec(constraint ?? '') : null;
  if (junction) {
    // The side that must link to one record only holds more for some record.
    const fields = ws?.sheets.flatMap((s) => s.fields) ?? [];
    const owner = fields.find((f) => f.id === junction[2]);
    const field = junction[1] === 'a' ? owner : fields.find((f) => f.type === 'link' && (f.options as { inverseField?: string }).inverseField === junction[2]);
    return fieldErrors({ [field?.name ?? 'link']: 'some records are linked to more than one record, so the link cannot allow only one; unlink them first. Nothing was changed.' });
  }
  return busyError(error);
}
