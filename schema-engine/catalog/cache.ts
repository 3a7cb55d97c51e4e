import type { Db } from '../db.js';
import { notFound } from '../errors.js';
import { loadWorkspace } from './load.js';
import type { WorkspaceOverview } from './model.js';

/**
 * Overviews are read on every request, so they are cached per workspace and dropped after each schema change
 * commits. Other server processes hear of the change through NOTIFY (see server/catalog-listener.ts); while they
 * cannot hear (the listening connection is lost), they cache nothing.
 */
export class CatalogCache {
  private readonly entries = new Map<string, Promise<WorkspaceOverview | undefined>>();
  private readonly observers: ((ws: WorkspaceOverview) => void)[] = [];
  private caching = true;

  constructor(private readonly db: Db) {}

  async get(workspaceId: string): Promise<WorkspaceOverview> {
    let entry = this.entries.get(workspaceId);
    if (!entry) {
      const loading = loadWorkspace(this.db, workspaceId);
      entry = loading;
      if (this.caching) {
        this.entries.set(workspaceId, loading);
        loading.catch(() => this.drop(workspaceId, loading));
      }
    }
    const ws = await entry;
    if (!ws) {
      this.drop(workspaceId, entry);
      throw notFound(`Workspace "${workspaceId}"`);
    }
    for (const observe of this.observers) observe(ws);
    return ws;
  }

  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }

  /** Drops every workspace's overview (changes may have been missed). */
  clear(): void {
    this.entries.clear();
  }

  /** Off: every read loads the catalog afresh (changes of other servers cannot be heard now). Either way, clears. */
  setCaching(on: boolean): void {
    this.caching = on;
    this.clear();
  }

  /** Called with each overview handed out (the server notes which catalog version a request was built from). */
  observe(observer: (ws: WorkspaceOverview) => void): void {
    this.observers.push(observer);
  }

  /** Only the entry that failed, not one loaded since. */
  private drop(workspaceId: string, entry: Promise<WorkspaceOverview | undefined>): void {
    if (this.entries.get(workspaceId) === entry) this.entries.delete(workspaceId);
  }
}

export const CATALOG_CHANNEL = 'crm_catalog';
