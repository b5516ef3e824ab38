import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Operation } from '../../src/core/index.js';
import { apiFixture, type ApiFixture } from './fixture.js';

const order = { reason: 'court_order', legalReference: 'SDNY 1:26-cv-01234, order of 2026-11-20' } as const;
const force = (amount: string, extra: Record<string, unknown> = order): Operation => ({ type: 'force_transfer', from: 'acme-usd', to: 'globex-usd', amount, ...extra } as Operation);

describe('force_transfer: a court order through the API', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-FT' }]);
    await f.t.submit('operator', [{ type: 'freeze_account', account: 'acme-usd' }]);
  });
  after(() => f.close());

  it('moves money out of a frozen account, by compliance with the issuer, and both owners and the issuer see why', async () => {
    const response = await f.call('operator', 'POST', '/v1/transactions', await f.envelope(['operator', 'first-meridian'], [force('400.00')]));
    assert.deepEqual(response.json.receipt.result, { status: 'committed' });
    assert.equal(f.t.ledger.state.accounts.get('acme-usd')!.availableMinor, 60_000n);
    for (const viewer of ['acme', 'globex', 'first-meridian']) {
      const events = await f.call(viewer, 'GET', '/v1/events?types=force_transferred');
      assert.deepEqual(events.json.data.map((e: any) => [e.data.amount, e.data.reason, e.data.legalReference, e.data.orderedBy]), [['400.00', 'court_order', order.legalReference, 'operator']], viewer);
    }
    assert.deepEqual((await f.call('initech', 'GET', '/v1/events?types=force_transferred')).json.data, []);
    const history = await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions?limit=1');
    assert.deepEqual([history.json.data[0].type, history.json.data[0].availableChange, history.json.data[0].available], ['force_transferred', '-400.00', '600.00']);
  });

  it('without the issuer\'s signature is recorded as not authorized, saying whose signature is missing', async () => {
    const response = await f.call('operator', 'POST', '/v1/transactions', await f.envelope('operator', [force('1.00')]));
    assert.deepEqual(response.json.receipt.result, { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.match(response.json.explanations[0].message, /signature of first-meridian, the issuer of usd-fmb/);
  });

  const malformed: [string, Record<string, unknown>, string][] = [
    ['without a reason', { legalReference: order.legalReference }, 'body.operations[0]'],
    ['with a reason outside the list', { ...order, reason: 'because' }, 'body.operations[0].reason'],
    ['with an empty legal reference', { ...order, legalReference: '' }, 'body.operations[0].legalReference'],
    ['with a control character in the legal reference', { ...order, legalReference: 'order\u0000' }, 'body.operations[0].legalReference'],
  ];
  for (const [name, extra, param] of malformed) {
    it(`${name} is refused at the door, nothing recorded`, async () => {
      const height = f.t.ledger.engine.head?.header.height;
      const response = await f.call('operator', 'POST', '/v1/transactions', await f.envelope(['operator', 'first-meridian'], [force('1.00', extra)]));
      assert.deepEqual([response.status, response.json.error.code], [400, 'invalid_request'], JSON.stringify(response.json));
      assert.ok(response.json.error.param.startsWith(param), response.json.error.param);
      assert.equal(f.t.ledger.engine.head?.header.height, height);
    });
  }
});
