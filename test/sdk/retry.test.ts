import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/node/api/app.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { openTestLedger, signerOf } from '../helpers.js';

/** A port nothing listens on yet. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('the SDK', () => {
  it('rides through a node that is not up yet: its very first call (the network lookup of a submission) retries', async () => {
    const t = await openTestLedger();
    const app = await buildApp({ ledger: t.ledger });
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '10.00', depositReference: 'DEP-SDK' }]);
      const port = await freePort();
      const client = new DepositumClient({ url: `http://127.0.0.1:${port}`, signer: signerOf(t.network, 'acme'), retryMs: 60_000 });
      const submitted = client.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]);
      let settled = false;
      void submitted.finally(() => (settled = true)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(settled, false, 'still trying while nothing listens');
      await app.listen({ host: '127.0.0.1', port });
      const outcome = await submitted;
      assert.ok(outcome.status === 'sealed' && outcome.receipt.result.status === 'committed');
    } finally {
      await app.close();
      await t.close();
    }
  });

  it('gives up after its retry time, with the network error', async () => {
    const port = await freePort();
    const t = await openTestLedger();
    try {
      const client = new DepositumClient({ url: `http://127.0.0.1:${port}`, signer: signerOf(t.network, 'acme'), retryMs: 500 });
      await assert.rejects(client.network(), /fetch failed|ECONNREFUSED/);
    } finally {
      await t.close();
    }
  });

  it('does not retry a refusal: a 4xx is answered at once', async () => {
    const t = await openTestLedger();
    const app = await buildApp({ ledger: t.ledger });
    try {
      let requests = 0;
      app.addHook('onRequest', async () => void (requests += 1));
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const client = new DepositumClient({ url, signer: signerOf(t.network, 'acme'), retryMs: 60_000 });
      await assert.rejects(client.account('globex-usd'), /does not belong/);
      assert.equal(requests, 1, 'asked once');
    } finally {
      await app.close();
      await t.close();
    }
  });
});
