import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, canonicalResult } from '../../src/chain/index.js';
import { REJECTION_PRECEDENCE } from '../../src/core/index.js';

describe('canonical encoding', () => {
  const hash = 'ab'.repeat(32);

  it('writes every result exactly as RFC 8785 would', () => {
    for (const signers of [[], ['acme'], ['acme', 'first-meridian', 'gw.x_1-2']]) {
      assert.equal(canonicalResult(hash, { status: 'committed' }, signers), canonicalJson({ transaction: hash, signers, status: 'committed' }));
      const partial = { status: 'committed', rejected: REJECTION_PRECEDENCE.map((code, operation) => ({ code, operation })) } as const;
      assert.equal(canonicalResult(hash, partial, signers), canonicalJson({ transaction: hash, signers, ...partial }));
      for (const code of REJECTION_PRECEDENCE) {
        for (const operation of [null, 0, 7, 999]) {
          const result = { status: 'rejected', code, operation } as const;
          assert.equal(canonicalResult(hash, result, signers), canonicalJson({ transaction: hash, signers, ...result }), `${code} ${operation}`);
        }
      }
    }
  });

  it('sorts keys and normalizes numbers as RFC 8785 requires', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1e21, y: 0.5 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0.5,"z":1e+21}}');
  });
});
