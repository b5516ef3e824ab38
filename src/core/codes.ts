/**
 * Why the state machine rejects a transaction. The order of this list is the
 * precedence: when several reasons apply to one operation, the earliest is reported
 * (every operation lists its checks in this order; a test holds them to it).
 *
 * * `retryable`: the same transaction could succeed later unchanged, once the state
 *   changes, as opposed to needing different content.
 * * `kind`: what sort of refusal it is (`not_found`, `conflict`, `invalid`, or `refused`
 *   by the rules given the current state); the API maps kinds to HTTP statuses.
 * * `atAdmission`: no later state could cure it within this request (an unknown
 *   reference, an amount that can never be valid), so admission answers it at once and
 *   records nothing; every other code is for the sequencer to decide, in order, and is
 *   recorded in the block as an attempt.
 */
export interface RejectionCodeDefinition {
  readonly retryable: boolean;
  readonly kind: 'not_found' | 'conflict' | 'invalid' | 'refused';
  readonly atAdmission: boolean;
  readonly description: string;
}

export const REJECTION_CODES = {
  transaction_expired: { retryable: false, kind: 'invalid', atAdmission: false, description: 'valid-until is before the block time' },
  duplicate_transaction: { retryable: false, kind: 'conflict', atAdmission: false, description: 'this sender already used this transaction id' },
  sender_not_signed: { retryable: false, kind: 'refused', atAdmission: false, description: "the sender's signature does not verify against its registered keys" },
  participant_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced participant does not exist' },
  asset_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced asset does not exist' },
  account_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced account does not exist' },
  hold_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced hold does not exist' },
  already_exists: { retryable: false, kind: 'conflict', atAdmission: true, description: 'a participant, asset, account or hold with this id exists' },
  invalid_amount: { retryable: false, kind: 'invalid', atAdmission: true, description: "the amount is zero, not a decimal string, or beyond the ledger's ceiling (2^127 − 1 minor units)" },
  amount_too_precise: { retryable: false, kind: 'invalid', atAdmission: true, description: "the amount has more decimals than the asset's scale" },
  invalid_expiry: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the hold expiry is not in the future or is more than 90 days ahead' },
  invalid_role: { retryable: true, kind: 'refused', atAdmission: false, description: 'a participant lacks the role the operation needs it to have (an asset\'s issuer, a minter, an account owner)' },
  asset_mismatch: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the accounts hold different assets' },
  not_authorized: { retryable: true, kind: 'refused', atAdmission: false, description: "the sender's roles may not send this operation, or the signers may not consent to it" },
  kyc_not_approved: { retryable: true, kind: 'refused', atAdmission: false, description: 'a participant involved is not KYC-approved' },
  kyc_expired: { retryable: true, kind: 'refused', atAdmission: false, description: "a participant's KYC approval has expired" },
  account_frozen: { retryable: true, kind: 'refused', atAdmission: false, description: 'an account involved is frozen' },
  asset_paused: { retryable: true, kind: 'refused', atAdmission: false, description: 'the asset is paused' },
  hold_already_resolved: { retryable: false, kind: 'refused', atAdmission: false, description: 'the hold was already posted or voided' },
  hold_expired: { retryable: false, kind: 'refused', atAdmission: false, description: 'the hold expired and its funds returned to the payer' },
  hold_amount_exceeded: { retryable: false, kind: 'refused', atAdmission: false, description: 'the posted amount exceeds the amount held' },
  allowance_exceeded: { retryable: true, kind: 'refused', atAdmission: false, description: "the amount exceeds the minter's remaining allowance" },
  insufficient_funds: { retryable: true, kind: 'refused', atAdmission: false, description: 'the available balance is below the amount' },
  amount_overflow: { retryable: false, kind: 'refused', atAdmission: false, description: "a balance or the supply would pass the ledger's ceiling (2^127 − 1 minor units)" },
} as const satisfies Record<string, RejectionCodeDefinition>;

export type RejectionCode = keyof typeof REJECTION_CODES;

export const REJECTION_PRECEDENCE = Object.keys(REJECTION_CODES) as RejectionCode[];

/** Where a code stands in the precedence: lower wins. */
export function precedenceOf(code: RejectionCode): number {
  return REJECTION_PRECEDENCE.indexOf(code);
}
