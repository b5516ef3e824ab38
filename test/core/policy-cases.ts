import type { Operation } from '../../src/core/index.js';
import type { Case } from './fixture.js';

/** Table cases for account policies, dual control and proposals: every code the family answers, and its precedence. */

/** Acme's treasurer approves payments from acme-usd above 500.00. */
export function makerChecker(extra: Partial<Extract<Operation, { type: 'set_account_policy' }>> = {}): Operation {
  return { type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '500.00', ...extra };
}
export const policy: [string, Operation[]] = ['acme', [makerChecker()]];
export const pay = (amount: string, to = 'globex-usd'): Operation => ({ type: 'transfer', from: 'acme-usd', to, amount });
/** A payment of 600.00 held back as proposal-1. */
export const heldBack: [string, Operation[]][] = [policy, ['acme', [pay('600.00')]]];
const approve: Operation = { type: 'approve_proposal', proposal: 'proposal-1' };
const reject: Operation = { type: 'reject_proposal', proposal: 'proposal-1' };
export const dualControl: [string, Operation[]] = ['operator', [{ type: 'set_control_policy', approvers: ['duty-officer'], approvalsRequired: 1, acts: ['force_transfer', 'unfreeze_account', 'change_roles'] }]];

export const POLICY_CASES: Case[] = [
  { name: 'policy: the owner sets maker-checker on its account', signers: 'acme', operations: [makerChecker()], expect: null },
  { name: 'policy: an unknown approver', signers: 'acme', operations: [makerChecker({ approvers: ['nobody'] })], expect: 'participant_not_found' },
  { name: 'policy: an unknown counterparty', signers: 'acme', operations: [makerChecker({ counterparties: ['nobody'] })], expect: 'participant_not_found' },
  { name: 'policy: on an unknown account', signers: 'acme', operations: [makerChecker({ account: 'nope' })], expect: 'account_not_found' },
  { name: 'policy: a limit that is not an amount', signers: 'acme', operations: [makerChecker({ dailyLimit: '1e6' })], expect: 'invalid_amount' },
  { name: 'policy: a threshold more precise than the asset', signers: 'acme', operations: [makerChecker({ approvalAbove: '500.001' })], expect: 'amount_too_precise' },
  { name: 'policy: more approvals than approvers', signers: 'acme', operations: [makerChecker({ approvalsRequired: 2 })], expect: 'invalid_policy' },
  { name: 'policy: set by someone other than the owner', signers: 'globex', operations: [makerChecker()], expect: 'not_authorized' },
  { name: 'policy: removing a policy there is not', signers: 'acme', operations: [{ type: 'remove_account_policy', account: 'acme-usd' }], expect: 'policy_not_found' },
  { name: 'policy: a payment to a counterparty it does not allow', given: [['acme', [makerChecker({ counterparties: ['initech'] })]]], signers: 'acme', operations: [pay('1.00')], expect: 'counterparty_not_allowed' },
  { name: 'policy: a payment above the per-payment limit', given: [['acme', [makerChecker({ perPaymentLimit: '700.00' })]]], signers: 'acme', operations: [pay('700.01')], expect: 'payment_limit_exceeded' },
  { name: 'policy: payments past the daily limit', given: [['acme', [makerChecker({ dailyLimit: '300.00' })]], ['acme', [pay('200.00')]]], signers: 'acme', operations: [pay('100.01')], expect: 'daily_limit_exceeded' },
  { name: 'policy: precedence: the limit before insufficient funds', given: [['acme', [makerChecker({ perPaymentLimit: '700.00' })]]], signers: 'acme', operations: [pay('5000.00')], expect: 'payment_limit_exceeded' },
  { name: 'policy: a payment above the threshold is held back, not refused', given: [policy], signers: 'acme', operations: [pay('600.00')], expect: null },
  { name: 'proposal: approving one there is not', signers: 'acme-treasurer', operations: [approve], expect: 'proposal_not_found' },
  { name: 'proposal: approving without being named', given: heldBack, signers: 'globex', operations: [approve], expect: 'not_an_approver' },
  { name: 'proposal: the proposer approving its own', given: [['acme', [makerChecker({ approvers: ['acme', 'acme-treasurer'] })]], ['acme', [pay('600.00')]]], signers: 'acme', operations: [approve], expect: 'own_proposal' },
  { name: 'proposal: approving one that was rejected', given: [...heldBack, ['acme-treasurer', [reject]]], signers: 'acme-treasurer', operations: [approve], expect: 'proposal_closed' },
  { name: 'proposal: approving twice', given: [['acme', [makerChecker({ approvers: ['acme-treasurer', 'initech'], approvalsRequired: 2 })]], ['acme', [pay('600.00')]], ['acme-treasurer', [approve]]], signers: 'acme-treasurer', operations: [approve], expect: 'approval_already_given' },
  { name: 'proposal: the last approval, when the payment would now fail', given: [...heldBack, ['acme', [pay('900.00', 'acme-usd'), pay('500.00', 'initech-usd')]]], signers: 'acme-treasurer', operations: [approve], expect: 'proposal_failed' },
  { name: 'proposal: the last approval runs it', given: heldBack, signers: 'acme-treasurer', operations: [approve], expect: null },
  { name: 'dual control: a participant cannot be its own second officer', signers: 'operator', operations: [{ type: 'set_control_policy', approvers: ['operator'], approvalsRequired: 1, acts: ['force_transfer'] }], expect: 'invalid_policy' },
  { name: 'dual control: a threshold for an asset it neither issues nor mints', signers: 'first-meridian', operations: [{ type: 'set_control_policy', approvers: ['operator'], approvalsRequired: 1, acts: ['issue'], issueThresholds: [{ asset: 'sgd-scb', above: '1.00' }] }], expect: 'invalid_policy' },
  { name: 'dual control: a minter sets a threshold on the asset it mints', signers: 'banking', operations: [{ type: 'set_control_policy', approvers: ['first-meridian'], approvalsRequired: 1, acts: ['issue'], issueThresholds: [{ asset: 'usd-fmb', above: '1000000.00' }] }], expect: null },
  { name: 'dual control: a threshold on an unknown asset', signers: 'first-meridian', operations: [{ type: 'set_control_policy', approvers: ['operator'], approvalsRequired: 1, acts: ['issue'], issueThresholds: [{ asset: 'eur-x', above: '1.00' }] }], expect: 'asset_not_found' },
  { name: 'dual control: clients have none to set', signers: 'acme', operations: [{ type: 'set_control_policy', approvers: ['operator'], approvalsRequired: 1, acts: [] }], expect: 'not_authorized' },
  { name: 'dual control: the operator sets it', given: [dualControl], signers: 'operator', operations: [{ type: 'unfreeze_account', account: 'acme-usd' }], expect: null },
];
