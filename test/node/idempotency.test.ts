import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signTransaction } from '../../src/chain/index.js';
import { LedgerError } from '../../src/node/errors.js';
import { body, openTestLedger, signerOf } from '../helpers.js';

describe('idempotency under concurrency', () => {
  it('sequences a transaction sent twice at once only once, answering both with the same receipt', async () => {
    const t = await openTestLedger();
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
      const envelope = await signTransaction(body(t.network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]), [signerOf(t.network, 'acme')]);
      const [a, b] = await Promise.all([t.ledger.submit(envelope, true), t.ledger.submit(envelope, true)]);
      assert.ok(a.status === 'sealed' && b.status === 'sealed');
      assert.deepEqual(a.receipt, b.receipt);
      assert.deepEqual([a.replayed, b.replayed].sort(), [false, true]);
      assert.equal(t.ledger.state.accounts.get('globex-usd')?.availableMinor, 100n);
      assert.equal(t.ledger.engine.failed, null);
    } finally {
      await t.close();
    }
  });

  it('refuses the second of two different transactions sent at once under one id', async () => {
    const t = await openTestLedger();
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
      const signed = (amount: string) => signTransaction(body(t.network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }], { id: 'same-id' }), [signerOf(t.network, 'acme')]);
      const outcomes = await Promise.allSettled([t.ledger.submit(await signed('1.00'), true), t.ledger.submit(await signed('2.00'), true)]);
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      const refused = outcomes.find((o) => o.status === 'rejected');
      assert.ok(refused?.status === 'rejected' && refused.reason instanceof LedgerError && refused.reason.code === 'idempotency_conflict');
      assert.equal(t.ledger.engine.failed, null);
    } finally {
      await t.close();
    }
  });
});
