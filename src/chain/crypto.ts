import { createHash, createHmac, createPrivateKey, createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Every cryptographic primitive the chain uses, in one place: SHA-256, HMAC-SHA256 and
 * Ed25519. This is the Node.js form, on OpenSSL; `crypto.browser.ts` is the same surface on
 * the audited @noble libraries, and a browser bundle of the SDK swaps one for the other.
 * Results are Buffers (a Uint8Array), so callers may use either form.
 */

/** SHA-256 of one input (the one-shot form: no hash object per call). */
export function sha256(data: Uint8Array | string): Buffer {
  return hash('sha256', data, 'buffer');
}

export function sha256Hex(data: Uint8Array | string): string {
  return hash('sha256', data, 'hex');
}

/** SHA-256 of several inputs in order, as if concatenated. */
export function sha256Of(...parts: readonly (Uint8Array | string)[]): Buffer {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return digest.digest();
}

export function hmacSha256(key: Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function fromBase64Url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
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

/** Whether `signature` (base64url) is `publicKey`'s (raw, base64url) Ed25519 signature of `message`; malformed input is simply false. */
export function verifyEd25519(publicKey: string, message: Uint8Array, signature: string): boolean {
  try {
    return verify(null, message, publicKeyObject(publicKey), Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), which is how OpenSSL takes one. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The private key of a 32-byte Ed25519 seed (Node.js only: for key files). Keys are made
 * from random seeds rather than by generateKeyPairSync: on Node.js 20, a key-generation
 * job collected by the GC while the same key is being exported deadlocks the process.
 */
export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw public key (base64url) of a 32-byte Ed25519 seed. */
export function ed25519PublicKey(seed: Uint8Array): string {
  const jwk = createPublicKey(ed25519PrivateKey(seed)).export({ format: 'jwk' });
  return jwk.x!;
}

/** An Ed25519 signature of `message` by the key of a 32-byte seed. */
export function signEd25519(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return sign(null, message, ed25519PrivateKey(seed));
}
