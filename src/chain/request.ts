import { sha256Hex } from './encoding.js';
import { toBase64Url, type Signer } from './keys.js';

/** The headers that carry a request signature. */
export const AUTH_HEADERS = {
  participant: 'x-depositum-participant',
  key: 'x-depositum-key',
  timestamp: 'x-depositum-timestamp',
  nonce: 'x-depositum-nonce',
  signature: 'x-depositum-signature',
} as const;

/** A nonce is 16 to 64 base64url characters: Ed25519 is deterministic, so without one two requests alike in the same millisecond would be one. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * What a request signature covers: method, path with query, timestamp, nonce and a hash
 * of the body. Domain-separated from transaction and block signatures.
 */
export function requestSigningMessage(method: string, url: string, timestampMs: number, nonce: string, body: string): Buffer {
  return Buffer.from(`depositum/request/v2\n${method.toUpperCase()}\n${url}\n${timestampMs}\n${nonce}\n${sha256Hex(body)}`);
}

/** Signs one request now, with a fresh nonce: the headers to send with it. */
export async function signedRequestHeaders(signer: Signer, method: string, url: string, body: string): Promise<Record<string, string>> {
  const timestampMs = Date.now();
  const nonce = toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const signature = await signer.sign(requestSigningMessage(method, url, timestampMs, nonce, body));
  return {
    [AUTH_HEADERS.participant]: signer.participant,
    [AUTH_HEADERS.key]: signer.keyId,
    [AUTH_HEADERS.timestamp]: String(timestampMs),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: toBase64Url(signature),
  };
}
