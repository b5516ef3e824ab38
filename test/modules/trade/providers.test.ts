import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { modelProvider, offlineProvider, providerFromEnvironment } from '../../../src/modules/trade/draft/providers.js';
import { readTranscript } from '../../../src/modules/trade/draft/transcript.js';
import { CONVERSATIONS } from './conversations.js';

const RECORDED = new URL('./recorded/', import.meta.url).pathname;
const recorded = (name: string) => readFileSync(`${RECORDED}${name}`, 'utf8');
const OPTIONS = { today: '2026-12-06', parties: { buyer: { participant: 'acme', account: 'acme-usd' }, seller: { participant: 'globex', account: 'globex-usd', settlementAccount: 'globex-hkd' } }, attesters: { carrier: 'oceanic-lines' }, arbiter: 'operator' } as const;
const earbuds = readTranscript(CONVERSATIONS[0]!.transcript);

/** A local server answering like the real APIs, from recorded responses; it keeps what it was sent. */
describe('language-model providers, against a server that answers like the real APIs', () => {
  let server: Server;
  let base = '';
  let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '' };
  const requests: { url: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(body) as Record<string, unknown> });
        setTimeout(() => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body), answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('OpenAI-compatible: asks for JSON with the schema, and uses a valid answer', async () => {
    answer = { status: 200, body: recorded('openai-earbuds.json') };
    const draft = await modelProvider({ kind: 'openai', url: `${base}/v1`, model: 'gpt-4o-mini', key: 'sk-test' }).draft(earbuds, OPTIONS);
    assert.equal(draft.provider, 'openai:gpt-4o-mini');
    assert.equal(draft.fallback, undefined);
    assert.equal(draft.agreement?.goods[0]?.description, 'wireless earbuds, model AX-200', "the model's reading, not the offline one");
    assert.deepEqual(draft.agreement?.milestones.map((m) => m.shareBp), [3000, 6000, 1000]);
    const sent = requests.at(-1)!;
    assert.equal(sent.url, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(sent.body['response_format'], { type: 'json_object' });
    assert.match(JSON.stringify(sent.body['messages']), /\[4\] Lena: Agreed\. Payment terms/);
  });

  it('Anthropic: the messages API, a fenced JSON answer unwrapped', async () => {
    answer = { status: 200, body: recorded('anthropic-earbuds.json') };
    const draft = await modelProvider({ kind: 'anthropic', url: base, model: 'claude-sonnet-4-5', key: 'sk-ant-test' }).draft(earbuds, OPTIONS);
    assert.equal(draft.provider, 'anthropic:claude-sonnet-4-5');
    assert.equal(draft.agreement?.incoterms.place, 'Shenzhen');
    const sent = requests.at(-1)!;
    assert.equal(sent.url, '/v1/messages');
    assert.equal(sent.headers['x-api-key'], 'sk-ant-test');
    assert.equal(sent.headers['anthropic-version'], '2023-06-01');
  });

  it('an answer off the schema, in prose, an error status or none in time falls back to the offline draft, saying why', async () => {
    const provider = modelProvider({ kind: 'openai', url: `${base}/v1`, model: 'm', timeoutMs: 300 });
    const offline = await offlineProvider.draft(earbuds, OPTIONS);
    const cases: [typeof answer, RegExp][] = [
      [{ status: 200, body: recorded('openai-earbuds-bad-share.json') }, /does not match the schema: \/fields\/milestones\/0\/value\/shareBp/],
      [{ status: 200, body: recorded('openai-earbuds-prose.json') }, /not JSON/],
      [{ status: 500, body: '{"error":{"message":"The server had an error"}}' }, /answered 500/],
      [{ status: 200, body: '<html>' }, /did not answer JSON/],
      [{ status: 200, body: '{"choices":[]}' }, /carries no text/],
      [{ status: 200, body: recorded('openai-earbuds.json'), delayMs: 1_000 }, /could not be reached/],
    ];
    for (const [given, why] of cases) {
      answer = given;
      const draft = await provider.draft(earbuds, OPTIONS);
      assert.equal(draft.provider, 'offline');
      assert.match(draft.fallback ?? '', why);
      assert.deepEqual(draft.agreement, offline.agreement);
    }
  });

  it('is chosen by the environment, offline by default', () => {
    assert.equal(providerFromEnvironment({}).name, 'offline');
    assert.equal(providerFromEnvironment({ DEPOSITUM_TRADE_PROVIDER: 'openai', DEPOSITUM_TRADE_LLM_MODEL: 'llama3.1', DEPOSITUM_TRADE_LLM_URL: 'http://127.0.0.1:11434/v1' }).name, 'openai:llama3.1');
    assert.throws(() => providerFromEnvironment({ DEPOSITUM_TRADE_PROVIDER: 'anthropic' }), /DEPOSITUM_TRADE_LLM_MODEL/);
    assert.throws(() => providerFromEnvironment({ DEPOSITUM_TRADE_PROVIDER: 'gemini' }), /offline, openai or anthropic/);
  });
});
