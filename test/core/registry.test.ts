import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTransaction, describeOperation, OPERATIONS, orderedChecks, precedenceOf, REJECTION_CODES, ROLES, type Operation, type OperationType, type Role } from '../../src/core/index.js';
import { fundedFixture, SALT, T0 } from './fixture.js';

/**
 * For each operation, one instance whose references all exist and whose new ids are
 * free, so that every check that precedes authorization passes in the funded fixture.
 */
const EXAMPLES: { [T in OperationType]: Extract<Operation, { type: T }> } = {
  register_participant: { type: 'register_participant', participant: { id: 'newcomer', legalName: 'Newcomer Ltd', lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'GB', roles: ['client'], kycStatus: 'pending', keys: [{ id: 'k', publicKey: 'A'.repeat(43) }] } },
  update_participant: { type: 'update_participant', participant: 'acme', changes: { kycStatus: 'approved' } },
  define_asset: { type: 'define_asset', asset: 'eur-fmb', kind: 'deposit_token', code: 'EUR', decimals: 2, issuer: 'first-meridian' },
  pause_asset: { type: 'pause_asset', asset: 'usd-fmb' },
  unpause_asset: { type: 'unpause_asset', asset: 'usd-fmb' },
  open_account: { type: 'open_account', account: 'acme-usd-2', owner: 'acme', asset: 'usd-fmb' },
  freeze_account: { type: 'freeze_account', account: 'acme-usd' },
  unfreeze_account: { type: 'unfreeze_account', account: 'acme-usd' },
  configure_minter: { type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: '1.00' },
  attest_reconciliation: { type: 'attest_reconciliation', asset: 'usd-fmb', statement: 'STMT-2026-12-04', statementHash: 'ab'.repeat(32), cutoffMs: 0, statementBalance: '10.00', supply: '10.00', creditsInTransit: '0.00', payoutsInTransit: '0.00', breaks: 0 },
  issue: { type: 'issue', account: 'acme-usd', amount: '1.00', depositReference: 'DEP-1' },
  redeem: { type: 'redeem', account: 'acme-usd', amount: '1.00', payoutReference: 'PAY-1' },
  transfer: { type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' },
  force_transfer: { type: 'force_transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00', reason: 'court_order', legalReference: 'SDNY 1:26-cv-01234' },
  hold: { type: 'hold', hold: 'h-new', from: 'acme-usd', to: 'globex-usd', amount: '1.00', expiresAtMs: T0 + 3_600_000 },
  post: { type: 'post', hold: 'h-open' },
  void: { type: 'void', hold: 'h-open' },
  conditional_payment: { type: 'conditional_payment', payment: 'c-new', from: 'acme-usd', to: 'globex-usd', amount: '1.00', deadlineMs: T0 + 3_600_000, tranches: [{ tranche: 'all', amount: '1.00' }] },
  approve_conditional: { type: 'approve_conditional', payment: 'c-open', tranche: 'all' },
  attest: { type: 'attest', payment: 'c-open', tranche: 'all', documentType: 'bill_of_lading', documentHash: 'c'.repeat(64) },
  release_conditional: { type: 'release_conditional', payment: 'c-open', tranche: 'all' },
  cancel_conditional: { type: 'cancel_conditional', payment: 'c-open' },
  dispute_conditional: { type: 'dispute_conditional', payment: 'c-open', reason: 'late delivery' },
  decide_dispute: { type: 'decide_dispute', payment: 'c-open', decision: 'settle', toPayee: '1.00' },
  propose_settlement: { type: 'propose_settlement', settlement: 's-new', legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '1.00' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1.35' }], deadlineMs: T0 + 3_600_000 },
  allocate_settlement: { type: 'allocate_settlement', settlement: 's-open', leg: 0 },
  approve_settlement: { type: 'approve_settlement', settlement: 's-open', leg: 0 },
  settle: { type: 'settle', settlement: 's-open' },
  cancel_settlement: { type: 'cancel_settlement', settlement: 's-open' },
  set_account_policy: { type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '500.00' },
  remove_account_policy: { type: 'remove_account_policy', account: 'acme-usd' },
  set_control_policy: { type: 'set_control_policy', approvers: ['duty-officer'], approvalsRequired: 1, acts: ['force_transfer'] },
  approve_proposal: { type: 'approve_proposal', proposal: 'proposal-1' },
  reject_proposal: { type: 'reject_proposal', proposal: 'proposal-1' },
  set_standing_instruction: { type: 'set_standing_instruction', instruction: 'si-new', kind: 'pay', from: 'acme-usd', to: 'globex-usd', amount: '10.00', schedule: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0;BYSECOND=0', timeZone: 'Europe/London' } },
  cancel_standing_instruction: { type: 'cancel_standing_instruction', instruction: 'si-open' },
  join_par_settlement: { type: 'join_par_settlement', asset: 'usd-fmb', settlementAccount: 'first-meridian-usd', cap: '1000000.00' },
  transfer_at_par: { type: 'transfer_at_par', from: 'acme-usd', to: 'globex-usd-scb', amount: '1.00' },
  set_travel_rule_threshold: { type: 'set_travel_rule_threshold', jurisdiction: 'HK', currency: 'HKD' },
  appoint_reserve_manager: { type: 'appoint_reserve_manager', asset: 'usd-fmb', manager: 'reserves' },
  throttle_minting: { type: 'throttle_minting', asset: 'usd-fmb', ceiling: '0.00', reason: 'coverage 108.2%' },
  lift_minting_throttle: { type: 'lift_minting_throttle', asset: 'usd-fmb', reason: 'coverage 112.0%' },
  attest_reserves: { type: 'attest_reserves', asset: 'usd-fmb', report: '2026-12-06', reportHash: 'e'.repeat(64), holdingsRoot: 'f'.repeat(64), holdings: 12, reserves: '3000.00', supply: '3000.00' },
  sign_agreement: { type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'a'.repeat(64), buyer: 'acme', seller: 'globex' },
  file_report: { type: 'file_report', report: 'STR-2026-0001', kind: 'suspicious_transaction', format: 'goaml-xml', documentHash: 'd'.repeat(64), covers: 'case 7' },
};

describe('the operation registry', () => {
  for (const definition of OPERATIONS) {
    it(`${definition.type}: checks follow the global precedence`, () => {
      const codes = orderedChecks(definition as never).map((check) => check.code);
      for (let i = 1; i < codes.length; i += 1) {
        assert.ok(precedenceOf(codes[i - 1]!) <= precedenceOf(codes[i]!), `${codes[i - 1]} is checked before ${codes[i]}, against REJECTION_CODES`);
      }
      assert.ok(codes.includes('not_authorized'), 'the initiator rule is among its checks');
    });
  }

  it('has an example of every operation, and admission-answered codes are the ones no later state cures', () => {
    assert.deepEqual(Object.keys(EXAMPLES).sort(), OPERATIONS.map((definition) => definition.type).sort());
    const atAdmission = Object.entries(REJECTION_CODES).filter(([, code]) => code.atAdmission).map(([code]) => code);
    assert.deepEqual(atAdmission, ['participant_not_found', 'asset_not_found', 'account_not_found', 'hold_not_found', 'conditional_payment_not_found', 'tranche_not_found', 'settlement_not_found', 'leg_not_found', 'proposal_not_found', 'policy_not_found', 'instruction_not_found', 'already_exists', 'invalid_amount', 'amount_too_precise', 'invalid_expiry', 'invalid_deadline', 'invalid_conditions', 'invalid_instruction', 'invalid_schedule', 'invalid_reconciliation', 'invalid_agreement', 'invalid_policy', 'asset_mismatch', 'travel_rule_required']);
  });

  it('says every operation in words, naming what it acts on', () => {
    for (const op of Object.values(EXAMPLES)) {
      const words = describeOperation(op);
      assert.doesNotMatch(words, /undefined|\[object|NaN/, `${op.type}: ${words}`);
      for (const value of Object.values(op)) if (typeof value === 'string' && value !== op.type && !/^[a-z_]+$/.test(value)) assert.ok(words.includes(value) || op.type === 'register_participant', `${op.type}: "${words}" does not name ${value}`);
    }
    assert.equal(describeOperation(EXAMPLES.transfer), 'pay 1.00 from acme-usd to globex-usd');
  });

  describe('who may send each operation: every role × operation pair', () => {
    for (const role of ROLES) {
      it(`a participant whose only role is ${role}`, () => {
        const f = fundedFixture();
        const id = `only-${role}`;
        const setUp = f.apply('operator', [{ type: 'register_participant', participant: { id, legalName: `Only ${role}`, lei: '5493001KJTIIGC8Y1R12', jurisdiction: 'US', roles: [role], kycStatus: 'approved', keys: [{ id: 'k', publicKey: 'A'.repeat(43) }] } }]);
        assert.deepEqual(setUp, { status: 'committed' });
        assert.deepEqual(f.apply('acme', [{ type: 'hold', hold: 'h-open', from: 'acme-usd', to: 'globex-usd', amount: '5.00', expiresAtMs: T0 + 3_600_000 }]), { status: 'committed' });
        assert.deepEqual(f.apply('acme', [{ ...EXAMPLES.conditional_payment, payment: 'c-open' }]), { status: 'committed' });
        assert.deepEqual(f.apply('acme', [{ ...EXAMPLES.propose_settlement, settlement: 's-open' }]), { status: 'committed' });
        assert.deepEqual(f.apply('acme', [{ ...EXAMPLES.set_standing_instruction, instruction: 'si-open' }]), { status: 'committed' });
        // A policy on acme-usd, and a payment it holds back as proposal-1.
        assert.deepEqual(f.apply('acme', [EXAMPLES.set_account_policy]), { status: 'committed' });
        assert.deepEqual(f.apply('acme', [{ ...EXAMPLES.transfer, amount: '600.00' }]), { status: 'committed' });
        assert.equal(f.state.proposals.get('proposal-1')?.status, 'pending');
        for (const definition of OPERATIONS) {
          const op = EXAMPLES[definition.type as OperationType];
          const body = { network: 'core-test', id: `${role}-${definition.type}`, sender: id, validUntilMs: T0 + 60_000, operations: [op], salt: SALT };
          const applied = applyTransaction(f.state, { body, signers: new Set([id]) }, T0 + 1000, true);
          const refusedAsInitiator = applied.explanations.some((e) => e.code === 'not_authorized' && /may not send/.test(e.message));
          const permitted = definition.initiators.includes(role as Role);
          assert.equal(refusedAsInitiator, !permitted, `${role} × ${definition.type}: ${permitted ? 'permitted, yet refused for its role' : 'not in the table, yet not refused for its role'} (${JSON.stringify(applied.explanations)})`);
        }
      });
    }
  });
});
