import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AMOUNT_MAX_MINOR, addChecked, formatAmount, parseAmount } from '../../src/core/index.js';

describe('amounts', () => {
  it('parses decimal strings into minor units', () => {
    assert.deepEqual(parseAmount('1000000.00', 2), { ok: true, minor: 100_000_000n });
    assert.deepEqual(parseAmount('0.5', 2), { ok: true, minor: 50n });
    assert.deepEqual(parseAmount('7', 0), { ok: true, minor: 7n });
  });

  it('refuses what is not a plain non-negative decimal', () => {
    for (const text of ['', '-1', '+1', '1e3', '01', '1.', '.5', ' 1', '1,000.00', 'NaN', '0x10']) {
      assert.deepEqual(parseAmount(text, 2), { ok: false, reason: 'format' }, text);
    }
  });

  it('refuses more decimals than the asset has, and amounts past the ceiling', () => {
    assert.deepEqual(parseAmount('1.001', 2), { ok: false, reason: 'precision' });
    assert.deepEqual(parseAmount('1.5', 0), { ok: false, reason: 'precision' });
    assert.deepEqual(parseAmount('9'.repeat(39), 0), { ok: false, reason: 'overflow' });
    assert.equal(addChecked(AMOUNT_MAX_MINOR, 1n), null);
  });

  it('formats and parses back to the same value', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: AMOUNT_MAX_MINOR / 10n ** 18n }), fc.integer({ min: 0, max: 18 }), (minor, decimals) => {
      const text = formatAmount(minor, decimals);
      assert.deepEqual(parseAmount(text, decimals), { ok: true, minor });
    }));
    assert.equal(formatAmount(5n, 2), '0.05');
    assert.equal(formatAmount(-5n, 2), '-0.05');
  });
});
