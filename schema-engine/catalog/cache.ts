import type { Db } from '../db.js';
import { notFound } from '../errors.js';
import { loadWorkspace } from './load.js';
import type { WorkspaceOverview } from './model.js';

/**
 * Overviews are read on every request, so they are cached per workspace and dropped after each schema change
 * commits. Other server processes hear of the change through NOTIFY (see `listenForCatalogChanges`).
 */
export class CatalogCache {
  private readonly entries = new Map<string, Promise<WorkspaceOverview | undefined>>();

  constructor(private readonly db: Db) {}

  async get(workspaceId: string): Promise<WorkspaceOverview> {
    let entry = this.entries.get(workspaceId);
    if (!entry) {
      entry = loadWorkspace(this.db, workspaceId);
      this.entries.set(workspaceId, entry);
      entry.catch(() => this.entries.delete(workspaceId));
    }
    const ws = await entry;
    if (!ws) {
      this.entries.delete(workspaceId);
      throw notFound(`Workspace "${workspaceId}"`);
    }
    return ws;
  }

  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }
}

export const CATALOG_CHANNEL = 'crm_catalog';
