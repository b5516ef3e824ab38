import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInvariants, type Operation } from '../../src/core/index.js';
import { coreFixture, T0 } from './fixture.js';

const throttle = (ceiling: string, reason = 'coverage 108.0%'): Operation => ({ type: 'throttle_minting', asset: 'hkd-hsi', ceiling, reason });
const lift: Operation = { type: 'lift_minting_throttle', asset: 'hkd-hsi', reason: 'coverage 112.0%' };
const mint = (amount: string, id = 'DEP-1'): Operation => ({ type: 'issue', account: 'acme-hkd', amount, depositReference: id });
const allowance = (f: ReturnType<typeof coreFixture>, minter = 'harbour-stable') => f.state.allowances.get(`hkd-hsi/${minter}`)!;

describe('the reserve manager throttles minting on the ledger', () => {
  it('a throttle caps every minter (the rest withheld, not lost); lifting it gives back exactly what was withheld, less nothing minted meanwhile', () => {
    const f = coreFixture();
    assert.equal(f.apply('harbour-stable', [{ type: 'configure_minter', asset: 'hkd-hsi', minter: 'harbour-stable', allowance: '1000.00' }]).status, 'committed');
    assert.equal(f.apply('reserves', [throttle('300.00')]).status, 'committed');
    assert.deepEqual({ ...allowance(f) }, { asset: 'hkd-hsi', minter: 'harbour-stable', remainingMinor: 30_000n, withheldMinor: 70_000n });
    assert.deepEqual(f.apply('harbour-stable', [mint('300.01')]), { status: 'rejected', code: 'allowance_exceeded', operation: 0 });
    assert.equal(f.apply('harbour-stable', [mint('200.00')]).status, 'committed');
    // Tightened to zero (the stop level): nothing more may be minted; redemptions still go through.
    assert.equal(f.apply('reserves', [throttle('0.00', 'coverage 99.0%')]).status, 'committed');
    assert.deepEqual(f.apply('harbour-stable', [mint('0.01', 'DEP-2')]), { status: 'rejected', code: 'allowance_exceeded', operation: 0 });
    assert.equal(f.apply(['acme', 'harbour-stable'], [{ type: 'redeem', account: 'acme-hkd', amount: '50.00', payoutReference: 'PAY-1' }]).status, 'committed');
    assert.equal(f.state.reserve_mandates.get('hkd-hsi')!.throttle!.sinceMs, T0 + 1000, 'the throttle dates from when it first fell');
    assert.equal(f.apply('reserves', [lift]).status, 'committed');
    assert.deepEqual({ ...allowance(f) }, { asset: 'hkd-hsi', minter: 'harbour-stable', remainingMinor: 80_000n });
    assert.equal(f.state.reserve_mandates.get('hkd-hsi')!.throttle, undefined);
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('the issuer cannot grant around a throttle, nor escape it by appointing another manager', () => {
    const f = coreFixture();
    assert.equal(f.apply('reserves', [throttle('100.00')]).status, 'committed');
    assert.equal(f.apply('harbour-stable', [{ type: 'configure_minter', asset: 'hkd-hsi', minter: 'harbour-stable', allowance: '5000.00' }]).status, 'committed');
    assert.deepEqual({ ...allowance(f) }, { asset: 'hkd-hsi', minter: 'harbour-stable', remainingMinor: 10_000n, withheldMinor: 490_000n });
    assert.equal(f.apply('operator', [{ type: 'register_participant', participant: { id: 'puppet', legalName: 'Puppet Risk Ltd', lei: '5493008HARBOURHK0233', jurisdiction: 'HK', roles: ['reserve_manager'], kycStatus: 'approved', keys: [{ id: 'k', publicKey: 'A'.repeat(43) }] } }]).status, 'committed');
    assert.equal(f.apply('harbour-stable', [{ type: 'appoint_reserve_manager', asset: 'hkd-hsi', manager: 'puppet' }]).status, 'committed');
    assert.equal(f.state.reserve_mandates.get('hkd-hsi')!.throttle!.ceilingMinor, 10_000n, 'the throttle stays with the asset');
    assert.deepEqual(f.apply('reserves', [lift]), { status: 'rejected', code: 'not_authorized', operation: 0 }, 'the former manager may no longer lift it');
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('who may do what: only the appointed manager throttles, lifts and attests; a lift with nothing throttled is refused', () => {
    const f = coreFixture();
    assert.deepEqual(f.apply('harbour-stable', [throttle('0.00')]), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(f.apply('reserves', [{ type: 'throttle_minting', asset: 'usd-fmb', ceiling: '0.00', reason: 'coverage 99%' }]), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(f.apply('reserves', [lift]), { status: 'rejected', code: 'minting_not_throttled', operation: 0 });
    assert.deepEqual(f.apply('reserves', [throttle('1.001')]), { status: 'rejected', code: 'amount_too_precise', operation: 0 });
    assert.deepEqual(f.apply('first-meridian', [{ type: 'appoint_reserve_manager', asset: 'hkd-hsi', manager: 'reserves' }]), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(f.apply('harbour-stable', [{ type: 'appoint_reserve_manager', asset: 'hkd-hsi', manager: 'acme' }]), { status: 'rejected', code: 'invalid_role', operation: 0 });
  });
});

describe('attest_reserves: a day of reserves on the chain', () => {
  const attestation = (reserves: string, supply: string): Operation => ({
    type: 'attest_reserves', asset: 'hkd-hsi', report: '2026-12-06', reportHash: 'ab'.repeat(32), holdingsRoot: 'cd'.repeat(32), holdings: 14, reserves, supply,
  });

  it('records the report by its hash with the ledger\'s own supply; an under-covered day is recorded as such, never refused', () => {
    const f = coreFixture();
    assert.equal(f.apply('harbour-stable', [mint('1000.00')]).status, 'committed');
    assert.equal(f.apply('reserves', [attestation('1150.00', '1000.00')]).status, 'committed');
    const kept = f.state.reserve_attestations.get('hkd-hsi/2026-12-06')!;
    assert.equal(kept.supplyAtAttestationMinor, 100_000n);
    assert.equal(kept.reservesMinor, 115_000n);
    assert.equal(f.apply('reserves', [attestation('900.00', '1000.00')]).status, 'committed', 'a correction of the day stands in its place');
    assert.equal(f.state.reserve_attestations.get('hkd-hsi/2026-12-06')!.reservesMinor, 90_000n);
    assert.deepEqual(f.apply('harbour-stable', [attestation('1.00', '1.00')]), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(f.apply('reserves', [attestation('abc', '1.00')]), { status: 'rejected', code: 'invalid_amount', operation: 0 });
  });
});
