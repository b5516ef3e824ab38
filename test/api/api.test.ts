import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AUTH_HEADERS, receiptProblem } from '../../src/chain/index.js';
import type { Operation } from '../../src/core/index.js';
import { apiFixture, type ApiFixture } from './fixture.js';

/** A transfer; `amount` may deliberately be of the wrong type, as a careless client would send it. */
const pay = (amount: unknown, from = 'acme-usd', to = 'globex-usd'): Operation => ({ type: 'transfer', from, to, amount: amount as string });

describe('HTTP API', () => {
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-1' }]);
  });
  after(() => f.close());

  describe('authentication', () => {
    it('serves health, network and the OpenAPI document without it', async () => {
      assert.equal((await f.call(null, 'GET', '/health')).status, 200);
      const network = await f.call(null, 'GET', '/v1/network');
      assert.equal(network.json.network, 'depositum-test');
      const openapi = await f.call(null, 'GET', '/openapi.json');
      assert.ok(openapi.json.paths['/v1/transactions']);
      assert.ok(openapi.json.paths['/v1/accounts/{id}']);
    });

    it('requires a request signature everywhere else', async () => {
      const response = await f.call(null, 'GET', '/v1/accounts');
      assert.equal(response.status, 401);
      assert.deepEqual(response.json.error.code, 'authentication_required');
      assert.equal(response.json.error.type, 'authentication_error');
    });

    it('rejects a signature by the wrong key, a forged participant and a stale timestamp', async () => {
      const forged = await f.call('acme', 'GET', '/v1/accounts', undefined, { [AUTH_HEADERS.participant]: 'globex' });
      assert.equal(forged.json.error.code, 'authentication_failed');
      const stale = await f.call('acme', 'GET', '/v1/accounts', undefined, { [AUTH_HEADERS.timestamp]: String(Date.now() - 10 * 60 * 1000) });
      assert.equal(stale.json.error.code, 'request_expired');
      const tamperedUrl = await f.call('acme', 'GET', '/v1/accounts', undefined, { [AUTH_HEADERS.signature]: 'A'.repeat(86) });
      assert.equal(tamperedUrl.status, 401);
    });
  });

  describe('sessions', () => {
    it('trade a signed request for a bearer token with the same rights', async () => {
      const opened = await f.call('acme', 'POST', '/v1/sessions');
      assert.equal(opened.status, 201);
      assert.match(opened.json.token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      const bearer = { authorization: `Bearer ${opened.json.token}` };
      const mine = await f.call(null, 'GET', '/v1/accounts', undefined, bearer);
      assert.deepEqual(mine.json.data.map((a: { id: string }) => a.id), ['acme-bond', 'acme-hkd', 'acme-sgd', 'acme-usd', 'acme-usd-scb']);
      assert.equal((await f.call(null, 'GET', '/v1/accounts/globex-usd', undefined, bearer)).json.error.code, 'forbidden');
      assert.equal((await f.call(null, 'POST', '/v1/sessions', undefined, bearer)).json.error.code, 'authentication_required');
    });

    it('refuse an unknown token', async () => {
      const response = await f.call(null, 'GET', '/v1/accounts', undefined, { authorization: `Bearer ${'x'.repeat(43)}` });
      assert.equal(response.status, 401);
      assert.equal(response.json.error.code, 'authentication_failed');
    });
  });

  describe('visibility', () => {
    it('shows a client only its own accounts', async () => {
      const mine = await f.call('acme', 'GET', '/v1/accounts');
      assert.deepEqual(mine.json.data.map((a: { id: string }) => a.id), ['acme-bond', 'acme-hkd', 'acme-sgd', 'acme-usd', 'acme-usd-scb']);
      const theirs = await f.call('acme', 'GET', '/v1/accounts/globex-usd');
      assert.equal(theirs.status, 403);
      assert.equal(theirs.json.error.code, 'forbidden');
      assert.equal((await f.call('acme', 'GET', '/v1/accounts/nobody-usd')).json.error.code, 'account_not_found');
    });

    it('shows the auditor every account, with balances as decimal strings', async () => {
      const all = await f.call('auditor', 'GET', '/v1/accounts');
      // Four assets: each issuer's own, and one of each for the three clients.
      assert.equal(all.json.data.length, 20);
      const acme = await f.call('auditor', 'GET', '/v1/accounts/acme-usd');
      assert.deepEqual(acme.json, { id: 'acme-usd', owner: 'acme', asset: 'usd-fmb', available: '1000.00', held: '0.00', frozen: false });
    });

    it('shows a transaction to its parties and overseers only', async () => {
      const receipt = await f.t.submit('acme', [pay('1.00', 'acme-usd', 'initech-usd')]);
      assert.equal((await f.call('initech', 'GET', `/v1/transactions/${receipt.transaction}`)).status, 200);
      assert.equal((await f.call('auditor', 'GET', `/v1/transactions/${receipt.transaction}`)).status, 200);
      const stranger = await f.call('globex', 'GET', `/v1/transactions/${receipt.transaction}`);
      assert.equal(stranger.json.error.code, 'forbidden');
      const block = await f.call('globex', 'GET', `/v1/blocks/${receipt.block.header.height}/transactions`);
      assert.deepEqual(block.json, { complete: false, data: [] });
    });

    it('gives clients the directory but not others\' KYC details', async () => {
      const other = await f.call('acme', 'GET', '/v1/participants/globex');
      assert.equal(other.json.legalName, 'Globex Trading Pte. Ltd.');
      assert.equal(other.json.kycStatus, undefined);
      assert.equal((await f.call('acme', 'GET', '/v1/participants/acme')).json.kycStatus, 'approved');
    });
  });

  describe('submission', () => {
    it('commits and returns a receipt that checks against the validator key', async () => {
      const envelope = await f.envelope('acme', [pay('10.00')]);
      const response = await f.call('acme', 'POST', '/v1/transactions', envelope);
      assert.equal(response.status, 200);
      assert.equal(response.json.receipt.result.status, 'committed');
      assert.equal(receiptProblem(response.json.receipt, envelope, f.t.ledger.genesis.validators), null);
      const fetched = await f.call('acme', 'GET', `/v1/transactions/${response.json.receipt.transaction}/receipt`);
      assert.deepEqual(fetched.json, response.json.receipt);
    });

    it('answers 202 without waiting', async () => {
      const response = await f.call('acme', 'POST', '/v1/transactions?wait=false', await f.envelope('acme', [pay('1.00')]));
      assert.equal(response.status, 202);
      assert.equal(response.json.status, 'pending');
    });

    it('replays the first result for the same id and content, and refuses other content', async () => {
      const envelope = await f.envelope('acme', [pay('2.00')], { id: 'pay-once' });
      const first = await f.call('acme', 'POST', '/v1/transactions', envelope);
      const again = await f.call('acme', 'POST', '/v1/transactions', envelope);
      assert.equal(again.status, 200);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(again.json.receipt, first.json.receipt);
      const different = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [pay('3.00')], { id: 'pay-once' }));
      assert.equal(different.status, 409);
      assert.equal(different.json.error.code, 'idempotency_conflict');
    });

    it('records a transaction the state machine rejects, with its code and operation', async () => {
      const response = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [pay('1.00'), pay('999999.00')]));
      assert.equal(response.status, 200);
      assert.deepEqual(response.json.receipt.result, { status: 'rejected', code: 'insufficient_funds', operation: 1 });
      // Why, in words: never part of the chain, so given with the first answer.
      assert.deepEqual(response.json.explanations.map((e: any) => [e.code, e.operation, e.param]), [['insufficient_funds', 1, 'body.operations[1].amount']]);
      assert.match(response.json.explanations[0].message, /^operations\[1\]\.amount: acme-usd has [0-9]+\.[0-9]{2} available$/);
    });

    it('takes a bulk file whole, recording each bad line instead of refusing the file', async () => {
      const envelope = await f.envelope('acme', [pay('1.00'), pay('1.00', 'acme-usd', 'ghost-usd'), pay('1.001')], { atomic: false });
      const response = await f.call('acme', 'POST', '/v1/transactions', envelope);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json.receipt.result, { status: 'committed', rejected: [{ code: 'account_not_found', operation: 1 }, { code: 'amount_too_precise', operation: 2 }] });
      assert.deepEqual(response.json.explanations.map((e: any) => [e.param, e.message]), [
        ['body.operations[1].to', 'operations[1].to: no account "ghost-usd"'],
        ['body.operations[2].amount', 'operations[2].amount: "1.001" has more decimals than usd-fmb allows (2)'],
      ]);
      assert.equal(receiptProblem(response.json.receipt, envelope, f.t.ledger.genesis.validators), null);
    });

    it('pages an account history newest first, each line with its change and balances after', async () => {
      const first = await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions?limit=2');
      assert.equal(first.json.data.length, 2);
      assert.equal(first.json.has_more, true);
      const all: any[] = [...first.json.data];
      for (let next = first.json.next; next !== null;) {
        const page = await f.call('acme', 'GET', `/v1/accounts/acme-usd/transactions?limit=2&starting_after=${next}`);
        all.push(...page.json.data);
        next = page.json.has_more ? page.json.next : null;
      }
      // Newest first, and each line's balance is the one before it plus its change.
      const cents = (text: string) => Math.round(Number(text) * 100);
      for (let i = 0; i + 1 < all.length; i += 1) assert.equal(cents(all[i].available), cents(all[i + 1].available) + cents(all[i].availableChange), JSON.stringify(all[i]));
      assert.equal(all[0].available, f.t.ledger.state.accounts.get('acme-usd')!.availableMinor === 0n ? '0.00' : (Number(f.t.ledger.state.accounts.get('acme-usd')!.availableMinor) / 100).toFixed(2));
      assert.deepEqual(all.at(-1).type, 'account_opened');
      assert.ok(all.some((line) => line.type === 'transaction_rejected' && line.code === 'insufficient_funds'), 'the rejected attempt is in the payer\'s history');
      const tooMany = await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions?limit=501');
      assert.equal(tooMany.json.error.code, 'invalid_request');
      assert.equal(tooMany.json.error.param, 'limit');
    });

    it('filters an account history by reference, counterparty and time, and tells a balance as of a time', async () => {
      const before = Date.now() - 1;
      await f.t.submit('acme', [pay('3.21', 'acme-usd', 'initech-usd')], { reference: 'INV-FILTER-1', memo: 'filter me' });
      const byReference = await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions?reference=INV-FILTER-1');
      assert.deepEqual(byReference.json.data.map((line: any) => [line.type, line.availableChange, line.counterparty, line.memo]), [['transferred', '-3.21', 'initech-usd', 'filter me']]);
      const byCounterparty = await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions?counterparty=initech');
      assert.ok(byCounterparty.json.data.length >= 1 && byCounterparty.json.data.every((line: any) => line.counterparty === 'initech-usd'));
      const inRange = await f.call('acme', 'GET', `/v1/accounts/acme-usd/transactions?from=${before}`);
      assert.deepEqual(inRange.json.data.map((line: any) => line.reference), ['INV-FILTER-1']);
      const then = await f.call('acme', 'GET', `/v1/accounts/acme-usd/balance?at=${before}`);
      const now = await f.call('acme', 'GET', `/v1/accounts/acme-usd/balance?at=${Date.now() + 1000}`);
      assert.equal(Math.round(Number(then.json.available) * 100) - 321, Math.round(Number(now.json.available) * 100));
      assert.equal((await f.call('acme', 'GET', '/v1/accounts/acme-usd/balance?at=2000-01-01')).json.available, '0.00');
      assert.equal((await f.call('globex', 'GET', '/v1/accounts/acme-usd/balance?at=2030-01-01')).json.error.code, 'forbidden');
      for (const [query, param] of [['balance?at=2026-02-31', 'at'], ['transactions?from=2026-13-01', 'from'], ['transactions?to=2026-11-21T24:00', 'to']] as const) {
        const refused = await f.call('acme', 'GET', `/v1/accounts/acme-usd/${query}`);
        assert.deepEqual([refused.status, refused.json.error.code, refused.json.error.param], [400, 'invalid_request', param], query);
      }
    });

    it('finds the caller\'s transaction by the start of its hash, and only the caller\'s', async () => {
      const { transaction: hash } = await f.t.submit('acme', [pay('1.00')], { reference: 'PREFIX-1' });
      const found = await f.call('acme', 'GET', `/v1/transactions?hash_prefix=${hash.slice(0, 8)}`);
      assert.equal(found.json.hash, hash);
      const stranger = await f.call('initech', 'GET', `/v1/transactions?hash_prefix=${hash.slice(0, 8)}`);
      assert.deepEqual([stranger.status, stranger.json.error.code], [404, 'transaction_not_found']);
      assert.equal((await f.call('auditor', 'GET', `/v1/transactions?hash_prefix=${hash.slice(0, 12)}`)).json.hash, hash);
      // With more than 16 transactions on the chain, two start with the same hex digit: the auditor, who sees all, is told to give more.
      const auditor = { participant: f.t.ledger.state.participants.get('auditor')!, seesAll: true };
      const digits = await Promise.all([...'0123456789abcdef'].map((digit) => f.t.ledger.queries.transactionByHashPrefix(auditor, digit).then(() => null, (error: Error) => error.message)));
      assert.ok(digits.some((message) => message !== null && /start with [0-9a-f]: give more of the hash/.test(message)), JSON.stringify(digits));
      for (const query of ['hash_prefix=abc', 'hash_prefix=ABCDEF12', `hash_prefix=${hash.slice(0, 8)}&sender=acme`, 'sender=acme']) {
        const refused = await f.call('acme', 'GET', `/v1/transactions?${query}`);
        assert.deepEqual([refused.status, refused.json.error.code], [400, 'invalid_request'], query);
      }
    });
  });

  describe('bad input gets a clear error and loses nothing', () => {
    const cases: [string, () => Promise<unknown> | unknown, number, string, string?, RegExp?][] = [
      ['malformed JSON', () => '{"body": ', 400, 'malformed_json'],
      ['a float amount', () => f.envelope('acme', [pay(10.5)]), 400, 'invalid_amount', 'body.operations[0].amount'],
      ['a negative amount', () => f.envelope('acme', [pay('-10.00')]), 400, 'invalid_amount', 'body.operations[0].amount'],
      ['an over-precise amount', () => f.envelope('acme', [pay('10.001')]), 400, 'amount_too_precise', 'body.operations[0].amount', /"10\.001" has more decimals than usd-fmb allows \(2\)/],
      ['an unknown account', () => f.envelope('acme', [pay('1.00', 'acme-usd', 'ghost-usd')]), 404, 'account_not_found', 'body.operations[0].to', /^operations\[0\]\.to: no account "ghost-usd"$/],
      ['an amount beyond the ledger\'s ceiling', () => f.envelope('acme', [pay('1701411834604692317316873037158841057.28')]), 400, 'invalid_amount', 'body.operations[0].amount', /ceiling/],
      ['an unknown asset', () => f.envelope('operator', [{ type: 'open_account', account: 'x-1', owner: 'acme', asset: 'eur-x' }]), 404, 'asset_not_found'],
      ['an unknown field', async () => ({ ...(await f.envelope('acme', [pay('1.00')])), extra: true }), 400, 'invalid_request', 'extra'],
      ['an operation type the ledger does not have', () => f.envelope('acme', [{ type: 'teleport' } as never]), 400, 'invalid_request', 'body.operations[0].type', /"teleport" is not one this node knows \(register_participant, .*transfer, force_transfer/],
      ['a value outside a fixed list', () => f.envelope('operator', [{ type: 'force_transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00', reason: 'because', legalReference: 'X' } as never]), 400, 'invalid_request', 'body.operations[0].reason', /"court_order", "regulatory_seizure"/],
      ['an amount of 39 digits, whatever the asset', () => f.envelope('acme', [pay('9'.repeat(39))]), 400, 'invalid_amount', 'body.operations[0].amount'],
      ['an unknown operation type', () => f.envelope('acme', [{ type: 'teleport' } as never]), 400, 'invalid_request'],
      ['a missing signature', async () => ({ ...(await f.envelope('acme', [pay('1.00')])), signatures: [] }), 401, 'signature_missing'],
      ['a bad signature', async () => {
        const envelope = await f.envelope('acme', [pay('1.00')]);
        return { ...envelope, body: { ...envelope.body, memo: 'changed after signing' } };
      }, 401, 'signature_invalid'],
      ['a signature by someone else only', () => f.envelope(['globex'], [pay('1.00')]).then((e) => ({ ...e, body: { ...e.body, sender: 'acme' } })), 401, 'signature_invalid'],
      ['a wrong network id', () => f.envelope('acme', [pay('1.00')], { network: 'other-net' }), 400, 'network_mismatch'],
      ['an expired valid-until', () => f.envelope('acme', [pay('1.00')], { validUntilMs: Date.now() - 1000 }), 400, 'transaction_expired'],
      ['a valid-until too far ahead', () => f.envelope('acme', [pay('1.00')], { validUntilMs: Date.now() + 2 * 86_400_000 }), 400, 'validity_too_long'],
      ['an oversized body', () => JSON.stringify({ body: { memo: 'x'.repeat(2 * 1024 * 1024) } }), 413, 'payload_too_large'],
      ['too many operations', () => f.envelope('acme', Array.from({ length: 1001 }, () => pay('0.01'))), 400, 'invalid_request'],
    ];
    for (const [name, make, status, code, param, message] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        const before = { height: f.t.ledger.engine.head?.header.height, acme: f.t.ledger.state.accounts.get('acme-usd') };
        const response = await f.call('acme', 'POST', '/v1/transactions', await make());
        assert.equal(response.status, status, JSON.stringify(response.json));
        assert.equal(response.json.error.code, code);
        assert.equal(typeof response.json.error.message, 'string');
        if (param !== undefined) assert.equal(response.json.error.param, param);
        if (message !== undefined) assert.match(response.json.error.message, message);
        assert.match(response.json.error.request_id, /^[0-9a-f-]{36}$/);
        assert.equal(response.json.error.doc_url, `/v1/errors/${code}`);
        assert.equal(response.headers['x-request-id'], response.json.error.request_id);
        assert.deepEqual({ height: f.t.ledger.engine.head?.header.height, acme: f.t.ledger.state.accounts.get('acme-usd') }, before);
      });
    }

    it('answers an unknown route and a bad path parameter', async () => {
      assert.equal((await f.call('acme', 'GET', '/v1/nowhere')).json.error.code, 'not_found');
      assert.equal((await f.call('acme', 'GET', '/v1/transactions/zz')).json.error.code, 'invalid_request');
      assert.equal((await f.call('acme', 'GET', `/v1/transactions/${'0'.repeat(64)}`)).json.error.code, 'transaction_not_found');
    });
  });
});
