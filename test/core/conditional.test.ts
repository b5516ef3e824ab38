import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyTransaction, beginBlock, checkInvariants, decodeEntity, encodeEntity, nextDueMs, type Operation } from '../../src/core/index.js';
import { milestones } from './conditional-cases.js';
import { fundedFixture, runClocked, SALT, T0, type ClockedStep, type CoreFixture } from './fixture.js';

const HOUR = 3_600_000;
const DOC = 'b'.repeat(64);

const balances = (f: CoreFixture, account: string) => {
  const a = f.state.accounts.get(account)!;
  return { available: a.availableMinor, held: a.heldMinor };
};
const committed = { status: 'committed' };
const attestation = (tranche: string, documentType: string, by = 'oceanic-lines'): [string, Operation[]] => [by, [{ type: 'attest', payment: 'deal', tranche, documentType, documentHash: DOC }]];

/** Applies a transaction and returns the types of the events it produced. */
function eventsOf(f: CoreFixture, signers: string[], operations: Operation[], atMs = T0 + 1000): string[] {
  return appliedEvents(f, signers, operations, atMs).map((event) => event.type);
}

function appliedEvents(f: CoreFixture, signers: string[], operations: Operation[], atMs = T0 + 1000) {
  const body = { network: 'core-test', id: `e-${Math.random()}`, sender: signers[0]!, validUntilMs: atMs + 60_000, operations, salt: SALT };
  const applied = applyTransaction(f.state, { body, signers: new Set(signers) }, atMs);
  assert.deepEqual(applied.result, committed, JSON.stringify(applied.explanations));
  return applied.events.map(({ event }) => event);
}

