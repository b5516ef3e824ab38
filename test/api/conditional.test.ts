import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Operation } from '../../src/core/index.js';
import { apiFixture, type ApiFixture } from './fixture.js';

const BILL_OF_LADING = createHash('sha256').update('B/L OLNU-2026-0042: 40 ft container, Singapore to Rotterdam').digest('hex');

describe('conditional payments through the API', () => {
  let f: ApiFixture;
  let deadlineMs: number;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-CP' }]);
    deadlineMs = f.t.ledger.now() + 30 * 86_400_000;
    const create: Operation = {
      type: 'conditional_payment', payment: 'po-7', from: 'acme-usd', to: 'globex-usd', amount: '500.00', deadlineMs, autoRelease: true, arbiter: 'operator',
      tranches: [
        { tranche: 'signing', amount: '150.00' },
        { tranche: 'shipment', amount: '300.00', attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] },
        { tranche: 'inspection', amount: '50.00', approvers: ['initech'] },
      ],
    };
    const response = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [create]));
    assert.deepEqual(response.json.receipt.result, { status: 'committed' }, JSON.stringify(response.json));
  });
  after(() => f.close());

  it('pays the share due on signing at once and shows what each tranche still waits for', async () => {
    const { json, status } = await f.call('acme', 'GET', '/v1/conditional-payments/po-7');
    assert.equal(status, 200);
    assert.deepEqual([json.amount, json.locked, json.released, json.status], ['500.00', '350.00', '150.00', 'active']);
    assert.deepEqual(json.tranches.map((t: any) => [t.id, t.status]), [['signing', 'released'], ['shipment', 'pending'], ['inspection', 'pending']]);
    assert.deepEqual(json.tranches[1].waitingFor, { approvals: 0, attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }], untilMs: null });
    assert.deepEqual(json.tranches[2].waitingFor, { approvals: 1, attestations: [], untilMs: null });
  });

  it('releases a tranche the moment the carrier attests the bill of lading', async () => {
    const response = await f.call('oceanic-lines', 'POST', '/v1/transactions', await f.envelope('oceanic-lines', [{ type: 'attest', payment: 'po-7', tranche: 'shipment', documentType: 'bill_of_lading', documentHash: BILL_OF_LADING }]));
    assert.deepEqual(response.json.receipt.result, { status: 'committed' });
    assert.equal(f.t.ledger.state.accounts.get('globex-usd')!.availableMinor, 45_000n);
    const { json } = await f.call('globex', 'GET', '/v1/conditional-payments/po-7');
    assert.deepEqual(json.tranches[1].attested, [{ attester: 'oceanic-lines', documentType: 'bill_of_lading', documentHash: BILL_OF_LADING }]);
    const events = await f.call('globex', 'GET', '/v1/events?types=tranche_released');
    assert.deepEqual(events.json.data.map((e: any) => [e.data.tranche, e.data.amount]), [['signing', '150.00'], ['shipment', '300.00']]);
  });

  it('shows the payment to the parties and the participants it names, and to no one else', async () => {
    for (const viewer of ['acme', 'globex', 'initech', 'oceanic-lines', 'operator', 'auditor']) {
      assert.equal((await f.call(viewer, 'GET', '/v1/conditional-payments/po-7')).status, 200, viewer);
    }
    const stranger = await f.call('veritas-inspect', 'GET', '/v1/conditional-payments/po-7');
    assert.deepEqual([stranger.status, stranger.json.error.code], [403, 'forbidden']);
    const missing = await f.call('acme', 'GET', '/v1/conditional-payments/po-8');
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'conditional_payment_not_found']);
  });

  it('refuses at the door an approval by someone not named, recording the attempt, and moves nothing', async () => {
    const before = f.t.ledger.state.accounts.get('acme-usd')!;
    const response = await f.call('globex', 'POST', '/v1/transactions', await f.envelope('globex', [{ type: 'approve_conditional', payment: 'po-7', tranche: 'inspection' }]));
    assert.deepEqual(response.json.receipt.result, { status: 'rejected', code: 'not_an_approver', operation: 0 });
    assert.match(response.json.explanations[0].message, /globex is not an approver of tranche inspection \(its approvers: initech\)/);
    assert.deepEqual(f.t.ledger.state.accounts.get('acme-usd'), before);
  });

  it('refuses malformed conditions before anything is recorded', async () => {
    const height = f.t.ledger.engine.head?.header.height;
    const response = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [{
      type: 'conditional_payment', payment: 'po-9', from: 'acme-usd', to: 'globex-usd', amount: '10.00', deadlineMs,
      tranches: [{ tranche: 'a', amount: '6.00' }, { tranche: 'b', amount: '3.00' }],
    }]));
    assert.deepEqual([response.status, response.json.error.code], [400, 'invalid_conditions'], JSON.stringify(response.json));
    assert.match(response.json.error.message, /the tranches add up to 9.00, not 10.00/);
    assert.equal(f.t.ledger.engine.head?.header.height, height);
  });
});
