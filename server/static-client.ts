import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Vite names what it bundles `assets/<name>-<hash>.<ext>`: a new build gives changed content a new name. */
const HASHED_ASSET = /^assets\/[^/]+-[\w-]{8,}\.\w+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Anything else (index.html above all) is revalidated on each load, so a deploy is picked up at once. */
const REVALIDATE = 'no-cache';

/** How long a browser may keep a file of the built client, by its path relative to the client's directory. */
function cacheControlFor(relativePath: string): string {
  return HASHED_ASSET.test(relativePath.split(path.sep).join('/')) ? IMMUTABLE : REVALIDATE;
}

/**
 * Serves the built client at / when `clientDir` holds one. The build leaves a brotli and a gzip copy beside each file
 * (vite.config.ts); @fastify/static picks the one the request's Accept-Encoding allows (`preCompressed`, answering
 * with Content-Encoding and Vary: Accept-Encoding), so nothing is compressed per request and API answers, which go
 * through other routes, are untouched. Every other address outside /api/ and /assets/ loads the app (client-side
 * routes).
 */
export async function registerStaticClient(app: FastifyInstance, clientDir: string): Promise<void> {
  if (!existsSync(path.join(clientDir, 'index.html'))) return;
  const root = path.resolve(clientDir);
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    preCompressed: true,
    // @fastify/static's own header would be `public, max-age=0` for every file.
    cacheControl: false,
    // A compressed copy's name ends in .br or .gz; its caching is that of the file it copies.
    setHeaders: (reply: FastifyReply, filePath: string) => {
      reply.header('cache-control', cacheControlFor(path.relative(root, filePath).replace(/\.(br|gz)$/, '')));
    },
    // The build manifest (.vite/manifest.json) is for tests and tools, not for browsers: the file routes that
    // `wildcard: false` makes already leave dotfiles out, and so does sending.
    dotfiles: 'ignore',
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    // An asset of an earlier build (a tab opened before a deploy loading a lazy page) is missing, not the app: a 404
    // the page can notice, where index.html would fail as a script of the wrong type.
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}
