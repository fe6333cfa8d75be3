// The web UI build. `npm run build` writes to dist/; the scripts pass
// --outDir to put it next to the binary (build/web), where `otelstack serve`
// finds it. In development (`npm run dev`) /api is proxied to a local server.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: { sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
