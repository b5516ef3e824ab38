import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiFixture } from './fixture.js';

describe('back-pressure', () => {
  it('answers 503 overloaded with Retry-After when the sequencer queue is full, and records nothing', async () => {
    const f = await apiFixture({ sequencer: { queueMax: 2, blockIntervalMs: 300 } });
    try {
      await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
      const height = f.t.ledger.engine.head?.header.height ?? 0;
      const pay = () => f.envelope('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]);
      const [first, second, third] = [await pay(), await pay(), await pay()];
      // Two fill the queue while the sequencer waits out its block interval; the third finds it full.
      const queued = [f.t.ledger.submit(first!, true), f.t.ledger.submit(second!, true)];
      const refused = await f.call('acme', 'POST', '/v1/transactions', third);
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error.code, 'overloaded');
      assert.equal(refused.headers['retry-after'], '1');
      await Promise.all(queued);
      assert.equal(f.t.ledger.state.accounts.get('globex-usd')?.availableMinor, 200n);
      assert.equal(f.t.ledger.engine.head?.header.height, height + 1);
      assert.equal(await f.t.ledger.store.transactionById('acme', third!.body.id), null);
    } finally {
      await f.close();
    }
  });
});
