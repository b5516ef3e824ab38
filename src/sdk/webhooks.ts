import { hmacSha256 } from '../chain/crypto.js';

/**
 * Webhook signatures, Stripe-style: `depositum-signature: t=<unix seconds>,v1=<hex>`, the
 * hex being HMAC-SHA256 keyed by the endpoint's secret over `<t>.<raw body>`. A receiver
 * checks it on the raw bytes it received, and refuses old timestamps (a replay).
 */
export const WEBHOOK_SIGNATURE_HEADER = 'depositum-signature';

/** How old a delivery's timestamp may be before a receiver should refuse it. */
export const WEBHOOK_TOLERANCE_S = 300;

function mac(secret: string, timestampS: number, body: string): string {
  return hmacSha256(new TextEncoder().encode(secret), `${timestampS}.${body}`).toString('hex');
}

export function webhookSignature(secret: string, body: string, timestampS: number): string {
  return `t=${timestampS},v1=${mac(secret, timestampS, body)}`;
}

/** Compares in time independent of where the strings differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Null when `header` signs `body` with `secret` within the tolerance, else why not. */
export function webhookProblem(secret: string, header: string | undefined, body: string, nowMs: number, toleranceS = WEBHOOK_TOLERANCE_S): string | null {
  if (header === undefined) return `no ${WEBHOOK_SIGNATURE_HEADER} header`;
  const parts = new Map(header.split(',').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const));
  const timestamp = parts.get('t');
  const signature = parts.get('v1');
  if (timestamp === undefined || !/^[0-9]{1,12}$/.test(timestamp) || signature === undefined) return 'the header is not t=<seconds>,v1=<hex>';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceS) return `the timestamp is more than ${toleranceS} s from now (a replay?)`;
  return sameText(mac(secret, Number(timestamp), body), signature) ? null : 'the signature does not match the body and secret';
}
