import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUTH_HEADERS, requestSigningMessage, signTransaction, toBase64Url, type Signer } from '../../src/chain/index.js';
import { buildApp } from '../../src/node/api/app.js';
import { createDemoNetwork, demoSetup } from '../../src/node/demo.js';
import { Ledger } from '../../src/node/ledger.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { body, NETWORK, tempDir } from '../helpers.js';

/** A validator key behind a slow device (an HSM over the network): signing a block takes a while. */
function slowSigner(signer: Signer, delayMs: number): Signer {
  return { participant: signer.participant, keyId: signer.keyId, publicKey: signer.publicKey, sign: async (message) => { await sleep(delayMs); return signer.sign(message); } };
}

describe('reads', () => {
  it('never show a block before it is durable', async () => {
    const dir = tempDir();
    const network = createDemoNetwork(NETWORK, Date.now());
    const store = new SqliteStore(join(dir.path, 'ledger.sqlite'));
    const ledger = await Ledger.open({ store, genesis: network.genesis, validators: [slowSigner(network.validator, 150)], sequencer: { blockIntervalMs: 0 } });
    const app = await buildApp({ ledger });
    try {
      for (const step of demoSetup(network, Date.now())) await ledger.submit(await signTransaction(step.body, [network.signers.get(step.signer)!]), true);
      await ledger.submit(await signTransaction(body(network, 'first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '10.00', depositReference: 'D' }]), [network.signers.get('first-meridian')!]), true);
      const durableBefore = (await store.head())!.header.height;

      const paying = ledger.submit(await signTransaction(body(network, 'first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '5.00', depositReference: 'D2' }]), [network.signers.get('first-meridian')!]), true);
      await sleep(40); // the block is applied in memory, its signature still being made
      const auditor = network.signers.get('auditor')!;
      const timestampMs = Date.now();
      const url = '/v1/accounts/globex-usd';
      const response = await app.inject({
        method: 'GET', url,
        headers: { [AUTH_HEADERS.participant]: 'auditor', [AUTH_HEADERS.key]: auditor.keyId, [AUTH_HEADERS.timestamp]: String(timestampMs), [AUTH_HEADERS.signature]: toBase64Url(auditor.signSync(requestSigningMessage('GET', url, timestampMs, ''))) },
      });
      const durableAtAnswer = (await store.head())!.header.height;
      const shown = (JSON.parse(response.body) as { available: string }).available;
      if (shown === '15.00') assert.ok(durableAtAnswer > durableBefore, 'a balance was shown from a block not yet on disk');
      else assert.equal(shown, '10.00');
      await paying;
    } finally {
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
    const ledger = await Ledger.open({ store: new SqliteStore(join(dir.path, 'ledger.sqlite')), genesis: network.genesis, validators: [slowSigner(network.validator, 150)], sequencer: { blockIntervalMs: 0 } });
    try {
      for (const step of demoSetup(network, Date.now())) await ledger.submit(await signTransaction(step.body, [network.signers.get(step.signer)!]), true);
      const envelope = await signTransaction(body(network, 'first-meridian', [{ type: 'issue', account: 'globex-usd', amount: '5.00', depositReference: 'D' }]), [network.signers.get('first-meridian')!]);
      const first = ledger.submit(envelope, true);
      await sleep(40); // applied and its id spent; the block's signature is still being made
      const again = await ledger.submit(envelope, true);
      const original = await first;
      assert.equal(again.replayed, true);
      assert.ok(again.status === 'sealed' && original.status === 'sealed');
      assert.deepEqual(again.receipt, original.receipt);
    } finally {
      await ledger.close();
      dir.remove();
    }
  });
});
