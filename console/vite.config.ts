import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE_CRYPTO = resolve(ROOT, 'src/chain/crypto.ts');

/** The chain's crypto module is swapped for its @noble twin, as in the SDK's browser bundle (tools/browser-bundle.ts). */
const browserCrypto: Plugin = {
  name: 'depositum-browser-crypto',
  enforce: 'pre',
  async resolveId(source, importer) {
    if (importer === undefined || !source.endsWith('crypto.js')) return null;
    const target = resolve(importer, '..', source).replace(/\.js$/, '.ts');
    return target === NODE_CRYPTO ? resolve(ROOT, 'src/chain/crypto.browser.ts') : null;
  },
};

/** The console: built into dist/console, served by the node at /console. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [browserCrypto, react()],
  build: {
    outDir: resolve(ROOT, 'dist/console'), emptyOutDir: true, chunkSizeWarningLimit: 4096, sourcemap: false,
    rolldownOptions: {
      // The core's calendar reads rrule's default export only where the CommonJS build has one; the ES build is fine.
      onLog(level, log, handler) {
        if (log.code === 'IMPORT_IS_UNDEFINED' && log.message.includes('rrule')) return;
        handler(level, log);
      },
    },
  },
  // `npx vite --config console/vite.config.ts` while a node runs on :8080: the page reloads as its code changes, the API is the node's.
  server: { proxy: Object.fromEntries(['/v1', '/health', '/ready'].map((path) => [path, { target: 'http://127.0.0.1:8080' }])) },
  logLevel: 'warn',
});
