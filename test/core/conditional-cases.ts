import type { Operation } from '../../src/core/index.js';
import { T0, type Case } from './fixture.js';

/** Table cases for conditional payments: every code the family answers, and its precedence. */

const DEADLINE = T0 + 30 * 24 * 3_600_000;
const DOC = 'a'.repeat(64);

type TrancheSpec = Extract<Operation, { type: 'conditional_payment' }>['tranches'][number];

/** 100.00 from acme to globex: 30.00 approved by initech, 70.00 on a bill of lading from the carrier. */
export function milestones(id = 'deal', extra: Partial<Extract<Operation, { type: 'conditional_payment' }>> = {}, tranches?: TrancheSpec[]): Operation {
  return {
    type: 'conditional_payment', payment: id, from: 'acme-usd', to: 'globex-usd', amount: '100.00', deadlineMs: DEADLINE, arbiter: 'operator',
    tranches: tranches ?? [
      { tranche: 'signing', amount: '30.00', approvers: ['initech'] },
      { tranche: 'shipment', amount: '70.00', attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] },
    ],
    ...extra,
  };
}

function withoutArbiter(): Operation {
  const { arbiter: _arbiter, ...rest } = milestones() as Extract<Operation, { type: 'conditional_payment' }>;
  return rest;
}

const approve = (tranche: string, payment = 'deal'): Operation => ({ type: 'approve_conditional', payment, tranche });
const attest = (tranche: string, documentType = 'bill_of_lading', payment = 'deal'): Operation => ({ type: 'attest', payment, tranche, documentType, documentHash: DOC });
const release = (tranche: string, payment = 'deal'): Operation => ({ type: 'release_conditional', payment, tranche });
const created: [string, Operation[]] = ['acme', [milestones()]];
const disputed: [string, Operation[]] = ['globex', [{ type: 'dispute_conditional', payment: 'deal', reason: 'goods not as described' }]];
const frozenGlobex: [string, Operation[]] = ['operator', [{ type: 'freeze_account', account: 'globex-usd' }]];

