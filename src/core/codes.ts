/**
 * Why the state machine rejects a transaction. The order of this list is the
 * precedence: when several reasons apply to one operation, the earliest is reported.
 * `retryable` says whether the same transaction could succeed later unchanged
 * (after the state changes), as opposed to needing a different transaction.
 */
export const REJECTION_CODES = {
  transaction_expired: { retryable: false, description: 'valid-until is before the block time' },
  duplicate_transaction: { retryable: false, description: 'this sender already used this transaction id' },
  sender_not_signed: { retryable: false, description: "the sender's signature does not verify against its registered keys" },
  participant_not_found: { retryable: true, description: 'a referenced participant does not exist' },
  asset_not_found: { retryable: true, description: 'a referenced asset does not exist' },
  account_not_found: { retryable: true, description: 'a referenced account does not exist' },
  hold_not_found: { retryable: true, description: 'a referenced hold does not exist' },
  already_exists: { retryable: false, description: 'a participant, asset, account or hold with this id exists' },
  invalid_amount: { retryable: false, description: 'the amount is zero or not a decimal string' },
  amount_too_precise: { retryable: false, description: "the amount has more decimals than the asset's scale" },
  invalid_expiry: { retryable: false, description: 'the hold expiry is not in the future or too far ahead' },
  invalid_role: { retryable: true, description: 'the participant lacks the role this operation needs it to have' },
  asset_mismatch: { retryable: false, description: 'the accounts hold different assets' },
  not_authorized: { retryable: true, description: 'the signers may not perform this operation' },
  kyc_not_approved: { retryable: true, description: 'a participant involved is not KYC-approved' },
  kyc_expired: { retryable: true, description: "a participant's KYC approval has expired" },
  account_frozen: { retryable: true, description: 'an account involved is frozen' },
  asset_paused: { retryable: true, description: 'the asset is paused' },
  hold_already_resolved: { retryable: false, description: 'the hold was already posted or voided' },
  hold_expired: { retryable: false, description: 'the hold expired and its funds returned to the payer' },
  hold_amount_exceeded: { retryable: false, description: 'the posted amount exceeds the amount held' },
  allowance_exceeded: { retryable: true, description: "the amount exceeds the minter's remaining allowance" },
  insufficient_funds: { retryable: true, description: 'the available balance is below the amount' },
  amount_overflow: { retryable: false, description: "a balance or the supply would pass the ledger's ceiling" },
} as const;

export type RejectionCode = keyof typeof REJECTION_CODES;

export const REJECTION_PRECEDENCE = Object.keys(REJECTION_CODES) as RejectionCode[];
