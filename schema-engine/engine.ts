import { CatalogCache } from './catalog/cache.js';
import type { Db } from './db.js';

/** Everything the engine's services need, created once per process and passed explicitly. */
export interface Engine {
  readonly db: Db;
  readonly catalog: CatalogCache;
  /** Work started after a commit (search index builds); awaited on shutdown and by tests. */
  readonly background: Set<Promise<unknown>>;
  readonly log: (message: string, error?: unknown) => void;
}

export function createEngine(db: Db, log: Engine['log'] = (m, e) => console.error(m, e ?? '')): Engine {
  return { db, catalog: new CatalogCache(db), background: new Set(), log };
}

export function runInBackground(engine: Engine, work: () => Promise<unknown>): void {
  const task = work().catch((error) => engine.log('background task failed', error));
  engine.background.add(task);
  void task.finally(() => engine.background.delete(task));
}

export async function settle(engine: Engine): Promise<void> {
  while (engine.background.size) await Promise.all([...engine.background]);
}
