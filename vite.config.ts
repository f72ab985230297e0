// Builds the web dashboard (src/web) into dist/web, which the API server serves at `/`.
// `npx vite` runs it in dev mode against an API server on port 5000.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiServer = 'http://localhost:5000';

export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      // The live feed first: a more specific key must come before its prefix.
      '/api/v1/live': { target: apiServer, ws: true },
      '/api': apiServer,
      '/v1.0': apiServer,
      '/health': apiServer,
    },
  },
});
