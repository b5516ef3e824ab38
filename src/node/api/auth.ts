import type { FastifyRequest } from 'fastify';
import { AUTH_HEADERS, NONCE_PATTERN, requestSigningMessage, sha256Hex, verifySignature } from '../../chain/index.js';
import { BASE64URL_64, type Participant } from '../../core/index.js';
import { viewerOf as ledgerViewerOf, type Viewer as LedgerViewer } from '../visibility.js';
import { ApiError } from './errors.js';
import type { Sessions } from './sessions.js';

/** How far a request's timestamp may stray from the node's clock. */
export const REQUEST_SKEW_MAX_MS = 5 * 60 * 1000;

/** Who is asking (see node/visibility.ts), and with which key. */
export interface Viewer extends LedgerViewer {
  /** The key that signed the request (or the sign-in of its session). */
  readonly keyId: string;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function viewerFor(participant: Participant, keyId: string): Viewer {
  return { ...ledgerViewerOf(participant), keyId };
}

/** Longest bearer token accepted: claims of a long participant and key id, and the MAC. */
const TOKEN_CHARS_MAX = 512;

/** Where single-use signed requests are remembered: shared by every node of the ledger, so a replay to another node fails too. */
export interface RequestClaims {
  /** True the first time `digest` is claimed before `expiresAtMs`, false ever after (until it expires). */
  claimRequest(digest: string, expiresAtMs: number): Promise<boolean>;
}

export interface AuthContext {
  /** The registered participants and their keys (the ledger's state, or a module's copy of the directory). */
  participants: { get(id: string): Participant | undefined };
  sessions: Sessions;
  claims: RequestClaims;
  nowMs: number;
}

/** A bearer token from POST /v1/sessions, or a request signature (single-use on routes that create something). */
export async function authenticate(request: FastifyRequest, context: AuthContext): Promise<Viewer> {
  const { participants, sessions, nowMs } = context;
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization)?.[1];
    const claims = token === undefined || token.length > TOKEN_CHARS_MAX ? undefined : sessions.claims(token, nowMs);
    const participant = claims === undefined ? undefined : participants.get(claims.participant);
    if (claims === undefined || participant === undefined || !participant.keys.some((key) => key.id === claims.keyId)) {
      throw new ApiError('authentication_failed', 'the bearer token is unknown, expired or its key was removed; sign in again with POST /v1/sessions');
    }
    return viewerFor(participant, claims.keyId);
  }
  const participantId = header(request, AUTH_HEADERS.participant);
  const keyId = header(request, AUTH_HEADERS.key);
  const timestamp = header(request, AUTH_HEADERS.timestamp);
  const nonce = header(request, AUTH_HEADERS.nonce);
  const signature = header(request, AUTH_HEADERS.signature);
  if (participantId === undefined || keyId === undefined || timestamp === undefined || nonce === undefined || signature === undefined) {
    throw new ApiError('authentication_required', `sign the request (${Object.values(AUTH_HEADERS).join(', ')}) or send a bearer token from POST /v1/sessions`);
  }
  const timestampMs = Number(timestamp);
  if (!/^[0-9]{1,16}$/.test(timestamp) || Math.abs(nowMs - timestampMs) > REQUEST_SKEW_MAX_MS) {
    throw new ApiError('request_expired', `request timestamp must be within ${REQUEST_SKEW_MAX_MS / 1000} s of the node's clock`);
  }
  if (!new RegExp(BASE64URL_64).test(signature)) throw new ApiError('authentication_failed', 'the request signature is not a canonical base64url Ed25519 signature');
  if (!NONCE_PATTERN.test(nonce)) throw new ApiError('authentication_failed', `${AUTH_HEADERS.nonce} is 16 to 64 base64url characters, new for every request`);
  const participant = participants.get(participantId);
  const publicKey = participant?.keys.find((key) => key.id === keyId)?.publicKey;
  const message = requestSigningMessage(request.method, request.url, timestampMs, nonce, request.rawBody ?? '');
  if (participant === undefined || publicKey === undefined || !verifySignature(publicKey, message, signature)) {
    throw new ApiError('authentication_failed', 'the request signature does not verify against a registered key');
  }
  // The signature is valid for as long as its timestamp is: remember it that long.
  if (request.routeOptions.config.singleUse === true && !(await context.claims.claimRequest(sha256Hex(signature), timestampMs + REQUEST_SKEW_MAX_MS))) {
    throw new ApiError('request_replayed', 'this signed request was already used; sign a new one');
  }
  return viewerFor(participant, keyId);
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    viewer?: Viewer;
  }
  interface FastifyContextConfig {
    /** Served without authentication. */
    public?: boolean;
    /** Creates something: the same signed request is honoured once (its signature is remembered for its validity window). */
    singleUse?: boolean;
  }
}

export function viewerOf(request: FastifyRequest): Viewer {
  if (request.viewer === undefined) throw new Error('invariant: route reached without authentication');
  return request.viewer;
}
