import http from 'node:http';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient, launch } from './browser/browser.js';
import { upload } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/**
 * The built client as a browser gets it from a real server: each file compressed by the build (brotli, gzip) and
 * served in the encoding the request accepts, hashed assets cached for good, index.html revalidated on each load;
 * API answers (exports, files) as before. And the JavaScript index.html loads before any lazy route stays in budget.
 */

/** Initial JavaScript, gzipped: issue 16's budget for the first load. */
const INITIAL_JS_BUDGET = 250_000;

let clientDir: string;
let server: TestServer;
let owner: Client;
let ws: string;
let base: string;
let entryScript: string;

/** An entry of vite's build manifest (build.manifest in vite.config.ts). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  /** Chunks it imports statically: loaded with it. */
  imports?: string[];
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent, still compressed when Content-Encoding says so. */
  body: Buffer;
}

/** One GET over a real socket, its body left as sent (fetch would decompress it). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${url}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  // The production build, as `npm start` makes it: the budget is about what users load.
  clientDir = await buildClient(await mkdtemp(path.join(os.tmpdir(), 'crm-client-')), { production: true });
  server = await startTestServer({ clientDir });
  ({ client: owner, workspaceId: ws } = await server.setup());
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const html = await readFile(path.join(clientDir, 'index.html'), 'utf8');
  const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)">/.exec(html)?.[1];
  if (!script) throw new Error('index.html names no entry script');
  entryScript = script;
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (clientDir) await rm(clientDir, { recursive: true, force: true });
});

describe('the built client', () => {
  it('serves a hashed asset in brotli, in gzip, or plain, as the request accepts, each the same bytes', async () => {
    const original = await readFile(path.join(clientDir, entryScript));
    const brotli = await get(entryScript, { 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await get(entryScript, { 'accept-encoding': 'gzip' });
    const plain = await get(entryScript);
    for (const answer of [brotli, gzip, plain]) {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
    }
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.body).equals(original)).toBe(true);
    expect(brotli.body.length).toBeLessThan(original.length / 3);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(original)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('caches every hashed script and style for good, compressed', async () => {
    const assets = (await readdir(path.join(clientDir, 'assets'))).filter((name) => /\.(js|css)$/.test(name));
    expect(assets.length).toBeGreaterThan(10);
    const css = assets.find((name) => name.endsWith('.css'))!;
    const answer = await get(`/assets/${css}`, { 'accept-encoding': 'br' });
    expect(answer.headers['content-type']).toMatch(/^text\/css/);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(answer.body).equals(await readFile(path.join(clientDir, 'assets', css)))).toBe(true);
  });

  it('has index.html revalidated on each load, at / and at a client-side route, so a deploy is picked up', async () => {
    const original = await readFile(path.join(clientDir, 'index.html'));
    for (const url of ['/', '/index.html', `/w/${ws}/sheets/Contacts`]) {
      const answer = await get(url, { 'accept-encoding': 'br' });
      expect(answer.status, url).toBe(200);
      expect(answer.headers['content-type'], url).toMatch(/^text\/html/);
      expect(answer.headers['cache-control'], url).toBe('no-cache');
      expect(answer.headers['content-encoding'], url).toBe('br');
      expect(brotliDecompressSync(answer.body).equals(original), url).toBe(true);
    }
    const plain = await get('/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
    // Revalidation costs a 304 while the build is the same.
    const again = await get('/', { 'if-none-match': String(plain.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('answers 404 for an asset of another build, not the app', async () => {
    const answer = await get('/assets/index-NotBuilt.js', { 'accept-encoding': 'br' });
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(/json/);
  });

  it('does not serve the build manifest', async () => {
    const answer = await get('/.vite/manifest.json');
    expect(answer.body.toString()).not.toContain('"isEntry"');
  });
});

describe('in Chromium', () => {
  it('the sign-in page loads its scripts and styles compressed, cached for good, and shows', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const assets: { url: string; encoding?: string; caching?: string }[] = [];
      page.on('response', (response) => {
        const headers = response.headers();
        if (new URL(response.url()).pathname.startsWith('/assets/')) assets.push({ url: response.url(), encoding: headers['content-encoding'], caching: headers['cache-control'] });
      });
      await page.goto(base);
      await page.locator('input[type="password"]').waitFor();
      expect(assets.map((asset) => new URL(asset.url).pathname)).toContain(entryScript);
      for (const asset of assets) {
        // Chromium asks for brotli from secure origins, which loopback counts as (over the internet: HTTPS).
        expect(asset.encoding, asset.url).toBe('br');
        expect(asset.caching, asset.url).toBe('public, max-age=31536000, immutable');
      }
    } finally {
      await browser.close();
    }
  });
});

describe('API answers beside the compressed client', () => {
  it('an export is sent as before: uncompressed, chunked as it streams, an attachment not to be cached', async () => {
    await owner.post(`/api/w/${ws}/sheets`, { name: 'People', fields: [{ name: 'Name', type: 'text' }] });
    await owner.post(`/api/w/${ws}/sheets/People/records`, { fields: { Name: 'Ada' } });
    const token = (await owner.post('/api/tokens', { name: 'export' })).body.token;
    const answer = await get(`/api/w/${ws}/sheets/People/export?format=csv`, { authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.headers['content-disposition']).toMatch(/^attachment;/);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body.toString('utf8')).toBe('\ufeffName\r\nAda\r\n');
  });

  it('a file keeps its sandbox, nosniff and disposition headers, and its bytes', async () => {
    const content = 'plain text, '.repeat(100);
    const file = (await upload(owner, ws, 'notes.txt', 'text/plain', content)).body;
    const token = (await owner.post('/api/tokens', { name: 'files' })).body.token;
    const answer = await get(file.url, { authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toMatch(/^sandbox;/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-disposition']).toMatch(/notes\.txt/);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.toString('utf8')).toBe(content);
  });
});

describe('the first load', () => {
  it(`loads at most ${INITIAL_JS_BUDGET / 1000} KB of JavaScript, gzipped, before any lazy route`, async () => {
    const manifest = new Map(Object.entries(JSON.parse(await readFile(path.join(clientDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>));
    const chunk = (key: string) => {
      const found = manifest.get(key);
      if (!found) throw new Error(`${key} is not in the build manifest`);
      return found;
    };
    const entries = [...manifest].filter(([, value]) => value.isEntry).map(([key]) => key);
    expect(entries).toEqual(['index.html']);
    // The entry chunk and what it imports statically, transitively: what the browser fetches before the app shows.
    const initial = new Set<string>();
    const visit = (key: string) => {
      if (initial.has(key)) return;
      initial.add(key);
      for (const imported of chunk(key).imports ?? []) visit(imported);
    };
    visit('index.html');
    const files = [...initial].map((key) => chunk(key).file);
    // The manifest's view matches the page's: index.html names exactly these scripts (entry, then preloads).
    const html = await readFile(path.join(clientDir, 'index.html'), 'utf8');
    const named = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
    expect(named.sort()).toEqual([...files].sort());
    let gzipped = 0;
    for (const file of files) gzipped += gzipSync(await readFile(path.join(clientDir, file)), { level: 9 }).length;
    console.log(`initial JavaScript: ${files.length} files, ${(gzipped / 1000).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeGreaterThan(50_000);
    expect(gzipped).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
  });
});
