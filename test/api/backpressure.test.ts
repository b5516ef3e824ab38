import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { signedRequestHeaders, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import { buildApp } from '../../src/node/api/app.js';
import { createDemoNetwork, demoSetup } from '../../src/node/demo.js';
import { Ledger } from '../../src/node/ledger.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { body, gatedSigner, NETWORK, tempDir } from '../helpers.js';

describe('back-pressure', () => {
  it('answers 503 overloaded with Retry-After when the sequencer queue is full, and records nothing', async () => {
    const dir = tempDir();
    const network = createDemoNetwork(NETWORK, Date.now());
    const gate = gatedSigner(network.validator);
    const ledger = await Ledger.open({ store: new SqliteStore(join(dir.path, 'ledger.sqlite')), genesis: network.genesis, validators: [gate.signer], sequencer: { queueMax: 2, blockIntervalMs: 0 } });
    const app = await buildApp({ ledger });
    try {
      for (const step of demoSetup(network, Date.now())) await ledger.submit(await signTransaction(step.body, [network.signers.get(step.signer)!]), true);
      const acme = network.signers.get('acme')!;
      const pay = (): Promise<TransactionEnvelope> => signTransaction(body(network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]), [acme]);
      const [a, b, c, d] = [await pay(), await pay(), await pay(), await pay()];

      gate.close();
      const first = ledger.submit(a!, true); // taken into a block, whose signing now waits at the gate
      while (gate.waiting === 0) await new Promise((resolve) => setImmediate(resolve));
      const queued = [ledger.submit(b!, true), ledger.submit(c!, true)];
      while (ledger.sequencer.depth < 2) await new Promise((resolve) => setImmediate(resolve));

      const payload = JSON.stringify(d);
      const refused = await app.inject({
        method: 'POST', url: '/v1/transactions?wait=false', payload,
        headers: { 'content-type': 'application/json', ...(await signedRequestHeaders(acme, 'POST', '/v1/transactions?wait=false', payload)) },
      });
      assert.equal(refused.statusCode, 503);
      assert.equal(JSON.parse(refused.body).error.code, 'overloaded');
      assert.equal(refused.headers['retry-after'], '1');

      gate.open();
      const outcomes = await Promise.all([first, ...queued]);
      assert.ok(outcomes.every((o) => o.status === 'sealed'));
      assert.equal(await ledger.store.transactionById('acme', d!.body.id), null, 'the refused transaction left no trace');
    } finally {
      gate.open();
      await app.close();
      await ledger.close();
      dir.remove();
    }
  });
});
