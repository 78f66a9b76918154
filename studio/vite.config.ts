import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiUrl = process.env.JUNCTION_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  // The API server mounts the built studio under /studio/.
  base: '/studio/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/v1': { target: apiUrl, changeOrigin: true },
      '/health': { target: apiUrl, changeOrigin: true },
    },
  },
});
