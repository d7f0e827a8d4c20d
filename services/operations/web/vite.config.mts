import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The console is served by the operations service at `/` (assets under /assets). `vite` (dev) proxies the
// API to a running service: OPS_URL, default http://127.0.0.1:4000.
const api = process.env.OPS_URL ?? 'http://127.0.0.1:4000';
const apiPaths = ['/auth', '/overview', '/projects', '/stalled', '/audit', '/batch', '/admin', '/stream'];

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { port: 5173, proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api, changeOrigin: true }])) },
});
