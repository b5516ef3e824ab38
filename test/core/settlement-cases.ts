import type { Operation } from '../../src/core/index.js';
import { T0, type Case } from './fixture.js';

/** Table cases for settlements: every code the family answers, and its precedence. */

const DEADLINE = T0 + 3_600_000;

/** A USD/SGD PvP: 100.00 USD from Acme to Globex against 135.00 SGD from Globex to Acme. */
export function pvp(id = 'fx-1', extra: Partial<Extract<Operation, { type: 'propose_settlement' }>> = {}): Operation {
  return { type: 'propose_settlement', settlement: id, legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '100.00' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '135.00' }], deadlineMs: DEADLINE, ...extra };
}

export const fundSgd: [string, Operation[]] = ['straits-bank', [{ type: 'issue', account: 'globex-sgd', amount: '1000.00', depositReference: 'DEP-SGD' }]];
const proposed: [string, Operation[]] = ['acme', [pvp()]];
const allocate = (leg: number, id = 'fx-1'): Operation => ({ type: 'allocate_settlement', settlement: id, leg });
const approve = (leg: number, id = 'fx-1'): Operation => ({ type: 'approve_settlement', settlement: id, leg });
/** Both legs allocated and approved: ready to settle. */
export const consented: [string, Operation[]][] = [fundSgd, proposed, ['acme', [allocate(0), approve(1)]], ['globex', [allocate(1), approve(0)]]];

export const SETTLEMENT_CASES: Case[] = [
  { name: 'settlement: a PvP proposed by one side', signers: 'acme', operations: [pvp()], expect: null },
  { name: 'settlement: an unknown settler', signers: 'acme', operations: [pvp('fx-1', { settlers: ['nobody'] })], expect: 'participant_not_found' },
  { name: 'settlement: a leg from an unknown account', signers: 'acme', operations: [pvp('fx-1', { legs: [{ from: 'nope', to: 'globex-usd', amount: '1.00' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1.00' }] })], expect: 'account_not_found' },
  { name: 'settlement: an id already taken', given: [proposed], signers: 'acme', operations: [pvp()], expect: 'already_exists' },
  { name: 'settlement: a zero leg', signers: 'acme', operations: [pvp('fx-1', { legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '0' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1.00' }] })], expect: 'invalid_amount' },
  { name: 'settlement: a leg more precise than its asset', signers: 'acme', operations: [pvp('fx-1', { legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '1.001' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1.00' }] })], expect: 'amount_too_precise' },
  { name: 'settlement: a deadline past', signers: 'acme', operations: [pvp('fx-1', { deadlineMs: T0 })], expect: 'invalid_deadline' },
  { name: 'settlement: a leg to its own account', signers: 'acme', operations: [pvp('fx-1', { legs: [{ from: 'acme-usd', to: 'acme-usd', amount: '1.00' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1.00' }] })], expect: 'invalid_conditions' },
  { name: 'settlement: a leg across assets', signers: 'acme', operations: [pvp('fx-1', { legs: [{ from: 'acme-usd', to: 'globex-sgd', amount: '1.00' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1.00' }] })], expect: 'asset_mismatch' },
  { name: 'settlement: proposed by a stranger', signers: 'initech', operations: [pvp()], expect: 'not_authorized' },
  { name: 'settlement: allocating an unknown settlement', signers: 'acme', operations: [allocate(0, 'nope')], expect: 'settlement_not_found' },
  { name: 'settlement: allocating a leg that is not there', given: [proposed], signers: 'acme', operations: [allocate(2)], expect: 'leg_not_found' },
  { name: 'settlement: allocating the other side\'s leg', given: [proposed], signers: 'acme', operations: [allocate(1)], expect: 'not_authorized' },
  { name: 'settlement: allocating from a frozen account', given: [proposed, ['operator', [{ type: 'freeze_account', account: 'acme-usd' }]]], signers: 'acme', operations: [allocate(0)], expect: 'account_frozen' },
  { name: 'settlement: allocating twice', given: [proposed, ['acme', [allocate(0)]]], signers: 'acme', operations: [allocate(0)], expect: 'leg_already_allocated' },
  { name: 'settlement: allocating more than the sender has', given: [proposed], signers: 'globex', operations: [allocate(1)], expect: 'insufficient_funds' },
  { name: 'settlement: approving as someone other than the receiver', given: [proposed], signers: 'acme', operations: [approve(0)], expect: 'not_authorized' },
  { name: 'settlement: approving twice', given: [proposed, ['globex', [approve(0)]]], signers: 'globex', operations: [approve(0)], expect: 'approval_already_given' },
  { name: 'settlement: settling before every leg is allocated and approved', given: [fundSgd, proposed, ['acme', [allocate(0)]]], signers: 'acme', operations: [{ type: 'settle', settlement: 'fx-1' }], expect: 'settlement_incomplete' },
  { name: 'settlement: settling once everyone consented', given: consented, signers: 'globex', operations: [{ type: 'settle', settlement: 'fx-1' }], expect: null },
  { name: 'settlement: settling as a stranger', given: consented, signers: 'initech', operations: [{ type: 'settle', settlement: 'fx-1' }], expect: 'not_authorized' },
  { name: 'settlement: settling with a leg\'s asset paused', given: [...consented, ['straits-bank', [{ type: 'pause_asset', asset: 'sgd-scb' }]]], signers: 'acme', operations: [{ type: 'settle', settlement: 'fx-1' }], expect: 'asset_paused' },
  { name: 'settlement: settling twice', given: [...consented, ['acme', [{ type: 'settle', settlement: 'fx-1' }]]], signers: 'acme', operations: [{ type: 'settle', settlement: 'fx-1' }], expect: 'settlement_closed' },
  { name: 'settlement: settling after the deadline', given: consented, signers: 'acme', operations: [{ type: 'settle', settlement: 'fx-1' }], atMs: DEADLINE, expect: 'deadline_passed' },
  { name: 'settlement: a party cancels', given: consented, signers: 'globex', operations: [{ type: 'cancel_settlement', settlement: 'fx-1' }], expect: null },
  { name: 'settlement precedence: frozen before incomplete', given: [fundSgd, proposed, ['operator', [{ type: 'freeze_account', account: 'acme-sgd' }]]], signers: 'acme', operations: [{ type: 'settle', settlement: 'fx-1' }], expect: 'account_frozen' },
];
