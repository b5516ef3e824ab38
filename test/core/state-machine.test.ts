import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTransaction, beginBlock, checkInvariants, expiredHoldsOf, HOLD_DURATION_MAX_MS, REJECTION_PRECEDENCE, touchedAccounts, type Operation, type TransactionBody } from '../../src/core/index.js';
import { CONDITIONAL_CASES } from './conditional-cases.js';
import { INSTRUCTION_CASES } from './instruction-cases.js';
import { PAR_CASES } from './par-cases.js';
import { POLICY_CASES } from './policy-cases.js';
import { SETTLEMENT_CASES } from './settlement-cases.js';
import { fundedFixture, SALT, T0, type Case, type CoreFixture } from './fixture.js';

const transfer = (from: string, to: string, amount: string): Operation => ({ type: 'transfer', from, to, amount });
const issue = (account: string, amount: string): Operation => ({ type: 'issue', account, amount, depositReference: 'DEP' });
const force = (from: string, to: string, amount: string): Operation => ({ type: 'force_transfer', from, to, amount, reason: 'court_order', legalReference: 'SDNY 1:26-cv-01234, order of 2026-11-20' });
const hold = (id: string, amount: string, expiresAtMs = T0 + 3_600_000): Operation => ({ type: 'hold', hold: id, from: 'acme-usd', to: 'globex-usd', amount, expiresAtMs });

const frozen = (account: string): [string, Operation[]] => ['operator', [{ type: 'freeze_account', account }]];
const paused: [string, Operation[]] = ['operator', [{ type: 'pause_asset', asset: 'usd-fmb' }]];
const kyc = (participant: string, kycStatus: 'suspended' | 'approved', kycExpiresAtMs: number | null = null): [string, Operation[]] => ['operator', [{ type: 'update_participant', participant, changes: { kycStatus, kycExpiresAtMs } }]];

/** The ledger's ceiling in USD (2 decimals), and the funded fixture's supply brought exactly to it (it holds 3,000.00 already). */
const CEILING_USD = '1701411834604692317316873037158841057.27';
const SUPPLY_AT_CEILING: [string, Operation[]][] = [
  ['first-meridian', [{ type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: CEILING_USD }]],
  ['first-meridian', [issue('first-meridian-usd', '1701411834604692317316873037158838057.27')]],
];

