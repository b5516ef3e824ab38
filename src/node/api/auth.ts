import type { FastifyRequest } from 'fastify';
import { AUTH_HEADERS, requestSigningMessage, verifySignature } from '../../chain/index.js';
import type { LedgerState, Participant } from '../../core/index.js';
import { ApiError } from '../errors.js';
import type { Sessions } from './sessions.js';

/** How far a request's timestamp may stray from the node's clock. */
export const REQUEST_SKEW_MAX_MS = 5 * 60 * 1000;

/** Who is asking, and whether their role lets them see the whole ledger. */
export interface Viewer {
  participant: Participant;
  seesAll: boolean;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function viewerFor(participant: Participant): Viewer {
  const seesAll = participant.roles.some((role) => role === 'operator' || role === 'auditor' || role === 'compliance');
  return { participant, seesAll };
}

/** A bearer token from POST /v1/sessions, or a request signature. */
export function authenticate(request: FastifyRequest, state: LedgerState, sessions: Sessions, nowMs: number): Viewer {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(authorization)?.[1];
    const participant = token === undefined ? undefined : state.participants.get(sessions.participant(token, nowMs) ?? '');
    if (participant === undefined) throw new ApiError('authentication_failed', 'the bearer token is unknown or expired; sign in again with POST /v1/sessions');
    return viewerFor(participant);
  }
  const participantId = header(request, AUTH_HEADERS.participant);
  const keyId = header(request, AUTH_HEADERS.key);
  const timestamp = header(request, AUTH_HEADERS.timestamp);
  const signature = header(request, AUTH_HEADERS.signature);
  if (participantId === undefined || keyId === undefined || timestamp === undefined || signature === undefined) {
    throw new ApiError('authentication_required', `sign the request (${Object.values(AUTH_HEADERS).join(', ')}) or send a bearer token from POST /v1/sessions`);
  }
  const timestampMs = Number(timestamp);
  if (!/^[0-9]{1,16}$/.test(timestamp) || Math.abs(nowMs - timestampMs) > REQUEST_SKEW_MAX_MS) {
    throw new ApiError('request_expired', `request timestamp must be within ${REQUEST_SKEW_MAX_MS / 1000} s of the node's clock`);
  }
  const participant = state.participants.get(participantId);
  const publicKey = participant?.keys.find((key) => key.id === keyId)?.publicKey;
  const message = requestSigningMessage(request.method, request.url, timestampMs, request.rawBody ?? '');
  if (participant === undefined || publicKey === undefined || !verifySignature(publicKey, message, signature)) {
    throw new ApiError('authentication_failed', 'the request signature does not verify against a registered key');
  }
  return viewerFor(participant);
}

/** Whether the viewer owns (or is a delegate of the owner of) what belongs to `owner`. */
export function actsForOwner(viewer: Viewer, owner: Participant | undefined): boolean {
  return owner !== undefined && (owner.id === viewer.participant.id || owner.delegates.includes(viewer.participant.id));
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    viewer?: Viewer;
  }
  interface FastifyContextConfig {
    /** Served without authentication. */
    public?: boolean;
  }
}

export function viewerOf(request: FastifyRequest): Viewer {
  if (request.viewer === undefined) throw new Error('invariant: route reached without authentication');
  return request.viewer;
}
