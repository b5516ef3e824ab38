export * from './browser.js';
export { LocalSigner } from '../chain/local-signer.js';
