import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedRequestHeaders, signTransaction } from '../../src/chain/index.js';
import type { Operation } from '../../src/core/index.js';
import { buildApp } from '../../src/node/api/app.js';
import { createDemoNetwork } from '../../src/node/demo.js';
import { Ledger } from '../../src/node/ledger.js';
import { viewerOf } from '../../src/node/visibility.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { body, NETWORK, openTestLedger, signerOf, tempDir, type TestLedger } from '../helpers.js';
import { freshSchema, postgresSkip } from '../postgres.js';
import { apiFixture } from './fixture.js';

interface Frame { id?: string; event: string; data: any }

function signedHeaders(t: TestLedger, participant: string, url: string): Promise<Record<string, string>> {
  return signedRequestHeaders(signerOf(t.network, participant), 'GET', url, '');
}

/** Reads a server-sent event stream until `enough` says stop; `onReady` runs once the stream is open. */
async function stream(url: string, headers: Record<string, string>, onReady: () => Promise<void>, enough: (frames: Frame[]) => boolean): Promise<Frame[]> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const reader = response.body!.getReader();
  const frames: Frame[] = [];
  let buffer = '';
  let ready = false;
  while (!enough(frames)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      if (event !== undefined && data !== undefined) frames.push({ ...(id !== undefined && { id }), event, data: JSON.parse(data) });
    }
    if (!ready && frames.some((frame) => frame.event === 'ready')) {
      ready = true;
      await onReady();
    }
  }
  controller.abort();
  return frames;
}

const pay = (from: string, to: string, amount: string): Operation[] => [{ type: 'transfer', from, to, amount }];
const domain = (frames: Frame[]) => frames.filter((frame) => frame.id !== undefined);

const skipPostgres = await postgresSkip();

