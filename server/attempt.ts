import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkspaceOverview } from '../schema-engine/index.js';

/** What one run of a route handler did that decides whether it may run again (server/schema-retry.ts). */
export interface Attempt {
  /** A transaction committed: running the handler again could write twice. */
  committed: boolean;
  /** Workspace id → the catalog version the run was built from. */
  readonly catalogs: Map<string, string>;
}

const attempts = new AsyncLocalStorage<Attempt>();

/** Runs `work` as one attempt, noting its commits and catalogs (through every await it makes). */
export async function runAttempt<T>(work: () => Promise<T>): Promise<{ attempt: Attempt } & ({ ok: true; value: T } | { ok: false; error: unknown })> {
  const attempt: Attempt = { committed: false, catalogs: new Map() };
  try {
    return { attempt, ok: true, value: await attempts.run(attempt, work) };
  } catch (error) {
    return { attempt, ok: false, error };
  }
}

export function noteCommit(): void {
  const attempt = attempts.getStore();
  if (attempt) attempt.committed = true;
}

export function noteCatalog(ws: WorkspaceOverview): void {
  attempts.getStore()?.catalogs.set(ws.id, ws.catalogVersion);
}
