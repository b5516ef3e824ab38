import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a session token authenticates its participant. */
export const SESSION_TTL_MS = 60 * 60 * 1000;

/** Who a token speaks for: the participant and the key that signed the sign-in. */
export interface SessionClaims {
  participant: string;
  keyId: string;
  expiresAtMs: number;
}

const MAC_LENGTH = 43; // a SHA-256 HMAC in base64url

/**
 * Bearer tokens bound to a participant, issued against a signed request. A request
 * signature costs an Ed25519 verification; a token costs an HMAC, which matters for
 * clients sending thousands of requests a second. A token carries its own claims under
 * an HMAC keyed by a secret kept in the store, so every node sharing the store accepts
 * it and a restart signs nobody out. It is refused once its key is no longer registered.
 */
export class Sessions {
  constructor(private readonly secret: Buffer) {}

  issue(participant: string, keyId: string, nowMs: number): { token: string; expiresAtMs: number } {
    const expiresAtMs = nowMs + SESSION_TTL_MS;
    const claims = Buffer.from(JSON.stringify({ participant, keyId, expiresAtMs } satisfies SessionClaims)).toString('base64url');
    return { token: `${claims}.${this.mac(claims)}`, expiresAtMs };
  }

  /** The claims of an authentic, unexpired token, or undefined. */
  claims(token: string, nowMs: number): SessionClaims | undefined {
    const dot = token.lastIndexOf('.');
    const claims = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(claims));
    if (dot < 1 || mac.length !== MAC_LENGTH || !timingSafeEqual(mac, expected)) return undefined;
    const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as SessionClaims;
    return decoded.expiresAtMs > nowMs ? decoded : undefined;
  }

  private mac(claims: string): string {
    return createHmac('sha256', this.secret).update('depositum session v1\n').update(claims).digest('base64url');
  }
}
