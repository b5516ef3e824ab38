import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import pino from 'pino';
import { prepareModule } from '../../src/modules/kit/host.js';
import { notifierModule } from '../../src/modules/notifier/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../src/node/run.js';
import { DepositumApiError, DepositumClient, type LedgerEvent } from '../../src/sdk/index.js';
import { eventually, tempDir } from '../helpers.js';
import { WebhookReceiver } from './receiver.js';

// Every answer of the node and the module's routes is checked against its declared schema.
process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

/**
 * Fast retries, so a test sees several attempts; the schedule's shape is the production one.
 * The attempt's timeout stays well above a stall of this process on a busy machine: the
 * receiver runs in it, and an attempt timed out after the receiver took it is delivered
 * twice, as at-least-once delivery allows but this test's count of each event does not.
 */
const FAST = { retryBaseMs: 100, retryMaxMs: 400, timeoutMs: 3_000, giveUpAfterMs: 600_000 };


interface Endpoint { id: string; secret: string; owner: string; url: string; types: string[]; enabled: boolean }
interface Delivery { id: string; position: string; status: string; attempts: number; lastError: string | null; lastStatusCode: number | null }

describe('the notifier module: webhooks', () => {
  const dir = tempDir();
  const receiver = new WebhookReceiver();
  let node: RunningNode;
  let hookUrl: string;
  const start = () => runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [notifierModule(FAST)], moduleRunner: { pollMs: 20 } });
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load(participant) });
  const pay = (amount: string) => client('acme').submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }]);
  const deliveries = async (participant: string, endpoint: string) => (await client(participant).request<{ data: Delivery[] }>('GET', `/v1/notifier/endpoints/${endpoint}/deliveries?limit=500`)).data;
  /** The events `participant` may see after `position`: what its endpoint must receive, neither more nor less. */
  async function visibleAfter(participant: string, position: string): Promise<LedgerEvent[]> {
    const events: LedgerEvent[] = [];
    for (let cursor = position; ;) {
      const page = await client(participant).events({ after: cursor, limit: 500 });
      events.push(...page.data);
      if (!page.has_more) return events;
      cursor = page.data.at(-1)!.position;
    }
  }
  const headPosition = async () => (await client('auditor').events({ limit: 500 })).data.at(-1)?.position ?? '0:0:0';

  before(async () => {
    hookUrl = await receiver.start();
    node = await start();
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-HOOK' }]);
  });
  after(async () => {
    await node?.close();
    await receiver.stop();
    dir.remove();
  });

  it('refuses bad endpoints with the API error shape, and hides one participant\'s endpoints from another', async () => {
    const acme = client('acme');
    await assert.rejects(acme.request('POST', '/v1/notifier/endpoints', { url: 'ftp://example.com/x' }), (error: DepositumApiError) => error.status === 400 && error.code === 'invalid_request' && /url/.test(error.param ?? ''));
    await assert.rejects(acme.request('POST', '/v1/notifier/endpoints', { url: 'https://user:pw@example.com/x' }), (error: DepositumApiError) => error.status === 400 && /credentials/.test(error.message));
    await assert.rejects(acme.request('POST', '/v1/notifier/endpoints', { url: hookUrl, types: ['Not A Type'] }), (error: DepositumApiError) => error.status === 400 && error.code === 'invalid_request');
    await assert.rejects(acme.request('POST', '/v1/notifier/endpoints', { url: hookUrl, extra: 1 }), (error: DepositumApiError) => error.status === 400);
    const unsigned = await fetch(`${node.url}/v1/notifier/endpoints`);
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { error: { code: string } }).error.code, 'authentication_required');
    const mine = await acme.request<Endpoint>('POST', '/v1/notifier/endpoints', { url: hookUrl, types: ['issued'] });
    assert.match(mine.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    await assert.rejects(client('globex').request('GET', `/v1/notifier/endpoints/${mine.id}`), (error: DepositumApiError) => error.status === 404 && error.code === 'resource_not_found');
    const listed = await acme.request<{ data: Record<string, unknown>[] }>('GET', '/v1/notifier/endpoints');
    assert.ok(listed.data.some((endpoint) => endpoint['id'] === mine.id && endpoint['secret'] === undefined), 'the secret is shown once, never listed');
    const disabled = await acme.request<Endpoint>('POST', `/v1/notifier/endpoints/${mine.id}/disable`);
    assert.equal(disabled.enabled, false);
  });

  it('delivers each visible event once, signed, in order per endpoint, through failures, a timeout, a restart and a recovery', async () => {
    const from = await headPosition();
    const acmeHook = await client('acme').request<Endpoint>('POST', '/v1/notifier/endpoints', { url: hookUrl });
    const initechHook = await client('initech').request<Endpoint>('POST', '/v1/notifier/endpoints', { url: `${hookUrl}?initech` });
    const globexHook = await client('globex').request<Endpoint>('POST', '/v1/notifier/endpoints', { url: `${hookUrl}?globex`, types: ['transferred'] });

    // The receiver is down: the first delivery is retried with back-off and the next ones wait behind it.
    receiver.mode = 'fail';
    await pay('1.00');
    await pay('2.00');
    const failing = await eventually('three failed attempts', async () => (await deliveries('acme', acmeHook.id)).find((d) => d.attempts >= 3));
    assert.equal(failing.status, 'pending');
    assert.equal(failing.lastStatusCode, 500);
    assert.equal(failing.lastError, 'receiver down for maintenance');
    const sentWhileDown = receiver.received.filter((r) => JSON.parse(r.body).endpoint === acmeHook.id).map((r) => JSON.parse(r.body).id as string);
    assert.equal(new Set(sentWhileDown).size, 1, 'nothing overtakes the first undelivered event of an endpoint');

    // It hangs: the attempt times out and is logged as such.
    receiver.mode = 'hang';
    await eventually('a timed-out attempt', async () => (await deliveries('acme', acmeHook.id)).find((d) => /no answer within/.test(d.lastError ?? '')));

    // The node restarts with deliveries pending: they live in the store and resume.
    receiver.mode = 'fail';
    await pay('3.00');
    const soFar = (await visibleAfter('acme', from)).length;
    await eventually('the third payment recorded as a delivery', async () => (await deliveries('acme', acmeHook.id)).length === soFar);
    await node.close();
    node = await start();
    await pay('4.00');

    // The receiver recovers: everything arrives, in feed order.
    receiver.mode = 'ok';
    const expected = await visibleAfter('acme', from);
    const acmeSeen = await eventually('every visible event delivered to acme', async () => {
      const all = await deliveries('acme', acmeHook.id);
      return all.length === expected.length && all.every((d) => d.status === 'delivered') && all;
    });
    assert.deepEqual(acmeSeen.map((d) => d.position).reverse(), expected.map((e) => e.position));
    const accepted = receiver.accepted(acmeHook.secret).filter((a) => a.endpoint === acmeHook.id);
    assert.deepEqual(accepted.map((a) => a.position), expected.map((e) => e.position), 'accepted once each, in order');
    assert.ok(accepted.every((a) => a.signatureProblem === null), 'every delivery is signed with the endpoint\'s secret');
    assert.notEqual(receiver.accepted('whsec_wrong')[0]?.signatureProblem, null);

    // Each endpoint gets what its owner may see: globex (the payee) every payment, initech (no party) none of them.
    const payments = expected.filter((e) => e.type === 'transferred').map((e) => e.position);
    assert.equal(payments.length, 4);
    const globexGot = await eventually('globex\'s deliveries', async () => {
      const all = await deliveries('globex', globexHook.id);
      return all.length === payments.length && all.every((d) => d.status === 'delivered') && all;
    });
    assert.deepEqual(globexGot.map((d) => d.position).reverse(), payments);
    const initechGot = (await deliveries('initech', initechHook.id)).map((d) => d.position);
    assert.deepEqual(initechGot, (await visibleAfter('initech', from)).map((e) => e.position).reverse());
    assert.ok(payments.every((position) => !initechGot.includes(position)), 'no payment between others reaches initech');

    // A manual redelivery sends it again now, and is logged as manual.
    const one = acmeSeen[0]!;
    const before = receiver.received.length;
    const attempt = await client('acme').request<{ manual: boolean; statusCode: number }>('POST', `/v1/notifier/deliveries/${one.id}/redeliver`);
    assert.equal(attempt.manual, true);
    assert.equal(attempt.statusCode, 204);
    assert.equal(receiver.received.length, before + 1);
    const log = await client('acme').request<{ attempts_log: { manual: boolean }[] }>('GET', `/v1/notifier/deliveries/${one.id}`);
    assert.equal(log.attempts_log.at(-1)?.manual, true);
    await assert.rejects(client('globex').request('POST', `/v1/notifier/deliveries/${one.id}/redeliver`), (error: DepositumApiError) => error.code === 'resource_not_found');
  });

  it('sends an endpoint the events committed from its registration on, not those before it that the module follows late', async () => {
    // A notifier of its own, behind the feed: it handles events by hand, after the endpoint was registered.
    const module = notifierModule(FAST);
    const prepared = await prepareModule(module, { sqlite: join(dir.path, 'late-notifier.sqlite') }, pino({ level: 'silent' }));
    try {
      const context = { ...prepared.services, client: new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('notifier') }) };
      await pay('5.00');
      const earlier = (await client('acme').events({ types: ['transferred'] })).data.at(-1)!;
      while (Date.now() <= earlier.timeMs) await new Promise((resolve) => setTimeout(resolve, 1));
      const registeredAtMs = Date.now();
      await prepared.services.db.insertInto('notifier_endpoints').values({ id: 'we_late', owner: 'acme', url: hookUrl, types: '[]', secret: 'whsec_late', enabled: 1, created_at_ms: registeredAtMs }).execute();
      await pay('6.00');
      const later = (await client('acme').events({ types: ['transferred'] })).data.at(-1)!;
      assert.ok(earlier.timeMs < registeredAtMs && later.timeMs >= registeredAtMs);
      assert.equal(await module.handle(earlier, context), undefined, 'committed before the endpoint: no delivery');
      const record = await module.handle(later, context);
      assert.notEqual(record, undefined, 'committed after: one delivery');
      await prepared.services.db.transaction().execute(async (trx) => record!(trx));
      assert.deepEqual(await prepared.services.db.selectFrom('notifier_deliveries').select('position').execute(), [{ position: later.position }]);
    } finally {
      await prepared.close();
    }
  });
});
