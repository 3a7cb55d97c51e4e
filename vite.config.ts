import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The client is a single-page app served by the Fastify server from dist/client.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/client', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
