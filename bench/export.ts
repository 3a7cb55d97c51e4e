// `npx tsx bench/export.ts [-- --records N]`: the export of a sheet of N records (default 100,000) of the bench's
// mixed field types, as CSV and as XLSX, downloaded over loopback by a client that reads as fast as it can: the time
// to the last byte, the bytes, and the server process's resident memory before and at its peak while exporting
// (sampled from /proc every 50 ms). The sheet is seeded through the API in batches of 1000, as bench/run.ts does.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ApiClient, createBenchSheet } from './api.js';
import { startBenchServer } from './environment.js';
import { seedThroughApi } from './seed.js';

const { values: args } = parseArgs({ options: { records: { type: 'string', default: '100000' } } });
const records = Number(args.records);
if (!Number.isInteger(records) || records < 1) throw new Error(`--records must be a positive whole number, not ${args.records}`);

/** Resident memory of a process now, in MB. */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function download(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const server = await startBenchServer(process.env.DATABASE_URL);
try {
  const api = new ApiClient(server.url);
  const { workspaceId } = await api.signIn();
  const sheet = await createBenchSheet(api, workspaceId);
  await seedThroughApi(api, `/api/w/${workspaceId}/sheets/${sheet.id}/records`, records, 4, () => {});
  console.log(`${records.toLocaleString('en-US')} records of ${sheet.fields.length} fields, ${server.database} PostgreSQL`);
  for (const format of ['csv', 'xlsx'] as const) {
    const before = await rssMb(server.pid);
    let peak = before;
    const sampler = setInterval(() => void rssMb(server.pid).then((mb) => (peak = Math.max(peak, mb)), () => {}), 50);
    const started = performance.now();
    const bytes = await download(`${server.url}/api/w/${workspaceId}/sheets/${sheet.id}/export?format=${format}`, api.authHeaders);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    console.log(
      `${format}: ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(records / seconds).toLocaleString('en-US')} rows/s; server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`,
    );
  }
} finally {
  await server.stop();
}
