import pg from 'pg';
import { CATALOG_CHANNEL, type Engine } from '../schema-engine/index.js';

/**
 * Several app servers can share one database: each listens for catalog changes committed by the others and drops
 * its cached overview of that workspace.
 */
export async function listenForCatalogChanges(connectionString: string, engine: Engine): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  client.on('notification', (message) => {
    if (message.channel === CATALOG_CHANNEL && message.payload) engine.catalog.invalidate(message.payload);
  });
  client.on('error', (error) => engine.log(`catalog listener connection lost: ${error.message}`));
  await client.query(`LISTEN ${CATALOG_CHANNEL}`);
  return () => client.end();
}
