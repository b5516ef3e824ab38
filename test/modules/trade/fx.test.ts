import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';
import { CLI_ENTRY } from '../../process.js';

const run = promisify(execFile);

describe('the FX leg of a release: a liquidity provider\'s quote taken, expired or off the agreement', () => {
  const dir = tempDir();
  let node: RunningNode;
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> =>
    run(process.execPath, [CLI_ENTRY, '--url', node.url, ...args], { env: { ...process.env, DEPOSITUM_DATA_DIR: dir.path } })
      .then(({ stdout }) => ({ code: 0, out: stdout }), (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }));
  const balance = async (account: string) => ((await new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('auditor') }).account(account)) as unknown as { available: string }).available;
  const quote = (sell: string, validFor: string, from = 'globex-usd') => cli('--as', 'straits-bank', 'trade', 'quote', '--settlement', 'fx-1-v1-shipment-fx', '--sell', sell, '--from', from, '--to', 'globex-sgd', '--rate', '1.3475', '--receive', 'straits-bank-usd', '--pay', 'straits-bank-sgd', '--valid-for', validFor);

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: ['trade'] });
    const steps = [
      ['--as', 'acme', 'trade', 'draft', '--conversation', 'docs/examples/trade/conversation-en.txt', '--today', '2026-12-06', '--id', 'fx-1', '--buyer', 'acme:acme-usd', '--seller', 'globex:globex-usd:globex-sgd', '--carrier', 'oceanic-lines', '--arbiter', 'operator', '--propose'],
      ['--as', 'acme', 'trade', 'sign', 'fx-1'], ['--as', 'globex', 'trade', 'sign', 'fx-1'],
      ['--as', 'first-meridian', 'mint', '--to', 'acme-usd', '--amount', '60000.00', '--deposit-ref', 'DEP-FX-1'],
      ['--as', 'acme', 'trade', 'fund', 'fx-1'],
      ['--as', 'oceanic-lines', 'conditional', 'attest', 'fx-1-v1', 'shipment', '--type', 'bill_of_lading', '--document-hash', 'ab'.repeat(32)],
      ['open-account', 'straits-bank-usd', '--owner', 'straits-bank', '--asset', 'usd-fmb'],
      ['--as', 'straits-bank', 'mint', '--to', 'straits-bank-sgd', '--amount', '100000.00', '--deposit-ref', 'SCB-FX-1'],
    ];
    for (const step of steps) {
      const done = await cli(...step);
      assert.equal(done.code, 0, `${step.join(' ')}: ${done.out}`);
    }
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('an expired quote is refused when taken, and nothing moves (the tour takes a fresh one)', async () => {
    assert.equal((await quote('36000.00', '1')).code, 0);
    // The quote's deadline passes: the provider's allocation returns at block time.
    await eventually('the quote to lapse', async () => (await new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('globex') }).settlement('fx-1-v1-shipment-fx')).status !== 'proposed' || undefined, 10_000);
    const taken = await cli('--as', 'globex', 'trade', 'convert', 'fx-1', '--tranche', 'shipment');
    assert.equal(taken.code, 1);
    assert.match(taken.out, /rejected: (settlement_closed|deadline_passed)/);
    assert.deepEqual([await balance('globex-usd'), await balance('globex-sgd'), await balance('straits-bank-sgd')], ['54000.00', '0.00', '100000.00'], 'nothing moved');
  });

  it("refuses a quote that takes more than the tranche, or from another account", async () => {
    const other = await cli('--as', 'straits-bank', 'trade', 'quote', '--settlement', 'fx-1-v1-delivery-fx', '--sell', '6000.01', '--from', 'globex-usd', '--to', 'globex-sgd', '--rate', '1.3475', '--receive', 'straits-bank-usd', '--pay', 'straits-bank-sgd');
    assert.equal(other.code, 0, other.out);
    const taken = await cli('--as', 'globex', 'trade', 'convert', 'fx-1', '--tranche', 'delivery');
    assert.equal(taken.code, 1);
    assert.match(taken.out, /quote_mismatch: settlement fx-1-v1-delivery-fx is not a quote for 6000\.00 USD from globex-usd into globex-sgd/);
  });
});
