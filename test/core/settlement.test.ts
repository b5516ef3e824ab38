import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { beginBlock, checkInvariants, nextDueMs, type Operation } from '../../src/core/index.js';
import { fundedFixture, runClocked, T0, type ClockedStep, type CoreFixture } from './fixture.js';
import { consented, fundSgd, pvp } from './settlement-cases.js';

const HOUR = 3_600_000;
const committed = { status: 'committed' };
const balance = (f: CoreFixture, account: string) => {
  const a = f.state.accounts.get(account)!;
  return [a.availableMinor, a.heldMinor];
};
function given(f: CoreFixture, steps: [string, Operation[]][]): void {
  for (const [signers, operations] of steps) assert.deepEqual(f.apply(signers, operations), committed, JSON.stringify(operations));
}

describe('settlements', () => {
  it('moves every leg of a USD/SGD PvP in one step once both sides allocated and approved', () => {
    const f = fundedFixture();
    given(f, consented);
    assert.deepEqual(balance(f, 'acme-usd'), [90_000n, 10_000n]);
    assert.deepEqual(balance(f, 'globex-sgd'), [86_500n, 13_500n]);
    assert.deepEqual(f.apply('acme', [{ type: 'settle', settlement: 'fx-1' }]), committed);
    assert.deepEqual(balance(f, 'acme-usd'), [90_000n, 0n]);
    assert.deepEqual(balance(f, 'globex-usd'), [110_000n, 0n]);
    assert.deepEqual(balance(f, 'globex-sgd'), [86_500n, 0n]);
    assert.deepEqual(balance(f, 'acme-sgd'), [13_500n, 0n]);
    assert.equal(f.state.settlements.get('fx-1')?.status, 'settled');
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('lets only the named settler settle when it names one', () => {
    const f = fundedFixture();
    given(f, [fundSgd, ['acme', [pvp('fx-2', { settlers: ['operator'] })]], ['acme', [{ type: 'allocate_settlement', settlement: 'fx-2', leg: 0 }, { type: 'approve_settlement', settlement: 'fx-2', leg: 1 }]], ['globex', [{ type: 'allocate_settlement', settlement: 'fx-2', leg: 1 }, { type: 'approve_settlement', settlement: 'fx-2', leg: 0 }]]]);
    assert.deepEqual(f.apply('acme', [{ type: 'settle', settlement: 'fx-2' }]), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(f.apply('operator', [{ type: 'settle', settlement: 'fx-2' }]), committed);
  });

  it('unwinds the allocations at the deadline, and on a cancel', () => {
    const f = fundedFixture();
    given(f, consented);
    const deadline = f.state.settlements.get('fx-1')!.deadlineMs;
    assert.equal(nextDueMs(f.state), deadline);
    assert.deepEqual(beginBlock(f.state, deadline).map(({ event }) => event.type), ['settlement_unwound']);
    assert.deepEqual(balance(f, 'acme-usd'), [100_000n, 0n]);
    assert.deepEqual(balance(f, 'globex-sgd'), [100_000n, 0n]);
    assert.equal(f.state.settlements.get('fx-1')?.status, 'expired');

    const g = fundedFixture();
    given(g, consented);
    assert.deepEqual(g.apply('globex', [{ type: 'cancel_settlement', settlement: 'fx-1' }]), committed);
    assert.deepEqual(balance(g, 'acme-usd'), [100_000n, 0n]);
    assert.equal(nextDueMs(g.state), null);
    assert.deepEqual(checkInvariants(g.state), []);
  });

  it('proposes, allocates and approves in one transaction when one party signs for both sides of its own legs', () => {
    const f = fundedFixture();
    given(f, [fundSgd]);
    assert.deepEqual(f.apply(['acme', 'globex'], [pvp('fx-3'), { type: 'allocate_settlement', settlement: 'fx-3', leg: 0 }, { type: 'allocate_settlement', settlement: 'fx-3', leg: 1 }, { type: 'approve_settlement', settlement: 'fx-3', leg: 0 }, { type: 'approve_settlement', settlement: 'fx-3', leg: 1 }, { type: 'settle', settlement: 'fx-3' }]), committed);
    assert.deepEqual(balance(f, 'acme-sgd'), [13_500n, 0n]);
  });

  it('property: money is conserved per asset, held balances equal the allocations, and every allocation returns once the deadline passed', () => {
    const holder = fc.constantFrom('acme', 'globex', 'initech');
    const id = fc.constantFrom('s0', 's1');
    const minor = fc.integer({ min: 1, max: 50_000 });
    const decimal = (m: number) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`;
    type Step = ClockedStep;
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ id, a: holder, b: holder, usd: minor, usd2: minor, by: holder, hours: fc.integer({ min: 1, max: 5 }) }).map(({ id, a, b, usd, usd2, by, hours }): Step => ({
        signers: [by], op: { type: 'propose_settlement', settlement: id, legs: [{ from: `${a}-usd`, to: `${b}-usd`, amount: decimal(usd) }, { from: `${b}-usd`, to: `${a}-usd`, amount: decimal(usd2) }], deadlineMs: T0 + hours * HOUR },
      })),
      fc.record({ id, by: holder, leg: fc.integer({ min: 0, max: 1 }) }).map(({ id, by, leg }): Step => ({ signers: [by], op: { type: 'allocate_settlement', settlement: id, leg } })),
      fc.record({ id, by: holder, leg: fc.integer({ min: 0, max: 1 }) }).map(({ id, by, leg }): Step => ({ signers: [by], op: { type: 'approve_settlement', settlement: id, leg } })),
      fc.record({ id, by: holder }).map(({ id, by }): Step => ({ signers: [by], op: { type: 'settle', settlement: id } })),
      fc.record({ id, by: holder }).map(({ id, by }): Step => ({ signers: [by], op: { type: 'cancel_settlement', settlement: id } })),
      fc.record({ by: holder, to: holder, amount: minor }).map(({ by, to, amount }): Step => ({ signers: [by], op: { type: 'transfer', from: `${by}-usd`, to: `${to}-usd`, amount: decimal(amount) } })),
      fc.integer({ min: 1, max: 2 }).map((hours): Step => ({ advanceMs: hours * HOUR })),
    );
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
      const f = fundedFixture();
      runClocked(f, steps);
      beginBlock(f.state, T0 + 6 * HOUR);
      for (const account of f.state.accounts.values()) assert.equal(account.heldMinor, 0n, `${account.id} still holds an allocation after every deadline`);
    }), { numRuns: 300 });
  });
});
