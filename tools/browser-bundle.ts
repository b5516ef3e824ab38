import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The chain's crypto module is swapped for its @noble twin: the bundle needs no Node.js module. */
const browserCrypto: Plugin = {
  name: 'depositum-browser-crypto',
  setup(builder) {
    // Whoever imports the chain's crypto module (the chain, the SDK's webhook check) gets its browser twin.
    builder.onResolve({ filter: /crypto\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === `${ROOT}src/chain/crypto.js` ? { path: `${ROOT}src/chain/crypto.browser.ts` } : undefined));
  },
};

/**
 * Bundles the SDK for browsers as one ES module: `src/sdk/browser.ts`, the chain's crypto on
 * @noble, `Buffer` from the `buffer` package. Building fails if anything it imports needs
 * Node.js (esbuild cannot resolve a `node:` module for the browser platform).
 */
export async function bundleBrowserSdk(outfile: string): Promise<void> {
  await build({
    entryPoints: [`${ROOT}src/sdk/browser.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    inject: [`${ROOT}src/sdk/buffer-shim.ts`],
    plugins: [browserCrypto],
    logLevel: 'silent',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? `${ROOT}dist/browser/depositum-sdk.js`;
  await bundleBrowserSdk(outfile);
  console.log(`wrote ${outfile}`);
}
