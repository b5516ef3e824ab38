import { sha256Hex } from './encoding.js';

/** The headers that carry a request signature. */
export const AUTH_HEADERS = {
  participant: 'x-depositum-participant',
  key: 'x-depositum-key',
  timestamp: 'x-depositum-timestamp',
  signature: 'x-depositum-signature',
} as const;

/**
 * What a request signature covers: method, path with query, timestamp and a hash of
 * the body. Domain-separated from transaction and block signatures.
 */
export function requestSigningMessage(method: string, url: string, timestampMs: number, body: string): Buffer {
  return Buffer.from(`depositum/request/v1\n${method.toUpperCase()}\n${url}\n${timestampMs}\n${sha256Hex(body)}`);
}
