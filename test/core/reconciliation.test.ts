import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAmount, type Operation } from '../../src/core/index.js';
import { fundedFixture, T0 } from './fixture.js';

const HASH = 'c0ffee'.padEnd(64, '0');

describe('attest_reconciliation', () => {
  const attestation = (figures: Partial<Extract<Operation, { type: 'attest_reconciliation' }>>): Operation => ({
    type: 'attest_reconciliation', asset: 'usd-fmb', statement: 'STMT-2026-12-04', statementHash: HASH, cutoffMs: T0,
    statementBalance: '3000.00', supply: '3000.00', creditsInTransit: '0.00', payoutsInTransit: '0.00', breaks: 0, ...figures,
  });

  it('records the figures, who attested and the supply the ledger holds, for the issuer or its minter; the latest attestation of a statement stands', () => {
    const f = fundedFixture();
    const asset = f.state.assets.get('usd-fmb')!;
    const supply = formatAmount(asset.issuedMinor - asset.redeemedMinor, 2);
    assert.deepEqual(f.apply('banking', [attestation({ supply, creditsInTransit: '150.00', payoutsInTransit: '50.00', statementBalance: formatAmount(asset.issuedMinor - asset.redeemedMinor + 20_000n, 2) })], T0 + 5000), { status: 'committed' });
    const recorded = f.state.reconciliations.get('usd-fmb/STMT-2026-12-04')!;
    assert.equal(recorded.attestedBy, 'banking');
    assert.equal(recorded.attestedAtMs, T0 + 5000);
    assert.equal(recorded.supplyAtAttestationMinor, asset.issuedMinor - asset.redeemedMinor);
    assert.equal(recorded.creditsInTransitMinor, 15_000n);
    // With breaks the figures need not add up: the breaks say why; the issuer itself attests again.
    assert.deepEqual(f.apply('first-meridian', [attestation({ statementBalance: '-25.00', breaks: 2 })]), { status: 'committed' });
    assert.deepEqual([f.state.reconciliations.get('usd-fmb/STMT-2026-12-04')!.statementBalanceMinor, f.state.reconciliations.get('usd-fmb/STMT-2026-12-04')!.attestedBy], [-2_500n, 'first-meridian']);
  });

  it('refuses figures that do not add up without breaks, a client, another issuer, and malformed amounts', () => {
    const f = fundedFixture();
    const refused = (signer: string, op: Operation) => f.apply(signer, [op]);
    assert.deepEqual(refused('banking', attestation({ statementBalance: '3000.01' })), { status: 'rejected', code: 'invalid_reconciliation', operation: 0 });
    assert.deepEqual(refused('acme', attestation({})), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(refused('straits-bank', attestation({})), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.deepEqual(refused('banking', attestation({ supply: '3000.001', statementBalance: 'x' })), { status: 'rejected', code: 'invalid_amount', operation: 0 });
    assert.deepEqual(refused('banking', attestation({ supply: '3000.001' })), { status: 'rejected', code: 'amount_too_precise', operation: 0 });
    assert.deepEqual(refused('banking', attestation({ asset: 'eur-none' })), { status: 'rejected', code: 'asset_not_found', operation: 0 });
    assert.equal(f.state.reconciliations.size, 0);
  });
});
