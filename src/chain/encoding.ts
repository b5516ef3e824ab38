import canonicalize from 'canonicalize';

export { hmacSha256, sha256, sha256Hex, sha256Of } from './crypto.js';

/** RFC 8785 canonical JSON: the one byte form of a value that is hashed or signed. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return text;
}