describe('conditional payments', () => {
  it('locks the amount in the payer\'s held balance and pays each tranche as its conditions hold', () => {
    const f = fundedFixture();
    assert.deepEqual(f.apply('acme', [milestones()]), committed);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 90_000n, held: 10_000n });
    assert.deepEqual(f.apply('initech', [{ type: 'approve_conditional', payment: 'deal', tranche: 'signing' }]), committed);
    // Not automatic: the approval alone moves nothing until a party releases.
    assert.deepEqual(balances(f, 'globex-usd'), { available: 100_000n, held: 0n });
    assert.deepEqual(f.apply('globex', [{ type: 'release_conditional', payment: 'deal', tranche: 'signing' }]), committed);
    assert.deepEqual(balances(f, 'globex-usd'), { available: 103_000n, held: 0n });
    assert.deepEqual(balances(f, 'acme-usd'), { available: 90_000n, held: 7_000n });
    const [by, ops] = attestation('shipment', 'bill_of_lading');
    assert.deepEqual(f.apply(by, ops), committed);
    assert.deepEqual(f.apply('acme', [{ type: 'release_conditional', payment: 'deal', tranche: 'shipment' }]), committed);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 90_000n, held: 0n });
    assert.deepEqual(balances(f, 'globex-usd'), { available: 110_000n, held: 0n });
    assert.equal(f.state.conditional_payments.get('deal')?.status, 'completed');
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('releases automatically the moment the last condition holds, k of n approvals', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones('deal', { autoRelease: true }, [{ tranche: 'all', amount: '100.00', approvers: ['initech', 'operator', 'first-meridian'], approvalsRequired: 2 }])]);
    assert.deepEqual(eventsOf(f, ['initech'], [{ type: 'approve_conditional', payment: 'deal', tranche: 'all' }]), ['conditional_approved']);
    assert.deepEqual(eventsOf(f, ['operator'], [{ type: 'approve_conditional', payment: 'deal', tranche: 'all' }]), ['conditional_approved', 'tranche_released']);
    assert.deepEqual(balances(f, 'globex-usd'), { available: 110_000n, held: 0n });
    assert.equal(f.state.conditional_payments.get('deal')?.status, 'completed');
  });

  it('pays an unconditioned tranche on signing when release is automatic', () => {
    const f = fundedFixture();
    assert.deepEqual(eventsOf(f, ['acme'], [milestones('deal', { autoRelease: true }, [{ tranche: 'deposit', amount: '30.00' }, { tranche: 'rest', amount: '70.00', approvers: ['initech'] }])]), ['conditional_payment_created', 'tranche_released']);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 90_000n, held: 7_000n });
  });

  it('pays a time-locked tranche at the first block at or after its time, and not before', () => {
    const f = fundedFixture();
    const unlock = T0 + 2 * HOUR;
    f.apply('acme', [milestones('deal', { autoRelease: true }, [{ tranche: 'later', amount: '100.00', notBeforeMs: unlock }])]);
    assert.equal(nextDueMs(f.state), unlock);
    assert.deepEqual(beginBlock(f.state, unlock - 1), []);
    assert.deepEqual(beginBlock(f.state, unlock).map(({ event }) => event.type), ['tranche_released']);
    assert.deepEqual(balances(f, 'globex-usd'), { available: 110_000n, held: 0n });
    assert.equal(nextDueMs(f.state), null);
  });

  it('returns what is still locked to the payer at the deadline', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones()]);
    f.apply('initech', [{ type: 'approve_conditional', payment: 'deal', tranche: 'signing' }]);
    f.apply('globex', [{ type: 'release_conditional', payment: 'deal', tranche: 'signing' }]);
    const deadline = f.state.conditional_payments.get('deal')!.deadlineMs;
    assert.equal(nextDueMs(f.state), deadline);
    assert.deepEqual(beginBlock(f.state, deadline).map(({ event }) => event.type), ['conditional_payment_returned']);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 97_000n, held: 0n });
    assert.equal(f.state.conditional_payments.get('deal')?.status, 'expired');
    assert.deepEqual(f.state.conditional_payments.get('deal')?.tranches.map((t) => t.status), ['released', 'returned']);
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('defers an automatic release the payee cannot receive, and pays it on an explicit release once it can', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones('deal', { autoRelease: true }, [{ tranche: 'all', amount: '100.00', approvers: ['initech'] }])]);
    f.apply('operator', [{ type: 'freeze_account', account: 'globex-usd' }]);
    const events = appliedEvents(f, ['initech'], [{ type: 'approve_conditional', payment: 'deal', tranche: 'all' }]);
    assert.deepEqual(events.map((event) => event.type), ['conditional_approved', 'tranche_release_deferred']);
    assert.equal(events[1]!.data['reason'], 'account globex-usd is frozen', 'the movement rule that stopped it, in words');
    assert.deepEqual(balances(f, 'acme-usd'), { available: 90_000n, held: 10_000n });
    f.apply('operator', [{ type: 'unfreeze_account', account: 'globex-usd' }]);
    assert.deepEqual(f.apply('globex', [{ type: 'release_conditional', payment: 'deal', tranche: 'all' }]), committed);
    assert.deepEqual(balances(f, 'globex-usd'), { available: 110_000n, held: 0n });
  });

  it('stops the deadline while disputed; an arbiter resuming after it returns the funds at the next block', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones()]);
    f.apply('globex', [{ type: 'dispute_conditional', payment: 'deal', reason: 'short shipment' }]);
    const deadline = f.state.conditional_payments.get('deal')!.deadlineMs;
    assert.equal(nextDueMs(f.state), null);
    assert.deepEqual(beginBlock(f.state, deadline + HOUR), []);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 90_000n, held: 10_000n });
    assert.deepEqual(f.apply('operator', [{ type: 'decide_dispute', payment: 'deal', decision: 'resume' }], deadline + 2 * HOUR), committed);
    assert.deepEqual(beginBlock(f.state, deadline + 2 * HOUR).map(({ event }) => event.type), ['conditional_payment_returned']);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 100_000n, held: 0n });
  });

  it('lets the arbiter split what is locked', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones()]);
    f.apply('acme', [{ type: 'dispute_conditional', payment: 'deal', reason: 'damaged goods' }]);
    assert.deepEqual(eventsOf(f, ['operator'], [{ type: 'decide_dispute', payment: 'deal', decision: 'settle', toPayee: '25.00' }]), ['conditional_dispute_decided', 'conditional_payment_returned']);
    assert.deepEqual(balances(f, 'globex-usd'), { available: 102_500n, held: 0n });
    assert.deepEqual(balances(f, 'acme-usd'), { available: 97_500n, held: 0n });
    assert.equal(f.state.conditional_payments.get('deal')?.awardedMinor, 2_500n);
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('lets the payee cancel alone, returning everything to the payer', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones()]);
    assert.deepEqual(f.apply('globex', [{ type: 'cancel_conditional', payment: 'deal' }]), committed);
    assert.deepEqual(balances(f, 'acme-usd'), { available: 100_000n, held: 0n });
    assert.equal(f.state.conditional_payments.get('deal')?.status, 'cancelled');
  });

  it('shows the payment to the approvers, attesters and arbiter it names', () => {
    const f = fundedFixture();
    const body = { network: 'core-test', id: 'seen', sender: 'acme', validUntilMs: T0 + 60_000, operations: [milestones()], salt: SALT };
    const applied = applyTransaction(f.state, { body, signers: new Set(['acme']) }, T0 + 1000);
    assert.deepEqual([...applied.events[0]!.event.participants].sort(), ['initech', 'oceanic-lines', 'operator']);
  });

  it('encodes and decodes a payment with its tranches to the same bytes (snapshots, state root)', () => {
    const f = fundedFixture();
    f.apply('acme', [milestones()]);
    f.apply('initech', [{ type: 'approve_conditional', payment: 'deal', tranche: 'signing' }]);
    const payment = f.state.conditional_payments.get('deal')!;
    const encoded = encodeEntity('conditional_payments', payment);
    const decoded = decodeEntity('conditional_payments', encoded);
    assert.deepEqual(decoded, payment);
    assert.equal(typeof decoded.tranches[0]!.amountMinor, 'bigint');
    assert.equal(encodeEntity('conditional_payments', decoded), encoded);
  });
});

