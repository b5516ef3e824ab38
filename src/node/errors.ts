/**
 * Every error the API returns, with its HTTP status and type. The wire shape is
 * `{ error: { type, code, message, param? } }`; docs/errors.md explains each code.
 */
export const API_ERRORS = {
  malformed_json: { status: 400, type: 'invalid_request_error' },
  invalid_request: { status: 400, type: 'invalid_request_error' },
  invalid_amount: { status: 400, type: 'invalid_request_error' },
  amount_too_precise: { status: 400, type: 'invalid_request_error' },
  invalid_expiry: { status: 400, type: 'invalid_request_error' },
  asset_mismatch: { status: 400, type: 'invalid_request_error' },
  network_mismatch: { status: 400, type: 'invalid_request_error' },
  transaction_expired: { status: 400, type: 'invalid_request_error' },
  validity_too_long: { status: 400, type: 'invalid_request_error' },
  signature_missing: { status: 401, type: 'authentication_error' },
  signature_invalid: { status: 401, type: 'authentication_error' },
  signer_unknown: { status: 401, type: 'authentication_error' },
  signer_repeated: { status: 400, type: 'invalid_request_error' },
  authentication_required: { status: 401, type: 'authentication_error' },
  authentication_failed: { status: 401, type: 'authentication_error' },
  request_expired: { status: 401, type: 'authentication_error' },
  forbidden: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  participant_not_found: { status: 404, type: 'not_found_error' },
  asset_not_found: { status: 404, type: 'not_found_error' },
  account_not_found: { status: 404, type: 'not_found_error' },
  hold_not_found: { status: 404, type: 'not_found_error' },
  transaction_not_found: { status: 404, type: 'not_found_error' },
  block_not_found: { status: 404, type: 'not_found_error' },
  read_only_node: { status: 405, type: 'invalid_request_error' },
  already_exists: { status: 409, type: 'invalid_request_error' },
  idempotency_conflict: { status: 409, type: 'idempotency_error' },
  payload_too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  overloaded: { status: 503, type: 'api_error' },
  unavailable: { status: 503, type: 'api_error' },
  internal_error: { status: 500, type: 'api_error' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(readonly code: ApiErrorCode, message: string, readonly param?: string, readonly retryAfterS?: number) {
    super(message);
    this.status = API_ERRORS[code].status;
    this.type = API_ERRORS[code].type;
  }

  toJSON(): { error: { type: string; code: string; message: string; param?: string } } {
    return { error: { type: this.type, code: this.code, message: this.message, ...(this.param !== undefined && { param: this.param }) } };
  }
}
