import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into dist/web/privacy and served by the service at /privacy (src/web/serve-screens.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/privacy/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/privacy', import.meta.url)),
    emptyOutDir: true,
    // no inline scripts or styles: the page's CSP allows only files from this origin
    assetsInlineLimit: 0,
  },
});
