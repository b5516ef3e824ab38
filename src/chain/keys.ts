import { ed25519PublicKey, signEd25519, verifyEd25519 } from './crypto.js';

export { fromBase64Url, toBase64Url } from './crypto.js';

/**
 * Whatever holds a private key: a file on disk, an HSM or a KMS in production, a wallet in
 * a browser. Only the signature leaves it.
 */
export interface Signer {
  readonly participant: string;
  readonly keyId: string;
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer over a raw 32-byte Ed25519 seed held in memory; it runs wherever the SDK runs (Node or a browser). */
export class SeedSigner implements Signer {
  readonly publicKey: string;

  constructor(readonly participant: string, readonly keyId: string, private readonly seed: Uint8Array) {
    this.publicKey = ed25519PublicKey(seed);
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(signEd25519(this.seed, message));
  }
}

/** Whether `signature` (base64url) is `publicKey`'s Ed25519 signature of `message`; malformed input is simply false. */
export function verifySignature(publicKey: string, message: Uint8Array, signature: string): boolean {
  return verifyEd25519(publicKey, message, signature);
}