describe('domain events', () => {
  it('a client reads only its events, by cursor pages and by type; an auditor reads all', async () => {
    const f = await apiFixture();
    try {
      await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'DEP-EV' }]);
      await f.t.submit('acme', pay('acme-usd', 'globex-usd', '20.00'));
      await f.t.submit('acme', pay('acme-usd', 'initech-usd', '5.00'));
      await f.t.submit('acme', [{ type: 'hold', hold: 'ev-hold', from: 'acme-usd', to: 'globex-usd', amount: '1.00', expiresAtMs: Date.now() + 60_000 }]);

      const seen: any[] = [];
      for (let after: string | null = null; ;) {
        const page: any = await f.call('globex', 'GET', `/v1/events?limit=2${after === null ? '' : `&after=${after}`}`);
        assert.equal(page.status, 200, JSON.stringify(page.json));
        seen.push(...page.json.data);
        if (!page.json.has_more) break;
        after = page.json.next;
      }
      const types = seen.map((event) => event.type);
      assert.ok(types.includes('transferred') && types.includes('hold_placed') && types.includes('account_opened'));
      assert.ok(seen.every((event) => JSON.stringify(event).includes('globex')), 'every event globex sees names it or its accounts');
      assert.ok(!seen.some((event) => event.data?.to === 'initech-usd'), "acme's payment to initech is not globex's to see");
      const positions = seen.map((event) => event.position.split(':').map(Number) as [number, number, number]);
      const before = (a: [number, number, number], b: [number, number, number]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      for (let i = 1; i < positions.length; i += 1) assert.ok(before(positions[i - 1]!, positions[i]!) < 0, `in chain order: ${seen[i - 1].position} before ${seen[i].position}`);

      const onlyTransfers = await f.call('globex', 'GET', '/v1/events?types=transferred');
      assert.deepEqual(onlyTransfers.json.data.map((event: any) => [event.type, event.data.amount]), [['transferred', '20.00']]);
      assert.equal((await f.call('globex', 'GET', '/v1/events?types=teleported')).json.error.code, 'invalid_request');
      const all = await f.call('auditor', 'GET', '/v1/events?limit=500');
      assert.ok(all.json.data.length > seen.length && all.json.data.some((event: any) => event.data?.to === 'initech-usd'));
    } finally {
      await f.close();
    }
  });

  it("a bulk file's thousand events read in pages by several callers: each event once, in order, as each may see it", async () => {
    const f = await apiFixture();
    try {
      await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000000.00', depositReference: 'DEP-BULK' }]);
      const payments: Operation[] = Array.from({ length: 1000 }, (_, i) => ({ type: 'transfer', from: 'acme-usd', to: i % 2 === 0 ? 'globex-usd' : 'initech-usd', amount: `${i + 1}.00` }));
      await f.t.submit('acme', payments);
      const read = async (participant: string, limit: number) => {
        const amounts: string[] = [];
        for (let after: string | null = null; ;) {
          const page: any = await f.call(participant, 'GET', `/v1/events?types=transferred&limit=${limit}${after === null ? '' : `&after=${after}`}`);
          assert.equal(page.status, 200, JSON.stringify(page.json));
          amounts.push(...page.json.data.map((event: any) => `${event.data.to}:${event.data.amount}`));
          if (!page.json.has_more) return amounts;
          after = page.json.next;
        }
      };
      const expected = (to?: string) => payments.flatMap((op: any) => (to === undefined || op.to === to ? [`${op.to}:${op.amount}`] : []));
      // Pages of different sizes cut the transaction's events in different places; the auditor reads it twice.
      assert.deepEqual(await read('auditor', 300), expected());
      assert.deepEqual(await read('globex', 120), expected('globex-usd'));
      assert.deepEqual(await read('initech', 77), expected('initech-usd'));
      assert.deepEqual(await read('auditor', 500), expected());
    } finally {
      await f.close();
    }
  });

  it('streams live, and resumes after Last-Event-ID with nothing missed or repeated, also after a restart', async () => {
    const dir = tempDir();
    let t = await openTestLedger({ dir: dir.path });
    let app = await buildApp({ ledger: t.ledger });
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'DEP-SSE' }]);
      let url = await app.listen({ port: 0, host: '127.0.0.1' });
      const live = await stream(`${url}/v1/events`, await signedHeaders(t, 'globex', '/v1/events'), async () => {
        await t.submit('acme', pay('acme-usd', 'globex-usd', '1.00'));
        await t.submit('acme', pay('acme-usd', 'initech-usd', '2.00'));
        await t.submit('acme', pay('acme-usd', 'globex-usd', '3.00'));
      }, (frames) => domain(frames).length >= 2);
      assert.deepEqual(domain(live).map((frame) => frame.data.data.amount), ['1.00', '3.00'], 'live: only globex\'s');
      const resumeAfter = domain(live)[0]!.id!;

      // While nobody listens, more happens; the node restarts; a client resumes after its last event.
      await t.submit('acme', pay('acme-usd', 'globex-usd', '4.00'));
      await app.close();
      await t.ledger.close();
      t = await openTestLedger({ dir: dir.path, network: t.network });
      app = await buildApp({ ledger: t.ledger });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
      const resumed = await stream(`${url}/v1/events`, { ...(await signedHeaders(t, 'globex', '/v1/events')), 'last-event-id': resumeAfter }, async () => {
        await t.submit('acme', pay('acme-usd', 'globex-usd', '5.00'));
      }, (frames) => domain(frames).length >= 3);
      assert.deepEqual(domain(resumed).map((frame) => frame.data.data.amount), ['3.00', '4.00', '5.00'], 'every event after the last one seen, once');
      const ids = domain(resumed).map((frame) => frame.id);
      assert.equal(new Set(ids).size, ids.length);
    } finally {
      await app.close();
      await t.close();
      dir.remove();
    }
  });

  it('reads the same feed on a follower of the sequencer (PostgreSQL)', { skip: skipPostgres }, async () => {
    const { url, drop } = await freshSchema('events');
    const network = createDemoNetwork(NETWORK, Date.now());
    const store = await PostgresStore.open(url);
    store.lease.fence((await store.lease.acquire('leader', 'http://leader', 60_000))!);
    const leader = await openTestLedger({ network, store, dir: 'unused' });
    const follower = await Ledger.open({ role: 'follower', store: await PostgresStore.open(url), genesis: network.genesis, validators: [network.validator] });
    try {
      await leader.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '10.00', depositReference: 'DEP-F' }]);
      const paid = await leader.ledger.submit(await signTransaction(body(network, 'acme', pay('acme-usd', 'globex-usd', '7.00')), [signerOf(network, 'acme')]), true);
      assert.equal(paid.status, 'sealed');
      const seenLive: string[] = [];
      follower.on('block', (committed) => seenLive.push(...(committed.records?.events ?? []).map((event) => event.type)));
      await follower.follow();
      const globex = viewerOf(follower.state.participants.get('globex')!);
      const onFollower = await follower.queries.events(globex, undefined, null, 100);
      const onLeader = await leader.ledger.queries.events(globex, undefined, null, 100);
      assert.deepEqual(onFollower, onLeader);
      assert.ok(onFollower.data.some((event) => event.type === 'transferred'));
      assert.ok(seenLive.includes('transferred'), 'the follower derives the events of the blocks it applies, for its live streams');
    } finally {
      await follower.close();
      await leader.close();
      await drop();
    }
  });
});
