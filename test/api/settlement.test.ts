import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiFixture, type ApiFixture } from './fixture.js';

describe('settlements through the API', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-S' }]);
    await f.t.submit('straits-bank', [{ type: 'issue', account: 'globex-sgd', amount: '1350.00', depositReference: 'DEP-S' }]);
    const propose = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [
      { type: 'propose_settlement', settlement: 'fx-9', legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '1000.00' }, { from: 'globex-sgd', to: 'acme-sgd', amount: '1350.00' }], deadlineMs: f.t.ledger.now() + 3_600_000 },
      { type: 'allocate_settlement', settlement: 'fx-9', leg: 0 },
    ]));
    assert.deepEqual(propose.json.receipt.result, { status: 'committed' }, JSON.stringify(propose.json));
  });
  after(() => f.close());

  it('shows the legs and who still has to act, to the parties and overseers only', async () => {
    const { json } = await f.call('globex', 'GET', '/v1/settlements/fx-9');
    assert.deepEqual(json.legs.map((l: any) => [l.leg, l.amount, l.allocated, l.approved]), [[0, '1000.00', true, false], [1, '1350.00', false, false]]);
    assert.deepEqual(json.waitingFor, ['globex to approve leg 0', 'globex to allocate leg 1', 'acme to approve leg 1']);
    assert.equal((await f.call('auditor', 'GET', '/v1/settlements/fx-9')).status, 200);
    const stranger = await f.call('initech', 'GET', '/v1/settlements/fx-9');
    assert.deepEqual([stranger.status, stranger.json.error.code], [403, 'forbidden']);
    const missing = await f.call('acme', 'GET', '/v1/settlements/fx-0');
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'settlement_not_found']);
  });

  it('refuses to settle before everyone consented, naming who still has to act, and moves nothing', async () => {
    const response = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [{ type: 'settle', settlement: 'fx-9' }]));
    assert.deepEqual(response.json.receipt.result, { status: 'rejected', code: 'settlement_incomplete', operation: 0 });
    assert.match(response.json.explanations[0].message, /leg 1 to be allocated by the owner of globex-sgd/);
    assert.equal(f.t.ledger.state.accounts.get('globex-usd')!.availableMinor, 0n);
  });

  it('settles both legs at once when the other side consents in one transaction', async () => {
    const response = await f.call('globex', 'POST', '/v1/transactions', await f.envelope(['globex', 'acme'], [
      { type: 'allocate_settlement', settlement: 'fx-9', leg: 1 }, { type: 'approve_settlement', settlement: 'fx-9', leg: 0 },
      { type: 'approve_settlement', settlement: 'fx-9', leg: 1 }, { type: 'settle', settlement: 'fx-9' },
    ]));
    assert.deepEqual(response.json.receipt.result, { status: 'committed' });
    assert.equal(f.t.ledger.state.accounts.get('acme-sgd')!.availableMinor, 135_000n);
    assert.equal(f.t.ledger.state.accounts.get('globex-usd')!.availableMinor, 100_000n);
  });
});
