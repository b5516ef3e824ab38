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
  conditional_payment_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced conditional payment does not exist' },
  tranche_not_found: { retryable: false, kind: 'not_found', atAdmission: true, description: 'the conditional payment has no tranche with this id (tranches are fixed when it is created)' },
  settlement_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced settlement does not exist' },
  leg_not_found: { retryable: false, kind: 'not_found', atAdmission: true, description: 'the settlement has no leg at this position (legs are fixed when it is proposed)' },
  proposal_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced proposal does not exist' },
  policy_not_found: { retryable: false, kind: 'not_found', atAdmission: true, description: 'the account has no policy to remove' },
  instruction_not_found: { retryable: true, kind: 'not_found', atAdmission: true, description: 'a referenced standing instruction does not exist' },
  already_exists: { retryable: false, kind: 'conflict', atAdmission: true, description: 'a participant, asset, account, hold, conditional payment, settlement or standing instruction with this id exists' },
  invalid_amount: { retryable: false, kind: 'invalid', atAdmission: true, description: "the amount is zero, not a decimal string, or beyond the ledger's ceiling (2^127 − 1 minor units)" },
  amount_too_precise: { retryable: false, kind: 'invalid', atAdmission: true, description: "the amount has more decimals than the asset's scale" },
  invalid_expiry: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the hold expiry is not in the future or is more than 90 days ahead' },
  invalid_deadline: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the deadline is not in the future, or is further ahead than allowed: 400 days for a conditional payment, 90 for a settlement' },
  invalid_conditions: { retryable: false, kind: 'invalid', atAdmission: true, description: "the conditions cannot make a payment: tranches that do not add up to the amount or share an id, more approvals than approvers, an approver or attestation named twice, a time lock past the deadline, a party as arbiter, payer and payee the same account, or a dispute decision that names no amount to settle (or one to resume)" },
  invalid_instruction: { retryable: false, kind: 'invalid', atAdmission: true, description: "the standing instruction lacks what its kind needs (an amount to pay, a balance to keep, a floor and a cap, a reference and a share), carries a field its kind does not use, has neither a schedule nor a trigger, or pays an account into itself" },
  invalid_schedule: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the schedule is not one cron pattern or one RFC 5545 RRULE of the supported subset (FREQ daily or longer; no DTSTART, COUNT, BYYEARDAY or BYWEEKNO; BYSETPOS monthly over weekdays), names an unknown time zone, runs less than 15 minutes apart, or has dates more than 400 days apart (none in the next 400 days)' },
  invalid_reconciliation: { retryable: false, kind: 'invalid', atAdmission: true, description: "a reconciliation attested without breaks whose statement balance is not the supply plus the credits in transit (booked, not yet minted) plus the payouts in transit (redeemed, not yet paid out)" },
  invalid_agreement: { retryable: false, kind: 'invalid', atAdmission: true, description: 'a trade agreement names the same participant as buyer and seller' },
  invalid_role: { retryable: true, kind: 'refused', atAdmission: false, description: 'a participant lacks the role the operation needs it to have (an asset\'s issuer, a minter, an account owner)' },
  invalid_policy: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the policy cannot work: more approvals required than approvers, an approval window over 30 days, a threshold for an asset the sender neither issues nor mints' },
  asset_mismatch: { retryable: false, kind: 'invalid', atAdmission: true, description: 'the accounts hold different assets; for a payment at par, the same asset, assets of one issuer, or tokens of different currencies or scales; for joining par settlement, a settlement account of another asset or a security' },
  travel_rule_required: { retryable: false, kind: 'invalid', atAdmission: true, description: "a payment between participants of different jurisdictions, at or above the payer's jurisdiction's Travel Rule threshold, carries no originator and beneficiary data (IVMS101, by its SHA-256 in `travelRule`)" },
  not_authorized: { retryable: true, kind: 'refused', atAdmission: false, description: "the sender's roles may not send this operation, or the signers may not consent to it" },
  par_settlement_unavailable: { retryable: true, kind: 'refused', atAdmission: false, description: "the issuer of the payer's or the payee's token has not joined par settlement" },
  attester_not_registered: { retryable: true, kind: 'refused', atAdmission: false, description: 'an attester a tranche names does not hold the attester role (attesting without it is refused as not_authorized)' },
  not_an_approver: { retryable: false, kind: 'refused', atAdmission: false, description: 'the sender is not among the approvers the tranche or the proposal names' },
  own_proposal: { retryable: false, kind: 'refused', atAdmission: false, description: 'a proposer may not approve its own proposal (four eyes)' },
  attestation_not_expected: { retryable: false, kind: 'refused', atAdmission: false, description: 'the tranche does not wait for this document type from this attester' },
  kyc_not_approved: { retryable: true, kind: 'refused', atAdmission: false, description: 'a participant involved is not KYC-approved' },
  kyc_expired: { retryable: true, kind: 'refused', atAdmission: false, description: "a participant's KYC approval has expired" },
  account_frozen: { retryable: true, kind: 'refused', atAdmission: false, description: 'an account involved is frozen' },
  asset_paused: { retryable: true, kind: 'refused', atAdmission: false, description: 'the asset is paused' },
  payment_closed: { retryable: false, kind: 'refused', atAdmission: false, description: 'the conditional payment was paid out, cancelled, settled by its arbiter or returned at its deadline' },
  proposal_closed: { retryable: false, kind: 'refused', atAdmission: false, description: 'the proposal was executed, rejected, or lapsed at the end of its approval window' },
  settlement_closed: { retryable: false, kind: 'refused', atAdmission: false, description: 'the settlement settled, was cancelled, or was unwound at its deadline' },
  instruction_closed: { retryable: false, kind: 'refused', atAdmission: false, description: 'the standing instruction was cancelled or its schedule ended' },
  agreement_mismatch: { retryable: false, kind: 'conflict', atAdmission: false, description: 'the signature names an earlier version of the trade agreement than the one standing, or another hash or other parties for the same version' },
  agreement_already_signed: { retryable: false, kind: 'conflict', atAdmission: false, description: 'this party signed this version of the trade agreement already' },
  minting_not_throttled: { retryable: false, kind: 'refused', atAdmission: false, description: "the asset's minting is not throttled, so there is no throttle to lift" },
  deadline_passed: { retryable: false, kind: 'refused', atAdmission: false, description: 'the conditional payment or settlement reached its deadline: what was locked or allocated returns' },
  payment_disputed: { retryable: true, kind: 'refused', atAdmission: false, description: 'the conditional payment is disputed: nothing moves until its arbiter decides' },
  no_arbiter: { retryable: false, kind: 'refused', atAdmission: false, description: 'the conditional payment names no arbiter, so it cannot be disputed on the ledger' },
  payment_not_disputed: { retryable: false, kind: 'refused', atAdmission: false, description: 'there is no dispute to decide' },
  hold_already_resolved: { retryable: false, kind: 'refused', atAdmission: false, description: 'the hold was already posted or voided' },
  hold_expired: { retryable: false, kind: 'refused', atAdmission: false, description: 'the hold expired and its funds returned to the payer' },
  hold_amount_exceeded: { retryable: false, kind: 'refused', atAdmission: false, description: 'the posted amount exceeds the amount held' },
  tranche_already_released: { retryable: false, kind: 'refused', atAdmission: false, description: 'the tranche was paid (or returned) already' },
  leg_already_allocated: { retryable: false, kind: 'conflict', atAdmission: false, description: 'the leg is allocated already' },
  approval_already_given: { retryable: false, kind: 'conflict', atAdmission: false, description: 'this approver approved the tranche or the proposal, or the receiver the leg, already' },
  attestation_already_given: { retryable: false, kind: 'conflict', atAdmission: false, description: 'this attester attested this document type for the tranche already' },
  conditions_not_met: { retryable: true, kind: 'refused', atAdmission: false, description: "the tranche's approvals, attestations or time lock do not all hold yet" },
  settlement_incomplete: { retryable: true, kind: 'refused', atAdmission: false, description: 'a leg of the settlement is not yet allocated by its sender or approved by its receiver' },
  locked_amount_exceeded: { retryable: false, kind: 'refused', atAdmission: false, description: 'the arbiter awards the payee more than is locked' },
  allowance_exceeded: { retryable: true, kind: 'refused', atAdmission: false, description: "the amount exceeds the minter's remaining allowance" },
  counterparty_not_allowed: { retryable: false, kind: 'refused', atAdmission: false, description: "the paying account's policy does not allow paying the receiving account's owner" },
  payment_limit_exceeded: { retryable: false, kind: 'refused', atAdmission: false, description: "the amount is above the paying account's per-payment limit" },
  daily_limit_exceeded: { retryable: true, kind: 'refused', atAdmission: false, description: "the payment would take the paying account past its daily limit (UTC days of block time)" },
  par_cap_exceeded: { retryable: true, kind: 'refused', atAdmission: false, description: "the payment at par would take what the payer's bank owes the payee's bank today, net, past the cap the payee's bank set" },
  instruction_limit_reached: { retryable: true, kind: 'refused', atAdmission: false, description: 'the account paid from (or kept funded by a top-up) already has the most standing instructions allowed (16 in force): cancel one first' },
  insufficient_funds: { retryable: true, kind: 'refused', atAdmission: false, description: 'the available balance is below the amount' },
  proposal_failed: { retryable: true, kind: 'refused', atAdmission: false, description: "the last approval would run the proposal, and one of its operations fails now (the explanation says why); the proposal stays pending" },
  amount_overflow: { retryable: false, kind: 'refused', atAdmission: false, description: "a balance or the supply would pass the ledger's ceiling (2^127 − 1 minor units)" },
} as const satisfies Record<string, RejectionCodeDefinition>;

export type RejectionCode = keyof typeof REJECTION_CODES;

export const REJECTION_PRECEDENCE = Object.keys(REJECTION_CODES) as RejectionCode[];

/** Where a code stands in the precedence: lower wins. */
export function precedenceOf(code: RejectionCode): number {
  return REJECTION_PRECEDENCE.indexOf(code);
}
