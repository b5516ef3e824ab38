import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareNames } from '../../src/names/match.js';
import { apiFixture, type ApiFixture } from './fixture.js';

describe('confirmation of payee', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
  });
  after(() => f.close());

  const check = async (account: string, name: string, asker = 'acme') => (await f.call(asker, 'GET', `/v1/payee-check?account=${encodeURIComponent(account)}&name=${encodeURIComponent(name)}`)).json;

  it('answers match for the registered name, whatever its case, punctuation, legal form or word order', async () => {
    for (const name of ['Globex Trading Pte. Ltd.', 'GLOBEX TRADING PTE LTD', 'globex trading', 'Trading Globex']) {
      assert.deepEqual(await check('globex-usd', name), { account: 'globex-usd', result: 'match' }, name);
    }
  });

  it('answers close match with the registered name for a typo, and no match for another company', async () => {
    assert.deepEqual(await check('globex-usd', 'Globex Tradng'), { account: 'globex-usd', result: 'close_match', registeredName: 'Globex Trading Pte. Ltd.' });
    assert.deepEqual(await check('acme-usd', 'Apex Logistics Inc.', 'globex'), { account: 'acme-usd', result: 'no_match' });
    assert.deepEqual(await check('acme-usd', 'Globex Trading', 'globex'), { account: 'acme-usd', result: 'no_match' });
  });

  it('says only "unavailable" for an unknown or frozen account, never why', async () => {
    assert.deepEqual(await check('globx-usd', 'Globex Trading'), { account: 'globx-usd', result: 'unavailable' });
    await f.t.submit('operator', [{ type: 'freeze_account', account: 'initech-usd' }]);
    assert.deepEqual(await check('initech-usd', 'Initech Manufacturing GmbH'), { account: 'initech-usd', result: 'unavailable' });
  });

  it('refuses a request without a name, or an unsigned one', async () => {
    const empty = await f.call('acme', 'GET', '/v1/payee-check?account=globex-usd&name=');
    assert.deepEqual([empty.status, empty.json.error.code], [400, 'invalid_request']);
    const anonymous = await f.app.inject({ method: 'GET', url: '/v1/payee-check?account=globex-usd&name=Globex' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('compares names transliterated from other scripts and with diacritics', () => {
    assert.equal(compareNames('Société Générale S.A.', 'Societe Generale').verdict, 'match');
    assert.equal(compareNames('Müller Maschinenbau AG', 'Muller Maschinenbau').verdict, 'match');
    assert.equal(compareNames('Acme Logistics Inc.', 'Apex Logistics').verdict, 'no_match');
  });
});
