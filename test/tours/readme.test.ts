import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { tempDir } from '../helpers.js';
import { startNodeProcess } from '../process.js';
import { runTour, tourCommands } from './run.js';

describe('the README tour', () => {
  it('names no port: the CLI finds the node it started, on whatever port', () => {
    assert.doesNotMatch(tourCommands().flatMap((c) => c.args).join(' '), /127\.0\.0\.1|localhost|--url/);
  });

  it('works as written', async (t) => {
    const dir = tempDir();
    const node = await startNodeProcess(dir.path);
    try {
      const outputs = await runTour('tour', dir.path, (line) => t.diagnostic(line));
      const auditor = new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('auditor') });
      assert.equal((await auditor.account('acme-usd')).available, '644000.00');
      assert.equal((await auditor.account('globex-usd')).available, '256000.00');
      assert.equal((await auditor.account('acme-usd')).held, '0.00');
      const usd = (await auditor.assets()).data.find((a) => a.id === 'usd-fmb');
      assert.deepEqual([usd?.issued, usd?.redeemed, usd?.supply], ['1000000.00', '100000.00', '900000.00']);
      const text = outputs.join('\n');
      assert.match(text, /receipt: VALID/);
      assert.equal(text.match(/chain valid: \d+ blocks, \d+ transactions, supply matches/g)?.length, 2);
    } finally {
      await node.stop();
      dir.remove();
    }
  });
});
