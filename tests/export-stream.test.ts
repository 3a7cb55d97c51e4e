import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnName, schemaName, tableName } from '../schema-engine/ids.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { until } from './helpers/until.js';

/**
 * An export streams: rows are read page by page as the client takes the file, never gathered first. Over a real
 * socket, the client takes the first bytes of a 50,000-row export of about 30 MB and stops reading; once the server's
 * side of the socket is full (its writes wait for the client), a record is added that sorts last, and the client
 * reads on. An export that read every row before (or while) sending cannot contain it: by the time its socket filled,
 * it had read them all. One that reads a page only when the client has taken the ones before must contain it.
 * Filling loopback's socket buffers takes several megabytes of zipped XLSX; on a crowded machine that takes
 * more than a minute, hence the long waits (they are limits, not measurements).
 */

const ROWS = 50_000;
let server: TestServer;
let owner: Client;
let token: string;
let ws: string;
let base: string;
/** The server's side of the export being downloaded. */
let exportResponse: http.ServerResponse | undefined;

beforeAll(async () => {
  server = await startTestServer();
  let userId: string;
  ({ client: owner, workspaceId: ws, userId } = await server.setup());
  token = (await owner.post('/api/tokens', { name: 'export' })).body.token;
  const sheet = (await owner.post(`/api/w/${ws}/sheets`, { name: 'Big', fields: [{ name: 'Name', type: 'text' }, { name: 'Body', type: 'text' }] })).body;
  const [name, body] = sheet.fields.map((f: { id: string }) => sql.id(columnName(f.id)));
  // Seeded in one statement: ~600 bytes of hex per row that does not compress away in the XLSX zip.
  await sql`INSERT INTO ${sql.id(schemaName(ws), tableName(sheet.id))} (created_by, updated_by, ${name}, ${body})
    SELECT ${userId}, ${userId}, 'row ' || i, (SELECT string_agg(md5(i || '-' || k), '') FROM generate_series(1, 19) AS k)
    FROM generate_series(1, ${ROWS}) AS i`.execute(server.db);
  server.app.server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (request.url?.includes('/export')) exportResponse = response;
  });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = typeof address === 'string' ? address : `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(() => server.close());

/**
 * Downloads the export, pausing after the first bytes until the server's writes wait for the client (its side of
 * the socket is full) and `whilePaused` is done; answers the whole file.
 */
function downloadPausing(format: 'csv' | 'xlsx', whilePaused: () => Promise<unknown>): Promise<Buffer> {
  exportResponse = undefined;
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}/api/w/${ws}/sheets/Big/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      const chunks: Buffer[] = [];
      let paused = false;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (paused) return;
        paused = true;
        res.pause();
        until('the server to wait for the client', async () => exportResponse?.writableNeedDrain, 180_000)
          .then(whilePaused)
          .then(() => res.resume(), reject);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
}

const addLate = (name: string) => owner.post(`/api/w/${ws}/sheets/Big/records`, { fields: { Name: name } });

describe('a 50,000-row export', () => {
  it('streams CSV: rows read after the first bytes were sent are in the file', async () => {
    const file = await downloadPausing('csv', () => addLate('late csv record'));
    const lines = file.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('\ufeffName,Body');
    expect(lines).toHaveLength(ROWS + 2);
    expect(lines.at(-1)).toBe('late csv record,');
  }, 240_000);

  it('streams XLSX likewise', async () => {
    const file = await downloadPausing('xlsx', () => addLate('late xlsx record'));
    let rows = 0;
    let last: unknown[] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore' });
    for await (const worksheet of reader) {
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        rows++;
        last = (row.values as unknown[]).slice(1);
      }
    }
    // The CSV test's late record, then this one.
    expect(rows).toBe(ROWS + 3);
    expect(last).toEqual(['late xlsx record']);
  }, 240_000);
});
