import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Operation } from '../../src/core/index.js';
import { coreFixture, T0 } from './fixture.js';

const sign = (version: number, hash: string): Operation => ({ type: 'sign_agreement', agreement: 'trade-7', version, hash, buyer: 'acme', seller: 'globex' });

describe('sign_agreement: a trade agreement concluded by both parties\' signatures on its hash', () => {
  it('is concluded by the second party on the same hash; a renegotiated version needs both again', () => {
    const f = coreFixture();
    assert.equal(f.apply('acme', [sign(1, 'a'.repeat(64))]).status, 'committed');
    assert.equal(f.state.trade_agreements.get('trade-7')!.concludedAtMs, null);
    assert.equal(f.apply('globex', [sign(1, 'a'.repeat(64))], T0 + 5000).status, 'committed');
    assert.deepEqual({ ...f.state.trade_agreements.get('trade-7')! }, { id: 'trade-7', version: 1, hash: 'a'.repeat(64), buyer: 'acme', seller: 'globex', signedBy: ['acme', 'globex'], concludedAtMs: T0 + 5000 });
    assert.equal(f.apply('globex', [sign(2, 'b'.repeat(64))]).status, 'committed');
    assert.deepEqual(f.state.trade_agreements.get('trade-7')!.signedBy, ['globex']);
    assert.equal(f.state.trade_agreements.get('trade-7')!.concludedAtMs, null);
    assert.equal(f.apply('acme', [sign(2, 'b'.repeat(64))]).status, 'committed');
    assert.notEqual(f.state.trade_agreements.get('trade-7')!.concludedAtMs, null);
  });
});
