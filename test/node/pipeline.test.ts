import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receiptProblem, signTransaction, verifyChain, type Receipt, type TransactionEnvelope } from '../../src/chain/index.js';
import { HASH_ON_WORKER_FROM } from '../../src/node/engine.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { recordedBlocks } from '../../src/store/types.js';
import { body, openTestLedger, signerOf, type TestLedger } from '../helpers.js';

/** Large enough that its hashing and its write both go to their threads (a record of well over 64 KiB). */
const LARGE_BLOCK = 4 * HASH_ON_WORKER_FROM;

async function payments(t: TestLedger, count: number, round: number): Promise<TransactionEnvelope[]> {
  const acme = signerOf(t.network, 'acme');
  return Promise.all(Array.from({ length: count }, (_, i) =>
    signTransaction(body(t.network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '0.01' }], { id: `pipeline-${round}-${i}` }), [acme])));
}

/**
 * Payments from acme to globex, submitted together round after round until two large blocks
 * were cut (however fast this machine admits them); every one committed. Ids start at `firstRound`.
 */
async function payUntilTwoLargeBlocks(t: TestLedger, firstRound: number): Promise<{ envelope: TransactionEnvelope; receipt: Receipt }[]> {
  const receipts: { envelope: TransactionEnvelope; receipt: Receipt }[] = [];
  let largeBlocks = 0;
  for (let round = firstRound; largeBlocks < 2; round += 1) {
    const batch = await payments(t, LARGE_BLOCK * 2, round);
    const outcomes = await Promise.all(batch.map((envelope) => t.ledger.submit(envelope, true)));
    const heights = new Map<number, number>();
    outcomes.forEach((outcome, i) => {
      assert.equal(outcome.status, 'sealed');
      if (outcome.status !== 'sealed') return;
      assert.equal(outcome.receipt.result.status, 'committed', JSON.stringify(outcome.receipt.result));
      receipts.push({ envelope: batch[i]!, receipt: outcome.receipt });
      heights.set(outcome.receipt.block.header.height, outcome.receipt.block.header.transactionCount);
    });
    largeBlocks += [...heights.values()].filter((count) => count >= LARGE_BLOCK).length;
  }
  return receipts;
}

describe('the pipelined sequencer', () => {
  it('hashes and writes large blocks on their threads: every receipt proves, the chain verifies, and a read never sees a block before it is durable', async () => {
    const t = await openTestLedger({ sequencer: { blockIntervalMs: 5 } });
    try {
      const store = t.ledger.store as SqliteStore;
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'PIPELINE' }]);
      let readsChecked = 0;
      let reading = true;
      // A reader under load: once durable() resolves, nothing applied in memory is ahead of the durable head.
      const reader = (async () => {
        while (reading) {
          await t.ledger.engine.durable();
          assert.equal(t.ledger.engine.appliedTimestampMs, t.ledger.engine.head?.header.timestampMs ?? 0, 'a read saw a block that was not durable');
          readsChecked += 1;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const receipts = await payUntilTwoLargeBlocks(t, 0);
      reading = false;
      await reader;
      assert.ok(readsChecked > 0);
      assert.ok(Reflect.get(store, 'writer') !== null, 'the large blocks went through the writer thread');

      const validators = t.network.genesis.validators;
      for (const { envelope, receipt } of receipts) assert.equal(receiptProblem(receipt, envelope, validators), null);
      const report = await verifyChain(t.ledger.genesis, recordedBlocks(store));
      assert.equal(report.failure, null);
      assert.equal(report.headHash, t.ledger.engine.head?.hash);
      // Read back through the block log and its derived indexes.
      const last = receipts[receipts.length - 1]!;
      assert.equal((await store.transaction(last.receipt.transaction))?.position, last.receipt.index);
      assert.equal((await store.transactionById('acme', last.envelope.body.id))?.hash, last.receipt.transaction);
      assert.equal((await t.ledger.receipt(last.receipt.transaction))?.block.hash, last.receipt.block.hash);
      assert.deepEqual(t.violations, []);
    } finally {
      await t.close();
    }
  });

  it('applies a long block in slices: a reader let in between slices sees every durable block whole and nothing of the block being applied', async () => {
    // Slices of 32 payments (applySliceMs 0): the apply yields however fast this machine is.
    const t = await openTestLedger({ sequencer: { blockIntervalMs: 5, applySliceMs: 0 } });
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'SLICES' }]);
      const globex = (): bigint => t.ledger.state.accounts.get('globex-usd')!.availableMinor;
      const startMinor = globex();
      const seen: { height: number; globexMinor: bigint }[] = [];
      let reading = true;
      const reader = (async () => {
        while (reading) {
          await t.ledger.engine.durable();
          seen.push({ height: t.ledger.engine.head?.header.height ?? 0, globexMinor: globex() });
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const heights = (await payUntilTwoLargeBlocks(t, 100)).map(({ receipt }) => receipt.block.header.height);
      reading = false;
      await reader;
      // Each payment pays globex one cent: at a durable height h, globex holds one cent per payment in blocks up to h.
      const mismatches = seen.filter(({ height, globexMinor }) => globexMinor - startMinor !== BigInt(heights.filter((h) => h <= height).length));
      assert.ok(seen.length > 0);
      assert.deepEqual(mismatches, [], 'a read saw part of a block, or a block that was not durable');
      assert.equal(globex() - startMinor, BigInt(heights.length));
      assert.deepEqual(t.violations, []);
    } finally {
      await t.close();
    }
  });
});
