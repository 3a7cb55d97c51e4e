import pg from 'pg';
import { CATALOG_CHANNEL, type Engine } from '../schema-engine/index.js';
import { AUTH_CHANNEL } from './auth/revocation.js';

/**
 * Several app servers can share one database: each listens for catalog changes committed by the others and drops
 * its cached overview of that workspace.
 */
export async function listenForCatalogChanges(
  connectionString: string,
  engine: Engine,
  onAuthChange?: (payload: string) => void,
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  client.on('notification', (message) => {
    if (message.channel === CATALOG_CHANNEL && message.payload) engine.catalog.invalidate(message.payload);
    // Account security: a revoked session or token (payload: the user id) drops that user's cached identities.
    if (message.channel === AUTH_CHANNEL && onAuthChange) onAuthChange(message.payload ?? '');
  });
  client.on('error', (error) => engine.log(`catalog listener connection lost: ${error.message}`));
  await client.query(`LISTEN ${CATALOG_CHANNEL}`);
  // Account security: second channel, see server/auth/revocation.ts.
  if (onAuthChange) await client.query(`LISTEN ${AUTH_CHANNEL}`);
  return () => client.end();
}