const CASES: Case[] = [
  ...CONDITIONAL_CASES,
  ...SETTLEMENT_CASES,
  ...POLICY_CASES,
  ...INSTRUCTION_CASES,
  ...PAR_CASES,
  // Reconciliation attestations: the issuer's minter attests; figures without breaks must add up.
  { name: 'a reconciliation whose figures do not add up, attested without breaks', signers: 'banking', operations: [{ type: 'attest_reconciliation', asset: 'usd-fmb', statement: 'STMT-1', statementHash: 'ab'.repeat(32), cutoffMs: 0, statementBalance: '10.00', supply: '9.00', creditsInTransit: '0.50', payoutsInTransit: '0.00', breaks: 0 }], expect: 'invalid_reconciliation' },
  // Transfers: success and each rejection.
  { name: 'transfer commits', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '250.00')], expect: null },
  { name: 'a delegate may not move funds it was not delegated', signers: 'globex', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'not_authorized' },
  { name: 'transfer from an unknown account', signers: 'acme', operations: [transfer('nope', 'globex-usd', '1.00')], expect: 'account_not_found' },
  { name: 'transfer to an unknown account', signers: 'acme', operations: [transfer('acme-usd', 'nope', '1.00')], expect: 'account_not_found' },
  { name: 'zero amount', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '0')], expect: 'invalid_amount' },
  { name: 'malformed amount', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '-1.00')], expect: 'invalid_amount' },
  { name: 'more decimals than the asset', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.001')], expect: 'amount_too_precise' },
  { name: 'an amount beyond the ceiling can never be valid', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '9'.repeat(39))], expect: 'invalid_amount' },
  { name: 'an amount beyond the ceiling is invalid before it is insufficient', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1701411834604692317316873037158841057.28')], expect: 'invalid_amount' },
  { name: 'a hold beyond the ceiling is invalid, not recorded as an overflow', given: [['acme', [hold('h', '10.00')]]], signers: 'acme', operations: [{ type: 'post', hold: 'h', amount: '9'.repeat(38) }], expect: 'invalid_amount' },
  { name: 'a sum past the ceiling overflows', given: SUPPLY_AT_CEILING, signers: 'first-meridian', operations: [issue('globex-usd', '0.01')], expect: 'amount_overflow' },
  { name: 'different assets', signers: 'acme', operations: [transfer('acme-usd', 'globex-sgd', '1.00')], expect: 'asset_mismatch' },
  // The Travel Rule, once compliance switched it on for payments from the US in dollars: across borders at or above the threshold, the data's hash is carried.
  { name: 'a trade agreement with the same buyer and seller', signers: 'acme', operations: [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'acme' }], expect: 'invalid_agreement' },
  { name: 'a trade agreement signed by neither party', signers: 'initech', operations: [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }], expect: 'not_authorized' },
  { name: 'another hash for the version the buyer signed', given: [['acme', [{ type: 'sign_agreement', agreement: 'trade-1', version: 2, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }]]], signers: 'globex', operations: [{ type: 'sign_agreement', agreement: 'trade-1', version: 2, hash: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', buyer: 'acme', seller: 'globex' }], expect: 'agreement_mismatch' },
  { name: 'an earlier version than the one standing', given: [['acme', [{ type: 'sign_agreement', agreement: 'trade-1', version: 2, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }]]], signers: 'globex', operations: [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }], expect: 'agreement_mismatch' },
  { name: 'the same party signing twice', given: [['acme', [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }]]], signers: 'acme', operations: [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }], expect: 'agreement_already_signed' },
  { name: 'the seller concluding what the buyer signed', given: [['acme', [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }]]], signers: 'globex', operations: [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', buyer: 'acme', seller: 'globex' }], expect: null },
  { name: 'lifting a throttle on minting that is not throttled', signers: 'reserves', operations: [{ type: 'lift_minting_throttle', asset: 'hkd-hsi', reason: 'coverage 120%' }], expect: 'minting_not_throttled' },
  { name: 'a throttle lifted, by the manager that set it', given: [['reserves', [{ type: 'throttle_minting', asset: 'hkd-hsi', ceiling: '0.00', reason: 'coverage 99%' }]]], signers: 'reserves', operations: [{ type: 'lift_minting_throttle', asset: 'hkd-hsi', reason: 'coverage 120%' }], expect: null },
  { name: 'a payment from the US to Singapore at the threshold without Travel Rule data', given: [['operator', [{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD' }]]], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1000.00')], expect: 'travel_rule_required' },
  { name: 'a payment from the US to Singapore below the threshold needs none', given: [['operator', [{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD' }]]], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '999.99')], expect: null },
  { name: 'a payment carrying the hash of its Travel Rule data', given: [['operator', [{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD' }]]], signers: 'acme', operations: [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1000.00', travelRule: 'ab'.repeat(32) }], expect: null },
  { name: 'a payment within one jurisdiction needs none', given: [['operator', [{ type: 'set_travel_rule_threshold', jurisdiction: 'SG', currency: 'USD', amount: '1.00' }]]], signers: 'globex', operations: [transfer('globex-usd', 'globex-usd', '500.00')], expect: null },
  { name: 'the threshold is the payer\'s jurisdiction\'s: from Singapore (at any amount), none set', given: [['operator', [{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD', amount: '1.00' }]]], signers: 'globex', operations: [transfer('globex-usd', 'acme-usd', '100.00')], expect: null },
  { name: 'payer KYC suspended', given: [kyc('acme', 'suspended')], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'kyc_not_approved' },
  { name: 'payee KYC suspended', given: [kyc('globex', 'suspended')], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'kyc_not_approved' },
  { name: 'payer KYC expired', given: [kyc('acme', 'approved', T0 + 500)], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'kyc_expired' },
  { name: 'payer frozen', given: [frozen('acme-usd')], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'account_frozen' },
  { name: 'payee frozen', given: [frozen('globex-usd')], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'account_frozen' },
  { name: 'asset paused', given: [paused], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'asset_paused' },
  { name: 'insufficient funds', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1000.01')], expect: 'insufficient_funds' },
  { name: 'atomic: a later failing operation undoes the earlier ones', signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '600.00'), transfer('acme-usd', 'globex-usd', '600.00')], expect: 'insufficient_funds', operation: 1 },

  // Issue and redeem.
  { name: 'issuer mints', signers: 'first-meridian', operations: [issue('acme-usd', '5.00')], expect: null },
  { name: 'a client cannot mint', signers: 'acme', operations: [issue('acme-usd', '5.00')], expect: 'not_authorized' },
  { name: 'an issuer cannot mint another issuer\'s asset', signers: 'straits-bank', operations: [issue('acme-usd', '5.00')], expect: 'not_authorized' },
  { name: 'the operator cannot mint', signers: 'operator', operations: [issue('acme-usd', '5.00')], expect: 'not_authorized' },
  { name: 'minting past the allowance', given: [['first-meridian', [{ type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: '10.00' }]]], signers: 'first-meridian', operations: [issue('acme-usd', '10.01')], expect: 'allowance_exceeded' },
  { name: 'a minter stripped of the issuer role cannot mint on its old allowance', given: [['operator', [{ type: 'update_participant', participant: 'first-meridian', changes: { roles: ['client'] } }]]], signers: 'first-meridian', operations: [issue('acme-usd', '1.00')], expect: 'not_authorized' },
  { name: 'minting into a frozen account', given: [frozen('acme-usd')], signers: 'first-meridian', operations: [issue('acme-usd', '1.00')], expect: 'account_frozen' },
  { name: 'minting a paused asset', given: [paused], signers: 'first-meridian', operations: [issue('acme-usd', '1.00')], expect: 'asset_paused' },
  { name: 'redeem with holder and issuer signatures', signers: ['acme', 'first-meridian'], operations: [{ type: 'redeem', account: 'acme-usd', amount: '100.00', payoutReference: 'P' }], expect: null },
  { name: 'redeem without the issuer', signers: 'acme', operations: [{ type: 'redeem', account: 'acme-usd', amount: '100.00', payoutReference: 'P' }], expect: 'not_authorized' },
  { name: 'the issuer cannot burn a client balance alone', signers: 'first-meridian', operations: [{ type: 'redeem', account: 'acme-usd', amount: '100.00', payoutReference: 'P' }], expect: 'not_authorized' },
  { name: 'redeem more than available', signers: ['acme', 'first-meridian'], operations: [{ type: 'redeem', account: 'acme-usd', amount: '1000.01', payoutReference: 'P' }], expect: 'insufficient_funds' },

  // Holds.
  { name: 'hold commits', signers: 'acme', operations: [hold('h', '10.00')], expect: null },
  { name: 'hold id reused', given: [['acme', [hold('h', '10.00')]]], signers: 'acme', operations: [hold('h', '10.00')], expect: 'already_exists' },
  { name: 'hold already expired', signers: 'acme', operations: [hold('h', '10.00', T0 + 1000)], expect: 'invalid_expiry' },
  { name: 'hold too long', signers: 'acme', operations: [hold('h', '10.00', T0 + 1001 + HOLD_DURATION_MAX_MS)], expect: 'invalid_expiry' },
  { name: 'hold beyond available', signers: 'acme', operations: [hold('h', '1000.01')], expect: 'insufficient_funds' },
  { name: 'post in part', given: [['acme', [hold('h', '10.00')]]], signers: 'acme', operations: [{ type: 'post', hold: 'h', amount: '6.00' }], expect: null },
  { name: 'post by the payee is refused', given: [['acme', [hold('h', '10.00')]]], signers: 'globex', operations: [{ type: 'post', hold: 'h' }], expect: 'not_authorized' },
  { name: 'post more than held', given: [['acme', [hold('h', '10.00')]]], signers: 'acme', operations: [{ type: 'post', hold: 'h', amount: '10.01' }], expect: 'hold_amount_exceeded' },
  { name: 'post twice', given: [['acme', [hold('h', '10.00')]], ['acme', [{ type: 'post', hold: 'h', amount: '1.00' }]]], signers: 'acme', operations: [{ type: 'post', hold: 'h' }], expect: 'hold_already_resolved' },
  { name: 'post after void', given: [['acme', [hold('h', '10.00')]], ['acme', [{ type: 'void', hold: 'h' }]]], signers: 'acme', operations: [{ type: 'post', hold: 'h' }], expect: 'hold_already_resolved' },
  { name: 'post after expiry', given: [['acme', [hold('h', '10.00', T0 + 2000)]]], signers: 'acme', operations: [{ type: 'post', hold: 'h' }], expect: 'hold_expired', atMs: T0 + 2000 },
  { name: 'void by the payee', given: [['acme', [hold('h', '10.00')]]], signers: 'globex', operations: [{ type: 'void', hold: 'h' }], expect: null },
  { name: 'void by a stranger', given: [['acme', [hold('h', '10.00')]]], signers: 'initech', operations: [{ type: 'void', hold: 'h' }], expect: 'not_authorized' },
  { name: 'void an unknown hold', signers: 'acme', operations: [{ type: 'void', hold: 'nope' }], expect: 'hold_not_found' },

  // Administration.
  { name: 'an account for an unknown participant', signers: 'operator', operations: [{ type: 'open_account', account: 'x-usd', owner: 'nobody', asset: 'usd-fmb' }], expect: 'participant_not_found' },
  { name: 'an account of an unknown asset', signers: 'operator', operations: [{ type: 'open_account', account: 'acme-eur', owner: 'acme', asset: 'eur-x' }], expect: 'asset_not_found' },
  { name: 'only the operator defines assets', signers: 'first-meridian', operations: [{ type: 'define_asset', asset: 'eur-fmb', kind: 'deposit_token', code: 'EUR', decimals: 2, issuer: 'first-meridian' }], expect: 'not_authorized' },
  { name: 'an asset needs an issuer', signers: 'operator', operations: [{ type: 'define_asset', asset: 'eur-x', kind: 'deposit_token', code: 'EUR', decimals: 2, issuer: 'acme' }], expect: 'invalid_role' },
  { name: 'asset id taken', signers: 'operator', operations: [{ type: 'define_asset', asset: 'usd-fmb', kind: 'deposit_token', code: 'USD', decimals: 2, issuer: 'first-meridian' }], expect: 'already_exists' },
  // Forced transfers: compliance sends, the issuer co-signs; the payer's consent and freeze do not matter.
  { name: 'a forced transfer out of a frozen account, by compliance with the issuer', given: [frozen('acme-usd')], signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-usd', '400.00')], expect: null },
  { name: 'a forced transfer needs the issuer\'s signature too', signers: 'operator', operations: [force('acme-usd', 'globex-usd', '1.00')], expect: 'not_authorized' },
  { name: 'a client may not force a transfer, even with the issuer', signers: ['acme', 'first-meridian'], operations: [force('globex-usd', 'acme-usd', '1.00')], expect: 'not_authorized' },
  { name: 'the issuer alone may not force a transfer', signers: 'first-meridian', operations: [force('acme-usd', 'globex-usd', '1.00')], expect: 'not_authorized' },
  { name: 'a forced transfer into a frozen account', given: [frozen('globex-usd')], signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-usd', '1.00')], expect: 'account_frozen' },
  { name: 'a forced transfer to a payee whose KYC is suspended', given: [kyc('globex', 'suspended')], signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-usd', '1.00')], expect: 'kyc_not_approved' },
  { name: 'a forced transfer from a payer whose KYC is suspended', given: [kyc('acme', 'suspended')], signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-usd', '1.00')], expect: null },
  { name: 'a forced transfer of more than available', signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-usd', '1000.01')], expect: 'insufficient_funds' },
  { name: 'a forced transfer of a paused asset', given: [paused], signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-usd', '1.00')], expect: 'asset_paused' },
  { name: 'a forced transfer between assets', signers: ['operator', 'first-meridian'], operations: [force('acme-usd', 'globex-sgd', '1.00')], expect: 'asset_mismatch' },
  { name: 'precedence: a forced transfer to an unknown account is not found before it is unsigned', signers: 'operator', operations: [force('acme-usd', 'nope', '1.00')], expect: 'account_not_found' },
  { name: 'only compliance freezes', signers: 'acme', operations: [{ type: 'freeze_account', account: 'globex-usd' }], expect: 'not_authorized' },
  { name: 'auditors change nothing', signers: 'auditor', operations: [{ type: 'freeze_account', account: 'globex-usd' }], expect: 'not_authorized' },
  { name: 'a client opens its own account', signers: 'acme', operations: [{ type: 'open_account', account: 'acme-usd-2', owner: 'acme', asset: 'usd-fmb' }], expect: null },
  { name: 'a client cannot open accounts for others', signers: 'acme', operations: [{ type: 'open_account', account: 'x-usd', owner: 'globex', asset: 'usd-fmb' }], expect: 'not_authorized' },
  { name: 'no account for a participant without KYC', given: [kyc('initech', 'suspended')], signers: 'operator', operations: [{ type: 'open_account', account: 'initech-usd-2', owner: 'initech', asset: 'usd-fmb' }], expect: 'kyc_not_approved' },
  { name: 'only the issuer names minters', signers: 'operator', operations: [{ type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: '1.00' }], expect: 'not_authorized' },
  { name: 'the operator (here also compliance) suspends KYC', signers: 'operator', operations: [{ type: 'update_participant', participant: 'acme', changes: { kycStatus: 'suspended' } }], expect: null },
  { name: 'clients cannot register participants', signers: 'acme', operations: [{ type: 'update_participant', participant: 'acme', changes: { roles: ['issuer'] } }], expect: 'not_authorized' },
  { name: 'only the operator or the issuer pauses', signers: 'acme', operations: [{ type: 'pause_asset', asset: 'usd-fmb' }], expect: 'not_authorized' },
  { name: 'the issuer pauses its asset', signers: 'first-meridian', operations: [{ type: 'pause_asset', asset: 'usd-fmb' }], expect: null },

  // Who may initiate: an auditor signs nothing that changes the ledger, and holds no account.
  { name: 'an auditor may not open an account for itself', signers: 'auditor', operations: [{ type: 'open_account', account: 'auditor-usd', owner: 'auditor', asset: 'usd-fmb' }], expect: 'invalid_role' },
  { name: 'nobody opens an account for an auditor', signers: 'operator', operations: [{ type: 'open_account', account: 'auditor-usd', owner: 'auditor', asset: 'usd-fmb' }], expect: 'invalid_role' },
  { name: 'an auditor may not pay, even as a delegate', given: [['operator', [{ type: 'update_participant', participant: 'acme', changes: { delegates: ['auditor'] } }]]], signers: 'auditor', operations: [transfer('acme-usd', 'globex-usd', '0.50')], expect: 'not_authorized' },
  { name: 'compliance alone may not change roles', given: [['operator', [{ type: 'register_participant', participant: { id: 'kyc-desk', legalName: 'KYC Desk', lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: ['compliance'], kycStatus: 'approved', keys: [{ id: 'k', publicKey: 'A'.repeat(43) }] } }]]], signers: 'kyc-desk', operations: [{ type: 'update_participant', participant: 'acme', changes: { roles: ['issuer'] } }], expect: 'not_authorized' },

  // Precedence: where several reasons apply, the earliest in REJECTION_CODES is reported.
  // The first five rows are the precedence faults a review found in the former hand-written handlers.
  { name: 'precedence: a hold from an unknown account is not found before its id is taken', given: [['acme', [hold('h', '10.00')]]], signers: 'acme', operations: [{ type: 'hold', hold: 'h', from: 'nope', to: 'globex-usd', amount: '1.00', expiresAtMs: T0 + 3_600_000 }], expect: 'account_not_found' },
  { name: 'precedence: an unknown minter is not found before an unknown asset', signers: 'first-meridian', operations: [{ type: 'configure_minter', asset: 'eur-x', minter: 'nobody', allowance: '1.00' }], expect: 'participant_not_found' },
  { name: 'precedence: a missing delegate is not found before the participant id is taken', signers: 'operator', operations: [{ type: 'register_participant', participant: { id: 'acme', legalName: 'Acme', lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: ['client'], kycStatus: 'approved', keys: [{ id: 'k', publicKey: 'A'.repeat(43) }], delegates: ['nobody'] } }], expect: 'participant_not_found' },
  { name: 'precedence: an impossible amount is invalid, never an overflow answered before authorization', signers: 'acme', operations: [issue('acme-usd', '9'.repeat(37))], expect: 'invalid_amount' },
  { name: 'precedence: not authorized before an amount that would overflow', given: SUPPLY_AT_CEILING, signers: 'acme', operations: [issue('acme-usd', '1.00')], expect: 'not_authorized' },
  { name: 'precedence: an unknown sender is not signed, before anything else', signers: ['acme'], sender: 'nobody', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'sender_not_signed', operation: null },
  { name: 'precedence: not found before not authorized', signers: 'globex', operations: [transfer('acme-usd', 'nope', '1.00')], expect: 'account_not_found' },
  { name: 'precedence: not authorized before frozen', given: [frozen('acme-usd')], signers: 'globex', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'not_authorized' },
  { name: 'precedence: KYC before frozen', given: [frozen('acme-usd'), kyc('acme', 'suspended')], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'kyc_not_approved' },
  { name: 'precedence: frozen before paused', given: [frozen('acme-usd'), paused], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '1.00')], expect: 'account_frozen' },
  { name: 'precedence: paused before insufficient funds', given: [paused], signers: 'acme', operations: [transfer('acme-usd', 'globex-usd', '5000.00')], expect: 'asset_paused' },
  { name: 'precedence: allowance before overflow', given: [['first-meridian', [{ type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: '1.00' }]]], signers: 'first-meridian', operations: [issue('acme-usd', '9'.repeat(30))], expect: 'allowance_exceeded' },
  { name: 'precedence: resolved before amount exceeded', given: [['acme', [hold('h', '10.00')]], ['acme', [{ type: 'void', hold: 'h' }]]], signers: 'acme', operations: [{ type: 'post', hold: 'h', amount: '20.00' }], expect: 'hold_already_resolved' },
];

function run(fixture: CoreFixture, testCase: Case): void {
  for (const [signers, operations] of testCase.given ?? []) {
    assert.deepEqual(fixture.apply(signers, operations), { status: 'committed' }, `setup of "${testCase.name}"`);
  }
  const before = JSON.stringify([...fixture.state.accounts.values()], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const result = fixture.apply(testCase.signers, testCase.operations, testCase.atMs, testCase.sender);
  if (testCase.expect === null) {
    assert.deepEqual(result, { status: 'committed' });
  } else {
    assert.deepEqual(result, { status: 'rejected', code: testCase.expect, operation: testCase.operation === undefined ? 0 : testCase.operation });
    const after = JSON.stringify([...fixture.state.accounts.values()], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    assert.equal(after, before, 'a rejected transaction changes no balance');
  }
  assert.deepEqual(checkInvariants(fixture.state), []);
}

describe('state machine', () => {
  for (const testCase of CASES) it(testCase.name, () => run(fundedFixture(), testCase));

  it('has a case for every operation-level rejection code', () => {
    const covered = new Set(CASES.map((c) => c.expect));
    const transactionLevel = new Set(['transaction_expired', 'duplicate_transaction', 'sender_not_signed']);
    assert.deepEqual(REJECTION_PRECEDENCE.filter((code) => !covered.has(code) && !transactionLevel.has(code)), []);
  });

  it('moves exactly the amounts of a hold posted in part', () => {
    const f = fundedFixture();
    f.apply('acme', [hold('h', '10.00')]);
    assert.equal(f.state.accounts.get('acme-usd')?.heldMinor, 1000n);
    f.apply('acme', [{ type: 'post', hold: 'h', amount: '6.00' }]);
    assert.equal(f.state.accounts.get('acme-usd')?.availableMinor, 100_000n - 600n);
    assert.equal(f.state.accounts.get('acme-usd')?.heldMinor, 0n);
    assert.equal(f.state.accounts.get('globex-usd')?.availableMinor, 100_000n + 600n);
    assert.equal(f.state.holds.get('h')?.status, 'posted');
  });

  it('spends the minter allowance and grows the supply', () => {
    const f = fundedFixture();
    const before = f.state.allowances.get('usd-fmb/first-meridian')?.remainingMinor ?? 0n;
    f.apply('first-meridian', [issue('acme-usd', '12.34')]);
    assert.equal(f.state.allowances.get('usd-fmb/first-meridian')?.remainingMinor, before - 1234n);
    assert.equal(f.state.assets.get('usd-fmb')?.issuedMinor, 300_000n + 1234n);
  });

  it('expires a hold at the first block at or after its expiry, returning the funds', () => {
    const f = fundedFixture();
    f.apply('acme', [hold('h', '10.00', T0 + 5000)]);
    assert.deepEqual(expiredHoldsOf(beginBlock(f.state, T0 + 4999)), []);
    assert.deepEqual(expiredHoldsOf(beginBlock(f.state, T0 + 5000)), ['h']);
    assert.equal(f.state.holds.get('h')?.status, 'expired');
    assert.equal(f.state.accounts.get('acme-usd')?.availableMinor, 100_000n);
    assert.equal(f.state.accounts.get('acme-usd')?.heldMinor, 0n);
    assert.deepEqual(f.apply('acme', [{ type: 'void', hold: 'h' }], T0 + 6000), { status: 'rejected', code: 'hold_expired', operation: 0 });
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('applies each operation of a non-atomic transaction on its own and lists the failures', () => {
    const f = fundedFixture();
    const body: TransactionBody = {
      network: 'core-test', id: 'bulk', sender: 'acme', validUntilMs: T0 + 60_000, atomic: false, salt: SALT,
      operations: [transfer('acme-usd', 'globex-usd', '100.00'), transfer('acme-usd', 'globex-usd', '5000.00'), transfer('acme-usd', 'nope', '1.00'), transfer('acme-usd', 'initech-usd', '50.00')],
    };
    const applied = applyTransaction(f.state, { body, signers: new Set(['acme']) }, T0 + 1000);
    assert.deepEqual(applied.result, { status: 'committed', rejected: [{ code: 'insufficient_funds', operation: 1 }, { code: 'account_not_found', operation: 2 }] });
    assert.equal(f.state.accounts.get('acme-usd')?.availableMinor, 100_000n - 15_000n);
    assert.equal(f.state.accounts.get('globex-usd')?.availableMinor, 110_000n);
    assert.equal(f.state.accounts.get('initech-usd')?.availableMinor, 105_000n);
    assert.deepEqual(touchedAccounts(applied), ['acme-usd', 'globex-usd', 'initech-usd']);
    assert.deepEqual(applied.events.map((e) => [e.operation, e.event.type]), [[0, 'transferred'], [1, 'operation_rejected'], [2, 'operation_rejected'], [3, 'transferred']]);
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('lets a gateway pay for the participants that named it as their delegate', () => {
    const f = fundedFixture();
    f.apply('operator', [{ type: 'update_participant', participant: 'acme', changes: { delegates: ['initech'] } }]);
    assert.deepEqual(f.apply('initech', [transfer('acme-usd', 'globex-usd', '1.00')]), { status: 'committed' });
    assert.deepEqual(f.apply('initech', [transfer('globex-usd', 'acme-usd', '1.00')]), { status: 'rejected', code: 'not_authorized', operation: 0 });
  });

  it('rejects an expired transaction and a reused id before anything else', () => {
    const f = fundedFixture();
    const body = { network: 'core-test', id: 'once', sender: 'acme', validUntilMs: T0 + 5000, operations: [transfer('acme-usd', 'globex-usd', '1.00')], salt: SALT };
    const signers = new Set(['acme']);
    assert.deepEqual(applyTx(f, body, signers, T0 + 1000), { status: 'committed' });
    assert.deepEqual(applyTx(f, body, signers, T0 + 2000), { status: 'rejected', code: 'duplicate_transaction', operation: null });
    assert.deepEqual(applyTx(f, { ...body, id: 'late' }, signers, T0 + 6000), { status: 'rejected', code: 'transaction_expired', operation: null });
    assert.deepEqual(applyTx(f, { ...body, id: 'unsigned' }, new Set(['globex']), T0 + 1000), { status: 'rejected', code: 'sender_not_signed', operation: null });
  });
});

function applyTx(f: CoreFixture, body: TransactionBody, signers: Set<string>, atMs: number) {
  return applyTransaction(f.state, { body, signers }, atMs).result;
}