export const CONDITIONAL_CASES: Case[] = [
  { name: 'conditional: a payer locks funds in milestones', signers: 'acme', operations: [milestones()], expect: null },
  { name: 'conditional: an approver unknown to the ledger', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'all', amount: '100.00', approvers: ['nobody'] }])], expect: 'participant_not_found' },
  { name: 'conditional: an id already taken', given: [created], signers: 'acme', operations: [milestones()], expect: 'already_exists' },
  { name: 'conditional: a zero tranche', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'a', amount: '100.00' }, { tranche: 'b', amount: '0' }])], expect: 'invalid_amount' },
  { name: 'conditional: a tranche more precise than the asset', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'a', amount: '99.995' }, { tranche: 'b', amount: '0.005' }])], expect: 'amount_too_precise' },
  { name: 'conditional: a deadline in the past', signers: 'acme', operations: [milestones('deal', { deadlineMs: T0 })], expect: 'invalid_deadline' },
  { name: 'conditional: tranches that do not add up', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'a', amount: '60.00' }, { tranche: 'b', amount: '30.00' }])], expect: 'invalid_conditions' },
  { name: 'conditional: more approvals than approvers', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'a', amount: '100.00', approvers: ['initech'], approvalsRequired: 2 }])], expect: 'invalid_conditions' },
  { name: 'conditional: a party as arbiter', signers: 'acme', operations: [milestones('deal', { arbiter: 'globex' })], expect: 'invalid_conditions' },
  { name: 'conditional: a time lock past the deadline', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'a', amount: '100.00', notBeforeMs: DEADLINE }])], expect: 'invalid_conditions' },
  { name: 'conditional: an attester without the role', signers: 'acme', operations: [milestones('deal', {}, [{ tranche: 'a', amount: '100.00', attestations: [{ attester: 'initech', documentType: 'bill_of_lading' }] }])], expect: 'attester_not_registered' },
  { name: 'conditional: accounts of two assets', signers: 'acme', operations: [milestones('deal', { to: 'globex-sgd' })], expect: 'asset_mismatch' },
  { name: 'conditional: only the payer locks its funds', signers: 'globex', operations: [milestones()], expect: 'not_authorized' },
  { name: 'conditional: more than the payer has', signers: 'acme', operations: [milestones('deal', { amount: '1000.01' }, [{ tranche: 'all', amount: '1000.01' }])], expect: 'insufficient_funds' },
  { name: 'conditional: approval of an unknown payment', signers: 'initech', operations: [approve('signing', 'nope')], expect: 'conditional_payment_not_found' },
  { name: 'conditional: approval of an unknown tranche', given: [created], signers: 'initech', operations: [approve('delivery')], expect: 'tranche_not_found' },
  { name: 'conditional: approval by someone not named', given: [created], signers: 'globex', operations: [approve('signing')], expect: 'not_an_approver' },
  { name: 'conditional: approval given twice', given: [created, ['initech', [approve('signing')]]], signers: 'initech', operations: [approve('signing')], expect: 'approval_already_given' },
  { name: 'conditional: an attestation by a participant who is no attester', given: [created], signers: 'initech', operations: [attest('shipment')], expect: 'not_authorized' },
  { name: 'conditional: an attestation the tranche does not wait for', given: [created], signers: 'oceanic-lines', operations: [attest('shipment', 'inspection_certificate')], expect: 'attestation_not_expected' },
  { name: 'conditional: an attestation given twice', given: [created, ['oceanic-lines', [attest('shipment')]]], signers: 'oceanic-lines', operations: [attest('shipment')], expect: 'attestation_already_given' },
  { name: 'conditional: release before the conditions hold', given: [created], signers: 'globex', operations: [release('shipment')], expect: 'conditions_not_met' },
  { name: 'conditional: release once attested', given: [created, ['oceanic-lines', [attest('shipment')]]], signers: 'globex', operations: [release('shipment')], expect: null },
  { name: 'conditional: a tranche released twice', given: [created, ['oceanic-lines', [attest('shipment')]], ['globex', [release('shipment')]]], signers: 'globex', operations: [release('shipment')], expect: 'tranche_already_released' },
  { name: 'conditional: release by a stranger', given: [created], signers: 'initech', operations: [release('signing')], expect: 'not_authorized' },
  { name: 'conditional: release to a frozen payee', given: [created, ['initech', [approve('signing')]], frozenGlobex], signers: 'acme', operations: [release('signing')], expect: 'account_frozen' },
  { name: 'conditional: release after the deadline', given: [created, ['initech', [approve('signing')]]], signers: 'globex', operations: [release('signing')], atMs: DEADLINE, expect: 'deadline_passed' },
  { name: 'conditional: release while disputed', given: [created, ['initech', [approve('signing')]], disputed], signers: 'globex', operations: [release('signing')], expect: 'payment_disputed' },
  { name: 'conditional: the payer alone may not cancel', given: [created], signers: 'acme', operations: [{ type: 'cancel_conditional', payment: 'deal' }], expect: 'not_authorized' },
  { name: 'conditional: payer and payee cancel together', given: [created], signers: ['acme', 'globex'], operations: [{ type: 'cancel_conditional', payment: 'deal' }], expect: null },
  { name: 'conditional: nothing to do on a cancelled payment', given: [created, ['globex', [{ type: 'cancel_conditional', payment: 'deal' }]]], signers: 'initech', operations: [approve('signing')], expect: 'payment_closed' },
  { name: 'conditional: no dispute without an arbiter', given: [['acme', [withoutArbiter()]]], signers: 'globex', operations: [{ type: 'dispute_conditional', payment: 'deal', reason: 'late' }], expect: 'no_arbiter' },
  { name: 'conditional: only the arbiter decides', given: [created, disputed], signers: 'globex', operations: [{ type: 'decide_dispute', payment: 'deal', decision: 'settle', toPayee: '100.00' }], expect: 'not_authorized' },
  { name: 'conditional: a decision on an undisputed payment', given: [created], signers: 'operator', operations: [{ type: 'decide_dispute', payment: 'deal', decision: 'resume' }], expect: 'payment_not_disputed' },
  { name: 'conditional: an arbiter may not award more than is locked', given: [created, disputed], signers: 'operator', operations: [{ type: 'decide_dispute', payment: 'deal', decision: 'settle', toPayee: '100.01' }], expect: 'locked_amount_exceeded' },
  { name: 'conditional: the arbiter splits what is locked', given: [created, disputed], signers: 'operator', operations: [{ type: 'decide_dispute', payment: 'deal', decision: 'settle', toPayee: '40.00' }], expect: null },
  { name: 'conditional precedence: a missing approver before a missing account', signers: 'acme', operations: [milestones('deal', { from: 'nope' }, [{ tranche: 'all', amount: '100.00', approvers: ['nobody'] }])], expect: 'participant_not_found' },
  { name: 'conditional precedence: not an approver before closed', given: [created, ['globex', [{ type: 'cancel_conditional', payment: 'deal' }]]], signers: 'globex', operations: [approve('signing')], expect: 'not_an_approver' },
  { name: 'conditional precedence: disputed before already released', given: [created, ['oceanic-lines', [attest('shipment')]], ['globex', [release('shipment')]], disputed], signers: 'globex', operations: [release('shipment')], expect: 'payment_disputed' },
];
