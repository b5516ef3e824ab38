import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Whatever holds a private key: a file on disk here, an HSM or a KMS in production.
 * Only the signature leaves it.
 */
export interface Signer {
  readonly participant: string;
  readonly keyId: string;
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer over a private key held in this process's memory. */
export class LocalSigner implements Signer {
  readonly publicKey: string;

  constructor(readonly participant: string, readonly keyId: string, private readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    if (jwk.crv !== 'Ed25519' || jwk.x === undefined) throw new TypeError(`key ${keyId} of ${participant} is not Ed25519`);
    this.publicKey = jwk.x;
  }

  static generate(participant: string, keyId: string): LocalSigner {
    return new LocalSigner(participant, keyId, generateKeyPairSync('ed25519').privateKey);
  }

  static fromPem(participant: string, keyId: string, pem: string): LocalSigner {
    return new LocalSigner(participant, keyId, createPrivateKey(pem));
  }

  signSync(message: Uint8Array): Uint8Array {
    return sign(null, message, this.privateKey);
  }

  sign(message: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(this.signSync(message));
  }

  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
}

/** Parsing a public key costs more than checking a signature with it, so parsed keys are kept. */
const PUBLIC_KEYS_CACHED_MAX = 100_000;
const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(publicKey: string): KeyObject {
  let key = publicKeys.get(publicKey);
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    if (publicKeys.size >= PUBLIC_KEYS_CACHED_MAX) publicKeys.clear();
    publicKeys.set(publicKey, key);
  }
  return key;
}

/** Whether `signature` (base64url) is `publicKey`'s Ed25519 signature of `message`; malformed input is simply false. */
export function verifySignature(publicKey: string, message: Uint8Array, signature: string): boolean {
  try {
    return verify(null, message, publicKeyObject(publicKey), Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
