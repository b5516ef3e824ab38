import { REJECTION_CODES, type Explanation, type RejectionCode } from '../core/index.js';

/**
 * What the ledger service (admission, submission, queries) answers when it says no,
 * without any transport in mind: a code, what kind of refusal it is, and what to do. The
 * HTTP API maps kinds to statuses in one place (api/errors.ts); an in-process caller (a
 * module, the CLI's offline commands, a test) sees only these.
 */
export type LedgerErrorKind = 'invalid' | 'authentication' | 'permission' | 'not_found' | 'conflict' | 'unavailable';

export interface LedgerErrorDefinition {
  readonly kind: LedgerErrorKind;
  readonly resolution: string;
}

const OWN_ERRORS = {
  invalid_request: { kind: 'invalid', resolution: 'a field is missing, unknown, of the wrong type or out of bounds; `param` names it' },
  network_mismatch: { kind: 'invalid', resolution: 'the transaction names another network; take `network` from GET /v1/network' },
  transaction_expired: { kind: 'invalid', resolution: '`validUntilMs` has passed; build a new transaction' },
  validity_too_long: { kind: 'invalid', resolution: '`validUntilMs` is more than 24 hours ahead' },
  signature_missing: { kind: 'authentication', resolution: 'no signatures, or none by the sender' },
  signature_invalid: { kind: 'authentication', resolution: 'a signature does not verify: the body changed after signing, or the wrong key signed' },
  signer_unknown: { kind: 'authentication', resolution: 'a signature names a participant or key id that is not registered' },
  signer_repeated: { kind: 'invalid', resolution: 'the same participant signed twice' },
  forbidden: { kind: 'permission', resolution: 'the account, hold or transaction is not the caller\'s' },
  sanctions_hit: { kind: 'permission', resolution: "a name (a participant's legal name, or a person named in Travel Rule data) hits a sanctions list at the block threshold (the message names the entry); nothing was recorded on the ledger. Compliance may clear a false hit (POST /v1/compliance/screenings/:id/decision)" },
  travel_rule_invalid: { kind: 'invalid', resolution: 'the payment names Travel Rule data (travelRule) that was not sent to the compliance module, or was sent for other accounts; POST the IVMS101 data to /v1/compliance/travel-rule and use the hash it answers' },
  screening_review_required: { kind: 'permission', resolution: "a participant's legal name hits a sanctions list at the review threshold: register it with KYC pending, and approve it once compliance has cleared the hit" },
  transaction_not_found: { kind: 'not_found', resolution: 'an unknown transaction hash or sender/id' },
  block_not_found: { kind: 'not_found', resolution: 'a height beyond the head' },
  idempotency_conflict: { kind: 'conflict', resolution: 'the sender already used this transaction id for different content; choose a new id' },
  overloaded: { kind: 'unavailable', resolution: 'the sequencer queue is full; retry after `Retry-After` seconds with the same transaction' },
  unavailable: { kind: 'unavailable', resolution: 'the node is shutting down, reopening its state after a storage failure, its database is unreachable, or no sequencer is elected (fail-over in progress); retry with the same transaction (elsewhere)' },
} as const satisfies Record<string, LedgerErrorDefinition>;

type AtAdmission = { [K in RejectionCode]: (typeof REJECTION_CODES)[K]['atAdmission'] extends true ? K : never }[RejectionCode];

/** Rejections no later state could cure within a request are answered by admission, under their own codes. */
const ADMISSION_REJECTIONS = Object.fromEntries(
  Object.entries(REJECTION_CODES).filter(([, code]) => code.atAdmission).map(([name, code]) => [name, {
    kind: code.kind === 'refused' ? 'invalid' : code.kind,
    resolution: `${code.description}; nothing was recorded`,
  }]),
) as Record<AtAdmission, LedgerErrorDefinition>;

export const LEDGER_ERRORS: Readonly<Record<LedgerErrorCode, LedgerErrorDefinition>> = { ...OWN_ERRORS, ...ADMISSION_REJECTIONS };

export type LedgerErrorCode = keyof typeof OWN_ERRORS | AtAdmission;

export function isAnsweredAtAdmission(code: RejectionCode): code is AtAdmission {
  return REJECTION_CODES[code].atAdmission;
}

/** A refusal as a client reads it: the code, the offending field as a request path, and what was wrong with it. */
export interface ExplainedRejection {
  readonly code: RejectionCode;
  readonly operation: number | null;
  /** The offending field, e.g. `body.operations[0].to`. */
  readonly param: string;
  /** E.g. `operations[0].to: no account "globx-usd"`. */
  readonly message: string;
}

/** The state machine's explanation, worded for a client: the field path first, then what is wrong. */
export function explainRejection(explanation: Explanation): ExplainedRejection {
  const at = explanation.operation === null ? 'body' : `body.operations[${explanation.operation}]`;
  const param = explanation.field === undefined ? at : `${at}.${explanation.field}`;
  return { code: explanation.code, operation: explanation.operation, param, message: `${param.replace(/^body\.?/, '') || 'transaction'}: ${explanation.message}` };
}

export class LedgerError extends Error {
  readonly kind: LedgerErrorKind;

  /**
   * @param param  the offending field as a path in the request, e.g. `body.operations[0].to`
   * @param retryAfterS  for an unavailable ledger: when trying again is worth it
   */
  constructor(readonly code: LedgerErrorCode, message: string, readonly param?: string, readonly retryAfterS?: number) {
    super(message);
    this.name = 'LedgerError';
    this.kind = LEDGER_ERRORS[code].kind;
  }
}
