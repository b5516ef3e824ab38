import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { signedRequestHeaders, signTransaction } from '../../src/chain/index.js';
import { buildApp } from '../../src/node/api/app.js';
import { createDemoNetwork, demoSetup } from '../../src/node/demo.js';
import { Ledger } from '../../src/node/ledger.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { body, gatedSigner, NETWORK, tempDir } from '../helpers.js';

describe('reads', () => {
  it('never show a block before it is durable', async () => {
    const dir = tempDir();
    const network = createDemoNetwork(NETWORK, Date.now());
    const store = new SqliteStore(join(dir.path, 'ledger.sqlite'));
    const gate = gatedSigner(network.validator);
    const ledger = await Ledger.open({ store, genesis: network.genesis, validators: [gate.signer], sequencer: { blockIntervalMs: 0 } });
    const app = await buildApp({ ledger });
    try {
      for (const step of demoSetup(network, Date.now())) await ledger.submit(await signTransaction(step.body, [network.signers.get(step.signer)!]), true);
      await ledger.submit(await signTransaction(body(network, 'first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '10.00', depositReference: 'D' }]), [network.signers.get('first-meridian')!]), true);
      const durableBefore = (await store.head())!.header.height;

      gate.close();
      const paying = ledger.submit(await signTransaction(body(network, 'first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '5.00', depositReference: 'D2' }]), [network.signers.get('first-meridian')!]), true);
      await gate.reached(); // the block is applied in memory, its signature waits at the gate
      assert.equal(ledger.state.accounts.get('globex-usd')?.availableMinor, 1500n, 'applied in memory');
      const url = '/v1/accounts/globex-usd';
      const headers = await signedRequestHeaders(network.signers.get('auditor')!, 'GET', url, '');
      let answered = false;
      const reading = app.inject({
        method: 'GET', url,
        headers,
      }).then((response) => {
        answered = true;
        return response;
      });
      for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(answered, false, 'the read waits while the block is not durable');
      gate.open();
      const response = await reading;
      assert.equal((JSON.parse(response.body) as { available: string }).available, '15.00');
      assert.ok((await store.head())!.header.height > durableBefore, 'the block it shows is on disk');
      await paying;
    } finally {
      gate.open();
      await app.close();
      await ledger.close();
      dir.remove();
    }
  });
});

describe('resubmission', () => {
  it('of a transaction whose block is still being written answers with its receipt', async () => {
    const dir = tempDir();
    const network = createDemoNetwork(NETWORK, Date.now());
    const gate = gatedSigner(network.validator);
    const ledger = await Ledger.open({ store: new SqliteStore(join(dir.path, 'ledger.sqlite')), genesis: network.genesis, validators: [gate.signer], sequencer: { blockIntervalMs: 0 } });
    try {
      for (const step of demoSetup(network, Date.now())) await ledger.submit(await signTransaction(step.body, [network.signers.get(step.signer)!]), true);
      const envelope = await signTransaction(body(network, 'first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '5.00', depositReference: 'D' }]), [network.signers.get('first-meridian')!]);
      gate.close();
      const first = ledger.submit(envelope, true);
      await gate.reached(); // applied and its id spent; the block's signature waits at the gate
      const again = ledger.submit(envelope, true);
      gate.open();
      const [original, replayed] = await Promise.all([first, again]);
      assert.equal(replayed.replayed, true);
      assert.ok(replayed.status === 'sealed' && original.status === 'sealed');
      assert.deepEqual(replayed.receipt, original.receipt);
    } finally {
      gate.open();
      await ledger.close();
      dir.remove();
    }
  });
});
