import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { agreementHash, type Agreement } from '../../../src/modules/trade/agreement.js';
import { agreementPdf } from '../../../src/modules/trade/document.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { tempDir } from '../../helpers.js';

const CONVERSATION = readFileSync(new URL('../../../docs/examples/trade/conversation-zh.txt', import.meta.url), 'utf8');

describe('the trade desk: who may draft, propose and read, and what a bad request gets', () => {
  const dir = tempDir();
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load(participant) });
  const refused = (status: number, words: RegExp) => (error: unknown) => error instanceof DepositumApiError && error.status === status && words.test(error.message);
  let agreement: Agreement;

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: ['trade'] });
    const draft = await client('acme').request<{ agreement: Agreement | null; missing: string[] }>('POST', '/v1/trade/drafts', {
      conversation: CONVERSATION, today: '2026-12-06', id: 'zh-1', buyer: { participant: 'acme', account: 'acme-usd' }, seller: { participant: 'globex', account: 'globex-usd' }, carrier: 'oceanic-lines', arbiter: 'operator',
    });
    assert.deepEqual(draft.missing, []);
    agreement = draft.agreement!;
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('drafts for anyone, storing nothing; an unreadable transcript is a 400 saying why', async () => {
    const draft = await client('initech').request<{ language: string; missing: string[] }>('POST', '/v1/trade/drafts', { conversation: CONVERSATION });
    assert.equal(draft.language, 'zh');
    assert.ok(draft.missing.some((m) => m.includes("buyer's participant")));
    await assert.rejects(client('acme').request('POST', '/v1/trade/drafts', { conversation: 'no speaker here' }), refused(400, /names no speaker/));
    await assert.rejects(client('acme').request('GET', '/v1/trade/agreements/zh-1'), refused(404, /no agreement zh-1/));
  });

  it('takes versions from the parties only, in order, and only agreements that can be signed', async () => {
    await assert.rejects(client('initech').request('POST', '/v1/trade/agreements', { agreement }), refused(403, /not a party/));
    await assert.rejects(client('acme').request('POST', '/v1/trade/agreements', { agreement: { ...agreement, version: 2 } }), refused(400, /the next version of zh-1 is 1/));
    await assert.rejects(client('acme').request('POST', '/v1/trade/agreements', { agreement: { ...agreement, milestones: agreement.milestones.slice(1) } }), refused(400, /shares add up to 70%/));
    await assert.rejects(client('acme').request('POST', '/v1/trade/agreements', { agreement: { ...agreement, incoterms: { rule: 'XYZ', place: 'x' } } }), refused(400, /incoterms/));
    const proposed = await client('globex').request<{ hash: string }>('POST', '/v1/trade/agreements', { agreement });
    assert.equal(proposed.hash, agreementHash(agreement));
    await assert.rejects(client('acme').request('POST', '/v1/trade/agreements', { agreement }), refused(400, /the next version of zh-1 is 2/));
  });

  it('shows an agreement, its document and its payment to its parties and overseers, not to others', async () => {
    const seen = await client('acme').request<{ hash: string; concluded: boolean; payment: { id: string; operation: { tranches: unknown[] } } }>('GET', '/v1/trade/agreements/zh-1');
    assert.equal(seen.concluded, false);
    assert.equal(seen.payment.id, 'zh-1-v1');
    assert.equal(seen.payment.operation.tranches.length, 3);
    await client('auditor').request('GET', '/v1/trade/agreements/zh-1');
    await assert.rejects(client('initech').request('GET', '/v1/trade/agreements/zh-1'), refused(403, /not a party/));
    await assert.rejects(client('initech').request('GET', '/v1/trade/agreements/zh-1/document'), refused(403, /not a party/));
    const html = await client('globex').request<string>('GET', '/v1/trade/agreements/zh-1/document');
    assert.match(html, /蓝牙耳机/);
    assert.match(html, new RegExp(agreementHash(agreement)));
  });

  it('lists to each party its own agreements (latest version, who signed), to overseers all, to others none', async () => {
    type Listed = { data: { agreement: string; version: number; hash: string; signedBy: string[]; concluded: boolean }[]; has_more: boolean };
    const seen = await client('acme').request<Listed>('GET', '/v1/trade/agreements');
    assert.deepEqual(seen.data.map((a) => [a.agreement, a.version]), [['zh-1', 1]]);
    assert.deepEqual((await client('auditor').request<Listed>('GET', '/v1/trade/agreements')).data.map((a) => a.agreement), ['zh-1']);
    assert.deepEqual((await client('initech').request<Listed>('GET', '/v1/trade/agreements')).data, []);
    await assert.rejects(client('acme').request('GET', '/v1/trade/agreements?limit=0'), refused(400, /limit/));
  });

  it('renders the same PDF bytes for the same agreement', async () => {
    assert.deepEqual(Buffer.from(await agreementPdf(agreement, 2)), Buffer.from(await agreementPdf(agreement, 2)));
  });
});
