import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTH_HEADERS, requestSigningMessage, toBase64Url } from '../../src/chain/index.js';
import { apiFixture } from './fixture.js';
import { signerOf } from '../helpers.js';

/** Reads server-sent events from a live socket until `enough` says stop. */
async function collectEvents(url: string, headers: Record<string, string>, trigger: () => Promise<void>, enough: (events: { event: string; data: any }[]) => boolean) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const reader = response.body!.getReader();
  const events: { event: string; data: any }[] = [];
  let buffer = '';
  let triggered = false;
  while (!enough(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
    }
    if (!triggered && events.some((e) => e.event === 'ready')) {
      triggered = true;
      await trigger();
    }
  }
  controller.abort();
  return events;
}

describe('event stream', () => {
  it('sends every block and only the receipts the participant is party to', async () => {
    const f = await apiFixture();
    try {
      const url = await f.app.listen({ port: 0, host: '127.0.0.1' });
      const signer = signerOf(f.t.network, 'globex');
      const timestampMs = Date.now();
      const headers = {
        [AUTH_HEADERS.participant]: 'globex',
        [AUTH_HEADERS.key]: signer.keyId,
        [AUTH_HEADERS.timestamp]: String(timestampMs),
        [AUTH_HEADERS.signature]: toBase64Url(signer.signSync(requestSigningMessage('GET', '/v1/events', timestampMs, ''))),
      };
      const events = await collectEvents(`${url}/v1/events`, headers, async () => {
        await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '50.00', depositReference: 'D' }]);
        await f.t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '20.00' }]);
      }, (seen) => seen.filter((e) => e.event === 'block').length >= 2);
      const blocks = events.filter((e) => e.event === 'block');
      const receipts = events.filter((e) => e.event === 'receipt');
      assert.equal(blocks.length, 2);
      assert.equal(receipts.length, 1, 'globex is party to the payment only, not the mint');
      assert.equal(receipts[0]?.data.height, blocks[1]?.data.header.height);
      assert.deepEqual(receipts[0]?.data.result, { status: 'committed' });
    } finally {
      await f.close();
    }
  });
});
