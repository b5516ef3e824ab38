import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiFixture, type ApiFixture } from './fixture.js';

describe('payments at par through the API', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [
      { type: 'join_par_settlement', asset: 'usd-fmb', settlementAccount: 'first-meridian-usd' },
      { type: 'issue', account: 'first-meridian-usd', amount: '5000.00', depositReference: 'LIQ-F' },
      { type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-A' },
    ]);
    await f.t.submit('straits-bank', [
      { type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'straits-bank-usd-scb', cap: '800.00' },
      { type: 'issue', account: 'straits-bank-usd-scb', amount: '5000.00', depositReference: 'LIQ-S' },
    ]);
    await f.t.submit('acme', [{ type: 'transfer_at_par', from: 'acme-usd', to: 'globex-usd-scb', amount: '300.00' }], { reference: 'INV-77' });
  });
  after(() => f.close());

  it('lists the members to any participant', async () => {
    const { status, json } = await f.call('initech', 'GET', '/v1/par/members');
    assert.equal(status, 200);
    assert.deepEqual(json.data.map((m: { asset: string; cap: string | null; settlementAccount: string }) => [m.asset, m.settlementAccount, m.cap]), [['usd-fmb', 'first-meridian-usd', null], ['usd-scb', 'straits-bank-usd-scb', '800.00']]);
  });

  it("shows the day's net report to the two banks and the overseers, and to no client", async () => {
    const expected = [{ currency: 'USD', bankA: 'first-meridian', assetA: 'usd-fmb', bankB: 'straits-bank', assetB: 'usd-scb', aOwesB: '300.00', bOwesA: '0.00', payments: 1, net: '300.00', payer: 'first-meridian', payee: 'straits-bank' }];
    for (const viewer of ['first-meridian', 'straits-bank', 'auditor', 'operator']) {
      const { status, json } = await f.call(viewer, 'GET', '/v1/par/net');
      assert.equal(status, 200, viewer);
      assert.deepEqual(json.positions, expected, viewer);
      assert.equal(json.final, false);
    }
    assert.deepEqual((await f.call('meridian-custody', 'GET', '/v1/par/net')).json.positions, [], 'a bank outside the pair sees nothing of it');
    const client = await f.call('acme', 'GET', '/v1/par/net');
    assert.deepEqual([client.status, client.json.error.code], [403, 'forbidden']);
  });

  it('answers a day by its date, and refuses one that is not a calendar day', async () => {
    const today = (await f.call('auditor', 'GET', '/v1/par/net')).json.day as string;
    assert.equal((await f.call('auditor', 'GET', `/v1/par/net?day=${today}`)).json.positions.length, 1);
    const empty = await f.call('auditor', 'GET', '/v1/par/net?day=2020-01-01');
    assert.deepEqual([empty.json.positions, empty.json.final], [[], true]);
    for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '2026-1-1']) {
      const answer = await f.call('auditor', 'GET', `/v1/par/net?day=${bad}`);
      assert.deepEqual([answer.status, answer.json.error.code], [400, 'invalid_request'], bad);
    }
  });

  it("tells the payer and the payee who was paid, and each bank what moved on its settlement account", async () => {
    const acme = (await f.call('acme', 'GET', '/v1/events?limit=100')).json.data.filter((e: { type: string }) => e.type === 'paid_at_par');
    assert.deepEqual(acme.map((e: { data: { to: string; amount: string } }) => [e.data.to, e.data.amount]), [['globex-usd-scb', '300.00']]);
    const globex = (await f.call('globex', 'GET', '/v1/accounts/globex-usd-scb')).json;
    assert.equal(globex.available, '300.00');
    const straits = (await f.call('straits-bank', 'GET', '/v1/accounts/straits-bank-usd-scb')).json;
    assert.equal(straits.available, '4700.00');
    assert.equal((await f.call('initech', 'GET', '/v1/events?limit=100')).json.data.some((e: { type: string }) => e.type === 'paid_at_par'), false, 'no one else learns of it');
    const history = (await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions')).json.data;
    // The payer's statement: its tokens went to its bank's settlement account, and the payment at par names the payee; one reference.
    const lines = history.filter((line: { transaction: string }) => line.transaction === history[0].transaction);
    assert.deepEqual(lines.map((l: { type: string; availableChange: string; counterparty: string; reference: string }) => [l.type, l.availableChange, l.counterparty, l.reference]), [
      ['paid_at_par', '0.00', 'globex-usd-scb', 'INV-77'],
      ['transferred', '-300.00', 'first-meridian-usd', 'INV-77'],
    ]);
  });
});
