import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiFixture, type ApiFixture } from './fixture.js';

describe('simulation', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-SIM' }]);
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '777.00', depositReference: 'DEP-SIM' }]);
  });
  after(() => f.close());

  const simulate = async (who: string, body: unknown) => f.call(who, 'POST', '/v1/simulate', body);

  it("shows what a payment would do, with the caller's balances after, and changes nothing", async () => {
    const height = f.t.ledger.engine.head?.header.height;
    const { status, json } = await simulate('acme', { operations: [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '250.00' }] });
    assert.equal(status, 200);
    assert.deepEqual(json.result, { status: 'committed' });
    assert.deepEqual(json.events.map((e: any) => [e.type, e.data.amount]), [['transferred', '250.00']]);
    // Acme's own balance after, never Globex's.
    assert.deepEqual(json.balances, [{ account: 'acme-usd', available: '750.00', held: '0.00' }]);
    assert.equal(f.t.ledger.state.accounts.get('acme-usd')!.availableMinor, 100_000n);
    assert.equal(f.t.ledger.engine.head?.header.height, height);
  });

  it('says why a transaction would be refused, under the caller\'s own authority only', async () => {
    const poor = await simulate('acme', { operations: [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '5000.00' }] });
    assert.deepEqual(poor.json.result, { status: 'rejected', code: 'insufficient_funds', operation: 0 });
    assert.match(poor.json.explanations[0].message, /acme-usd has 1000.00 available/);
    // Someone else's money: not authorized, before anything about its balance is said.
    const probe = await simulate('acme', { operations: [{ type: 'transfer', from: 'globex-usd', to: 'acme-usd', amount: '776.00' }] });
    assert.deepEqual(probe.json.result, { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.doesNotMatch(JSON.stringify(probe.json), /777/);
  });

  it('runs a whole escrow set-up, conditions included', async () => {
    const { json } = await simulate('acme', { operations: [{ type: 'conditional_payment', payment: 'sim-1', from: 'acme-usd', to: 'globex-usd', amount: '100.00', deadlineMs: f.t.ledger.now() + 86_400_000, autoRelease: true, tranches: [{ tranche: 'now', amount: '40.00' }, { tranche: 'later', amount: '60.00', approvers: ['initech'] }] }] });
    assert.deepEqual(json.events.map((e: any) => e.type), ['conditional_payment_created', 'tranche_released']);
    assert.deepEqual(json.balances, [{ account: 'acme-usd', available: '900.00', held: '60.00' }]);
    assert.equal(f.t.ledger.state.conditional_payments.get('sim-1'), undefined);
  });

  it('refuses a malformed body at the door', async () => {
    const bad = await simulate('acme', { operations: [] });
    assert.deepEqual([bad.status, bad.json.error.code], [400, 'invalid_request']);
  });
});
