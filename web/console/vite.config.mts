// The staff console: built into dist/web/console and served by the service at /console.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: path.resolve(here, '../../dist/web/console'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
});