describe('conditional payments: properties', () => {
  const HOLDERS = ['acme', 'globex', 'initech'] as const;
  const holder = fc.constantFrom(...HOLDERS);
  const id = fc.constantFrom('c0', 'c1', 'c2');
  const tranche = fc.constantFrom('t0', 't1');
  const minor = fc.integer({ min: 2, max: 60_000 });
  const decimal = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;

  /** One step: a transaction (who signs, what) at a time offset, or the clock moving on to a later block. */
  type Step = ClockedStep;
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ id, from: holder, to: holder, minor, approver: holder, autoRelease: fc.boolean(), lock: fc.option(fc.integer({ min: 1, max: 5 })), deadline: fc.integer({ min: 1, max: 8 }) })
      .map(({ id, from, to, minor, approver, autoRelease, lock, deadline }): Step => ({
        signers: [from],
        op: {
          type: 'conditional_payment', payment: id, from: `${from}-usd`, to: `${to}-usd`, amount: decimal(minor), deadlineMs: T0 + deadline * HOUR, autoRelease, arbiter: 'operator',
          tranches: [
            { tranche: 't0', amount: decimal(Math.floor(minor / 2)), approvers: [approver], ...(lock !== null && { notBeforeMs: T0 + lock * HOUR }) },
            { tranche: 't1', amount: decimal(minor - Math.floor(minor / 2)), attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] },
          ],
        },
      })),
    fc.record({ id, by: holder }).map(({ id, by }): Step => ({ signers: [by], op: { type: 'approve_conditional', payment: id, tranche: 't0' } })),
    id.map((id): Step => ({ signers: ['oceanic-lines'], op: { type: 'attest', payment: id, tranche: 't1', documentType: 'bill_of_lading', documentHash: DOC } })),
    fc.record({ id, by: holder, tranche }).map(({ id, by, tranche }): Step => ({ signers: [by], op: { type: 'release_conditional', payment: id, tranche } })),
    fc.record({ id, by: holder }).map(({ id, by }): Step => ({ signers: [by], op: { type: 'cancel_conditional', payment: id } })),
    fc.record({ id, by: holder }).map(({ id, by }): Step => ({ signers: [by], op: { type: 'dispute_conditional', payment: id, reason: 'disputed' } })),
    fc.record({ id, toPayee: fc.option(minor.map(decimal)) }).map(({ id, toPayee }): Step => ({ signers: ['operator'], op: toPayee === null ? { type: 'decide_dispute', payment: id, decision: 'resume' } : { type: 'decide_dispute', payment: id, decision: 'settle', toPayee } })),
    fc.record({ by: holder, to: holder, minor }).map(({ by, to, minor }): Step => ({ signers: [by], op: { type: 'transfer', from: `${by}-usd`, to: `${to}-usd`, amount: decimal(minor) } })),
    fc.record({ account: holder, frozen: fc.boolean() }).map(({ account, frozen }): Step => ({ signers: ['operator'], op: { type: frozen ? 'freeze_account' : 'unfreeze_account', account: `${account}-usd` } })),
    fc.integer({ min: 1, max: 3 }).map((hours): Step => ({ advanceMs: hours * HOUR })),
  );

  it('conserve money, keep held balances equal to what is locked, and return every allocation once its deadline has passed', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
      const f = fundedFixture();
      const usdBefore = [...f.state.accounts.values()].reduce((sum, a) => sum + a.availableMinor, 0n);
      const now = runClocked(f, steps);
      // Every deadline is at most 8 hours out; a dispute holds its payment until the arbiter resumes it.
      for (const payment of f.state.conditional_payments.values()) {
        if (payment.disputedBy !== null) assert.deepEqual(f.apply('operator', [{ type: 'decide_dispute', payment: payment.id, decision: 'resume' }], now), committed);
      }
      beginBlock(f.state, T0 + 9 * HOUR);
      for (const account of f.state.accounts.values()) assert.equal(account.heldMinor, 0n, `${account.id} still holds funds after every deadline`);
      assert.ok([...f.state.conditional_payments.values()].every((p) => p.status !== 'active'));
      assert.equal([...f.state.accounts.values()].reduce((sum, a) => sum + a.availableMinor, 0n), usdBefore, 'once nothing is held, every unit is available again');
    }), { numRuns: 300 });
  });
});
