import { randomBytes } from 'node:crypto';

/** How long a session token authenticates its participant. */
export const SESSION_TTL_MS = 60 * 60 * 1000;
/** Sessions held at once; beyond it the oldest is dropped (its holder signs in again). */
export const SESSIONS_MAX = 100_000;

interface Session {
  participant: string;
  expiresAtMs: number;
}

/**
 * Bearer tokens bound to a participant, issued against a signed request. A request
 * signature costs an Ed25519 verification; a token costs a map lookup, which matters
 * for clients sending thousands of requests a second. Tokens live in memory only: a
 * restart signs everyone out, and the SDK signs in again on its own.
 */
export class Sessions {
  private readonly sessions = new Map<string, Session>();

  issue(participant: string, nowMs: number): { token: string; expiresAtMs: number } {
    if (this.sessions.size >= SESSIONS_MAX) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAtMs = nowMs + SESSION_TTL_MS;
    this.sessions.set(token, { participant, expiresAtMs });
    return { token, expiresAtMs };
  }

  /** The participant a live token belongs to, or undefined. */
  participant(token: string, nowMs: number): string | undefined {
    const session = this.sessions.get(token);
    if (session === undefined) return undefined;
    if (session.expiresAtMs <= nowMs) {
      this.sessions.delete(token);
      return undefined;
    }
    return session.participant;
  }
}
