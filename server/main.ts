import { loadConfig } from './config.js';
import { startServer } from './start.js';

const config = loadConfig();
const server = await startServer(config);
console.log(`CRM builder listening on ${server.url} (database: ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded, under ${config.dataDir}`})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
