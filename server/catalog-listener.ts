import { ACCESS_CHANNEL, CATALOG_CHANNEL, type Engine } from '../schema-engine/index.js';
import type { NotificationListener } from './notification-listener.js';

/**
 * Several app servers can share one database: each listens for catalog changes committed by the others and drops
 * its cached overview of that workspace. While the listening connection is down, changes could be missed, so the
 * catalog is not cached at all; once listening again, everything cached is dropped. Memberships (who holds which
 * role, in which teams) are cached for seconds only; a change of them drops the workspace's at once.
 */
export async function listenForCatalogChanges(listener: NotificationListener, engine: Engine): Promise<void> {
  if (!listener.listening) engine.catalog.setCaching(false);
  await listener.listen(CATALOG_CHANNEL, {
    onNotify: (workspaceId) => engine.catalog.invalidate(workspaceId),
    onDeaf: () => engine.catalog.setCaching(false),
    onListening: () => engine.catalog.setCaching(true),
  });
  await listener.listen(ACCESS_CHANNEL, {
    onNotify: (workspaceId) => engine.members.invalidate(workspaceId),
    onDeaf: () => engine.members.clear(),
    onListening: () => engine.members.clear(),
  });
}
