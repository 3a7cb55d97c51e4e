import { constants } from 'node:zlib';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The client is a single-page app served by the Fastify server from dist/client.
export default defineConfig({
  root: 'client',
  plugins: [
    react(),
    // Brotli and gzip copies beside each file, made once at build time: @fastify/static serves them (`preCompressed`)
    // without compressing anything per request (see server/static-client.ts). Brotli quality 10, not 11: 2 % larger
    // but three times faster, which counts because every browser test file builds the client.
    compression({
      algorithms: [defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 10 } }), defineAlgorithm('gzip', { level: 9 })],
      // The build manifest is for tests and tools, never served.
      exclude: [/\.vite\//],
      logLevel: 'silent',
    }),
  ],
  // The manifest lets tests/static-assets.test.ts weigh what index.html loads before any lazy route.
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    manifest: true,
    // Compressing takes seconds by design; rolldown would warn about that slow plugin on every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
