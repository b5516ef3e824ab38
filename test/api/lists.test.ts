import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Operation } from '../../src/core/index.js';
import { apiFixture, type ApiFixture } from './fixture.js';

const ids = (json: { data: { id: string }[] }) => json.data.map((item) => item.id);

/**
 * Holds, conditional payments and settlements are listed to whoever may read each one:
 * its parties (and the participants a condition names), overseers all; nobody else sees
 * that they exist. A page is by id, of one status if asked.
 */
describe('lists of holds, conditional payments and settlements', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '10000.00', depositReference: 'DEP-LISTS' }]);
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '10000.00', depositReference: 'DEP-LISTS' }]);
    const expiresAtMs = f.t.ledger.now() + 3_600_000;
    const operations: Operation[] = [
      { type: 'hold', hold: 'h-acme-1', from: 'acme-usd', to: 'globex-usd', amount: '10.00', expiresAtMs },
      { type: 'hold', hold: 'h-acme-2', from: 'acme-usd', to: 'globex-usd', amount: '20.00', expiresAtMs },
      { type: 'hold', hold: 'h-acme-3', from: 'acme-usd', to: 'initech-usd', amount: '30.00', expiresAtMs },
      { type: 'void', hold: 'h-acme-2' },
      { type: 'conditional_payment', payment: 'cp-lists', from: 'acme-usd', to: 'globex-usd', amount: '100.00', deadlineMs: f.t.ledger.now() + 86_400_000, autoRelease: true, tranches: [{ tranche: 'all', amount: '100.00', approvers: ['oceanic-lines'] }] },
      { type: 'propose_settlement', settlement: 'st-lists', legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '5.00' }, { from: 'globex-usd', to: 'acme-usd', amount: '5.00' }], deadlineMs: f.t.ledger.now() + 3_600_000 },
    ];
    const response = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', operations));
    assert.deepEqual(response.json.receipt.result, { status: 'committed' }, JSON.stringify(response.json));
    const globex = await f.call('globex', 'POST', '/v1/transactions', await f.envelope('globex', [{ type: 'hold', hold: 'h-globex-1', from: 'globex-usd', to: 'initech-usd', amount: '1.00', expiresAtMs }]));
    assert.deepEqual(globex.json.receipt.result, { status: 'committed' });
  });
  after(() => f.close());

  it("lists a client's holds, payer or payee, by id, with their status; another client's stay out of it", async () => {
    const acme = await f.call('acme', 'GET', '/v1/holds');
    assert.equal(acme.status, 200);
    assert.deepEqual(ids(acme.json), ['h-acme-1', 'h-acme-2', 'h-acme-3']);
    assert.deepEqual(acme.json.data.map((h: { status: string; amount: string }) => [h.status, h.amount]), [['pending', '10.00'], ['voided', '20.00'], ['pending', '30.00']]);
    assert.deepEqual(ids((await f.call('globex', 'GET', '/v1/holds')).json), ['h-acme-1', 'h-acme-2', 'h-globex-1']);
    assert.deepEqual(ids((await f.call('initech', 'GET', '/v1/holds')).json), ['h-acme-3', 'h-globex-1']);
    assert.deepEqual(ids((await f.call('oceanic-lines', 'GET', '/v1/holds')).json), []);
    assert.deepEqual(ids((await f.call('auditor', 'GET', '/v1/holds')).json), ['h-acme-1', 'h-acme-2', 'h-acme-3', 'h-globex-1']);
  });

  it('filters by status and pages by id', async () => {
    assert.deepEqual(ids((await f.call('acme', 'GET', '/v1/holds?status=pending')).json), ['h-acme-1', 'h-acme-3']);
    const first = await f.call('auditor', 'GET', '/v1/holds?limit=2');
    assert.deepEqual([ids(first.json), first.json.has_more], [['h-acme-1', 'h-acme-2'], true]);
    const second = await f.call('auditor', 'GET', '/v1/holds?limit=2&starting_after=h-acme-2');
    assert.deepEqual([ids(second.json), second.json.has_more], [['h-acme-3', 'h-globex-1'], false]);
    const bad = await f.call('acme', 'GET', '/v1/holds?status=lost');
    assert.deepEqual([bad.status, bad.json.error.code], [400, 'invalid_request']);
  });

  it('lists a conditional payment to its parties and the approver it names, a settlement to its parties; no one else learns of them', async () => {
    for (const viewer of ['acme', 'globex', 'oceanic-lines', 'auditor']) assert.deepEqual(ids((await f.call(viewer, 'GET', '/v1/conditional-payments')).json), ['cp-lists'], viewer);
    assert.deepEqual(ids((await f.call('initech', 'GET', '/v1/conditional-payments')).json), []);
    const active = await f.call('globex', 'GET', '/v1/conditional-payments?status=active');
    assert.deepEqual(active.json.data.map((p: { id: string; tranches: { waitingFor: { approvals: number } }[] }) => [p.id, p.tranches[0]!.waitingFor.approvals]), [['cp-lists', 1]]);
    assert.deepEqual(ids((await f.call('globex', 'GET', '/v1/conditional-payments?status=completed')).json), []);
    for (const viewer of ['acme', 'globex', 'operator']) assert.deepEqual(ids((await f.call(viewer, 'GET', '/v1/settlements')).json), ['st-lists'], viewer);
    assert.deepEqual(ids((await f.call('initech', 'GET', '/v1/settlements')).json), []);
    const proposed = await f.call('acme', 'GET', '/v1/settlements?status=proposed');
    assert.deepEqual(proposed.json.data[0].waitingFor, ['acme to allocate leg 0', 'globex to approve leg 0', 'globex to allocate leg 1', 'acme to approve leg 1']);
  });
});
