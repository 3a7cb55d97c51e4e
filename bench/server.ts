// The server under test, in its own process (as in production): started by bench/run.ts, which talks to it over IPC.
import { loadConfig } from '../server/config.js';
import { startServer } from '../server/start.js';

export interface ServerReady {
  url: string;
  databaseUrl: string;
}

const server = await startServer(loadConfig(), (message) => console.error(`[server] ${message}`));
const ready: ServerReady = { url: server.url, databaseUrl: server.databaseUrl };
process.send?.(ready);

let closing = false;
async function stop(): Promise<void> {
  if (closing) return;
  closing = true;
  try {
    await server.close();
  } finally {
    process.exit(0);
  }
}
process.on('message', (message) => {
  if (message === 'stop') void stop();
  // The bench reads the server's CPU time around each measured slice.
  // The workflow cases measure a write with the runner paused (bench/workflows.ts).
  if (message === 'pause-jobs' || message === 'resume-jobs') {
    void (message === 'pause-jobs' ? server.pauseJobs() : server.resumeJobs()).then(() => process.send?.({ jobs: message }));
  }
  if (message === 'cpu') {
    const usage = process.cpuUsage();
    process.send?.({ cpuMs: (usage.user + usage.system) / 1000 });
  }
});
// The bench went away (crashed or was interrupted): shut down, embedded PostgreSQL included.
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
