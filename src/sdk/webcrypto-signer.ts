import { toBase64Url, verifySignature, type Signer } from '../chain/keys.js';

/** A participant key file as `depositum keys` and the demo write it (the private half as PKCS#8 PEM). */
export interface KeyFile {
  participant: string;
  keyId: string;
  publicKey: string;
  privateKeyPem: string;
}

/** A key file that cannot be used, and why. */
export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/** WebCrypto's key handle, named without the DOM library (the SDK is typed for Node and runs in both). */
type CryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

const PEM = /^-----BEGIN PRIVATE KEY-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----\s*$/;

/** The fields of a key file, each checked; anything else is a KeyFileError saying what is wrong. */
export function parseKeyFile(text: string): KeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyFileError('the key file is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new KeyFileError('the key file is not a JSON object');
  const fields = value as Record<string, unknown>;
  for (const name of ['participant', 'keyId', 'publicKey', 'privateKeyPem'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '') throw new KeyFileError(`the key file has no ${name}`);
  }
  return { participant: fields['participant'] as string, keyId: fields['keyId'] as string, publicKey: fields['publicKey'] as string, privateKeyPem: fields['privateKeyPem'] as string };
}

function pkcs8Bytes(pem: string): Uint8Array<ArrayBuffer> {
  const body = PEM.exec(pem)?.[1];
  if (body === undefined) throw new KeyFileError('privateKeyPem is not a PEM "PRIVATE KEY" (PKCS#8)');
  return Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

/** A probe signed once at import: the private half must match the public key the file (and the ledger) names. */
const PROBE = new TextEncoder().encode('depositum/key-file-check/v1');

/**
 * A signer whose private key lives in the platform's WebCrypto as a non-extractable key: once
 * imported, no script (the console's included) can read it back, only ask for signatures.
 * Works in browsers with Ed25519 in WebCrypto and in Node.js.
 */
export class WebCryptoSigner implements Signer {
  private constructor(readonly participant: string, readonly keyId: string, readonly publicKey: string, private readonly key: CryptoKey) {}

  static async fromKeyFile(text: string): Promise<WebCryptoSigner> {
    const file = parseKeyFile(text);
    let key: CryptoKey;
    try {
      key = await globalThis.crypto.subtle.importKey('pkcs8', pkcs8Bytes(file.privateKeyPem), { name: 'Ed25519' }, false, ['sign']);
    } catch (error) {
      if (error instanceof KeyFileError) throw error;
      throw new KeyFileError(`the private key cannot be imported as Ed25519 (${error instanceof Error ? error.message : String(error)})`);
    }
    const signer = new WebCryptoSigner(file.participant, file.keyId, file.publicKey, key);
    if (!verifySignature(file.publicKey, PROBE, toBase64Url(await signer.sign(PROBE)))) {
      throw new KeyFileError(`the private key does not match the public key ${file.publicKey} in the file`);
    }
    return signer;
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await globalThis.crypto.subtle.sign('Ed25519', this.key, message as Uint8Array<ArrayBuffer>));
  }
}
