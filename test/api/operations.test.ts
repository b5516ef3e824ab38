import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiFixture } from './fixture.js';

describe('operations endpoints', () => {
  it('report readiness, and Prometheus metrics that follow the chain', async () => {
    const f = await apiFixture();
    try {
      assert.equal((await f.call(null, 'GET', '/ready')).status, 200);
      await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '5.00', depositReference: 'D' }]);
      await f.t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '9.00' }]);
      const response = await f.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      const height = f.t.ledger.engine.head?.header.height;
      assert.match(response.body, new RegExp(`^depositum_block_height ${height}$`, 'm'));
      assert.match(response.body, /^depositum_transactions_total\{result="committed"\} 1$/m, 'the demo setup ran before the metrics existed; the mint is counted');
      assert.match(response.body, /^depositum_transactions_total\{result="rejected"\} 1$/m);
      assert.match(response.body, /^depositum_block_commit_seconds_count 2$/m);
      assert.match(response.body, /^depositum_sequencer_queue_depth 0$/m);

      await f.t.ledger.sequencer.stop();
      const stopping = await f.call(null, 'GET', '/ready');
      assert.equal(stopping.status, 503);
      assert.equal(stopping.json.ready, false);
    } finally {
      await f.close();
    }
  });
});
