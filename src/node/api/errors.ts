import { LEDGER_ERRORS, LedgerError, type LedgerErrorCode, type LedgerErrorKind } from '../errors.js';

/**
 * Every error the HTTP API answers, with its status and type, in one table: the
 * ledger's own errors by their kind, and those only HTTP has (a malformed body, an
 * unknown route, a request signature). The wire shape is
 * `{ error: { type, code, message, param?, request_id, doc_url } }`; docs/errors.md
 * explains each code, and `doc_url` points at its entry on the node.
 */
const BY_KIND: Record<LedgerErrorKind, { status: number; type: string }> = {
  invalid: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  conflict: { status: 409, type: 'invalid_request_error' },
  unavailable: { status: 503, type: 'api_error' },
};

/** Ledger codes whose HTTP type is not their kind's. */
const LEDGER_OVERRIDES: Partial<Record<LedgerErrorCode, { type: string }>> = { idempotency_conflict: { type: 'idempotency_error' } };

const HTTP_ONLY = {
  malformed_json: { status: 400, type: 'invalid_request_error', resolution: 'the body is not JSON (or not UTF-8); fix the client\'s encoder' },
  authentication_required: { status: 401, type: 'authentication_error', resolution: 'the request carries no request signature headers nor a bearer token' },
  authentication_failed: { status: 401, type: 'authentication_error', resolution: 'the request signature or bearer token does not verify against the participant\'s registered key' },
  request_expired: { status: 401, type: 'authentication_error', resolution: 'the request timestamp is more than 5 minutes from the node\'s clock' },
  request_replayed: { status: 401, type: 'authentication_error', resolution: 'this signed request was already used; a request that creates something is single-use: sign it again' },
  not_found: { status: 404, type: 'not_found_error', resolution: 'no such route' },
  resource_not_found: { status: 404, type: 'not_found_error', resolution: 'no such object of a module (a webhook endpoint, a delivery) that the caller may see' },
  read_only_node: { status: 405, type: 'invalid_request_error', resolution: 'this is an observer node; submit to the node it follows (named in the message)' },
  payload_too_large: { status: 413, type: 'invalid_request_error', resolution: 'the body exceeds 1 MiB' },
  uri_too_long: { status: 414, type: 'invalid_request_error', resolution: 'the path or query is longer than the node reads' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', resolution: 'send `application/json` (UTF-8)' },
  request_header_fields_too_large: { status: 431, type: 'invalid_request_error', resolution: 'the request line and headers exceed 16 KiB' },
  request_timeout: { status: 408, type: 'invalid_request_error', resolution: 'the request did not arrive in time; send it again' },
  internal_error: { status: 500, type: 'api_error', resolution: 'a bug; the node logs it with the request id' },
} as const;

type HttpOnlyCode = keyof typeof HTTP_ONLY;
export type ApiErrorCode = HttpOnlyCode | LedgerErrorCode;

export interface ApiErrorDefinition {
  readonly status: number;
  readonly type: string;
  readonly resolution: string;
}

export const API_ERRORS: Readonly<Record<ApiErrorCode, ApiErrorDefinition>> = {
  ...Object.fromEntries(Object.entries(LEDGER_ERRORS).map(([code, definition]) => [code, {
    ...BY_KIND[definition.kind], ...LEDGER_OVERRIDES[code as LedgerErrorCode], resolution: definition.resolution,
  }])) as Record<LedgerErrorCode, ApiErrorDefinition>,
  ...HTTP_ONLY,
};

/** An error only HTTP has: the transport said no before the ledger was asked. */
export class ApiError extends Error {
  constructor(readonly code: HttpOnlyCode, message: string, readonly param?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The one wire shape of an error, without the request's own fields (id, doc url). */
export interface ErrorBody {
  type: string;
  code: ApiErrorCode;
  message: string;
  param?: string;
}

/** Any error met while serving a request, as status, body and retry hint. */
export function toHttp(error: ApiError | LedgerError): { status: number; body: ErrorBody; retryAfterS?: number } {
  const definition = API_ERRORS[error.code];
  const body: ErrorBody = { type: definition.type, code: error.code, message: error.message, ...(error.param !== undefined && { param: error.param }) };
  const retryAfterS = error instanceof LedgerError ? error.retryAfterS : undefined;
  return { status: definition.status, body, ...(retryAfterS !== undefined && { retryAfterS }) };
}
