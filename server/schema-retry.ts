import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { CatalogChangedError, currentCatalogVersion, type Engine } from '../schema-engine/index.js';
import { noteCatalog, runAttempt, type Attempt } from './attempt.js';
import { isTableMismatch } from './db-errors.js';

/**
 * A request reads the workspace's cached catalog and builds its SQL from it. If a schema change commits in between
 * (here or on another server), that SQL may not fit the tables any more: a column of another type, a column gone.
 * The engine catches what a write would do wrong before it commits (catalog/current.ts); a statement that fails
 * outright fails with one of the errors of `isTableMismatch`. Either way the attempt wrote nothing, so the catalog
 * is read again and the handler runs once more; if the catalog changed again under the second run, the answer is
 * 409 schema_changed.
 *
 * Done here, once for every workspace route (and public form), rather than at each engine entry point: the handler
 * is the unit that reads the catalog and runs its statements, so rerunning it redoes both. It is rerun only when
 * nothing committed (a handler writing twice would duplicate), the body was parsed (not a stream) and nothing was
 * sent. A mismatch error while the catalog's version stayed the same is not a schema change but a bug, and stays a
 * 500.
 */
export function registerSchemaRetry(app: FastifyInstance, engine: Engine): void {
  engine.catalog.observe(noteCatalog);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/w/') && !route.url.startsWith('/api/public/')) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function retrying(this: FastifyInstance, request, reply) {
      const first = await runAttempt(async () => handler.call(this, request, reply));
      if (first.ok) return first.value;
      const changed = await changedCatalogs(engine, first.attempt, first.error);
      if (!changed.length || first.attempt.committed || reply.sent || request.isMultipart()) throw first.error;
      for (const id of changed) engine.catalog.invalidate(id);
      const second = await runAttempt(async () => handler.call(this, request, reply));
      if (second.ok) return second.value;
      if (second.error instanceof CatalogChangedError) throw second.error;
      const again = await changedCatalogs(engine, second.attempt, second.error);
      throw again.length && !second.attempt.committed ? new CatalogChangedError(again[0]!) : second.error;
    };
  });
}

/** The workspaces whose catalog changed under the attempt, if that is what its error comes from. */
async function changedCatalogs(engine: Engine, attempt: Attempt, error: unknown): Promise<string[]> {
  if (error instanceof CatalogChangedError) return [error.workspaceId];
  if (!isTableMismatch(error)) return [];
  const changed: string[] = [];
  for (const [id, version] of attempt.catalogs) {
    if ((await currentCatalogVersion(engine.db, id)) !== version) changed.push(id);
  }
  return changed;
}
