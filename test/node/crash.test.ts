import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyDataFile } from '../../src/cli/verify.js';
import type { TransactionResult } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { tempDir } from '../helpers.js';
import { startNodeProcess } from '../process.js';

/** Concurrent payers during the load, and how many payments are acknowledged before the kill. */
const PAYERS = 16;
const ACKNOWLEDGED_BEFORE_KILL = 200;
/** A deadline far beyond any healthy run: the test waits for the load, not for a time. */
const LOAD_DEADLINE_MS = 120_000;

describe('crash', () => {
  it('loses no acknowledged transaction when the node is killed with SIGKILL under load', async (t) => {
    const dir = tempDir();
    try {
      let node = await startNodeProcess(dir.path);
      const keys = KeyStore.at(dir.path);
      // The payers give up at once when the node is gone; the auditor reads after the restart, riding through it.
      const client = (name: string, retryMs = 0) => new DepositumClient({ url: node.url, signer: keys.load(name), retryMs, session: true });
      const minted = await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '1000000.00', depositReference: 'DEP-CRASH' }]);
      assert.equal(minted.status === 'sealed' && minted.receipt.result.status, 'committed');

      const auditor = client('auditor', 30_000);
      assert.equal((await auditor.account('acme-usd')).available, '1000000.00');
      const acknowledged = new Map<string, TransactionResult>();
      let stopped = false;
      const payer = async (worker: number) => {
        const acme = client('acme');
        for (let i = 0; !stopped; i += 1) {
          try {
            const outcome = await acme.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '0.01' }], { id: `crash-${worker}-${i}` });
            if (outcome.status === 'sealed') acknowledged.set(outcome.receipt.transaction, outcome.receipt.result);
          } catch {
            return; // the node is gone; whatever was not acknowledged may or may not have committed
          }
        }
      };
      const load = Array.from({ length: PAYERS }, (_, worker) => payer(worker));
      const deadline = Date.now() + LOAD_DEADLINE_MS;
      while (acknowledged.size < ACKNOWLEDGED_BEFORE_KILL && Date.now() < deadline) await sleep(20);
      await node.kill();
      stopped = true;
      await Promise.all(load);
      t.diagnostic(`${acknowledged.size} payments acknowledged before SIGKILL`);
      assert.ok(acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL, `the node acknowledged only ${acknowledged.size} payments in ${LOAD_DEADLINE_MS / 1000} s before the kill`);

      // Same address; the auditor's session died with the old process, and its client signs in again by itself.
      node = await startNodeProcess(dir.path, { port: Number(new URL(node.url).port) });
      for (const [hash, result] of acknowledged) {
        const stored = await auditor.transaction(hash);
        assert.deepEqual(stored.result, result, `acknowledged transaction ${hash}`);
      }
      const globex = await auditor.account('globex-usd');
      const committedPayments = [...acknowledged.values()].filter((r) => r.status === 'committed').length;
      assert.ok(Number(globex.available.replace('.', '')) >= committedPayments, 'every acknowledged payment is in the payee balance');
      assert.equal(await node.stop(), 0);

      const outcome = await verifyDataFile(join(dir.path, 'ledger.sqlite'));
      assert.equal(outcome.report.failure, null);
      assert.equal(outcome.stateProblem, null);
    } finally {
      dir.remove();
    }
  });
});
