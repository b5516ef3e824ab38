import { ed25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

/**
 * The browser form of `crypto.ts`: the same functions on @noble/hashes and @noble/curves
 * (audited, no native code), swapped in when the SDK is bundled for a browser. Results are
 * Buffers from the `buffer` package, as on Node.
 */

const bytes = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

export function sha256(data: Uint8Array | string): Buffer {
  return Buffer.from(nobleSha256(bytes(data)));
}

export function sha256Hex(data: Uint8Array | string): string {
  return sha256(data).toString('hex');
}

export function sha256Of(...parts: readonly (Uint8Array | string)[]): Buffer {
  const digest = nobleSha256.create();
  for (const part of parts) digest.update(bytes(part));
  return Buffer.from(digest.digest());
}

export function hmacSha256(key: Uint8Array, data: Uint8Array | string): Buffer {
  return Buffer.from(hmac(nobleSha256, key, bytes(data)));
}

// The `buffer` package knows base64 but not its URL-safe, unpadded form.
export function toBase64Url(data: Uint8Array): string {
  return Buffer.from(data).toString('base64').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Buffer {
  return Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
}

export function verifyEd25519(publicKey: string, message: Uint8Array, signature: string): boolean {
  try {
    return ed25519.verify(fromBase64Url(signature), message, fromBase64Url(publicKey));
  } catch {
    return false;
  }
}

export function ed25519PublicKey(seed: Uint8Array): string {
  return toBase64Url(ed25519.getPublicKey(seed));
}

export function signEd25519(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}
