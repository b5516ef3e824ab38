import { canonicalJson } from '../chain/index.js';
import type { Store } from './types.js';

export interface CopyReport {
  blocks: number;
  transactions: number;
  snapshotHeight: number;
}

/**
 * Copies a whole ledger from one store to another, block by block (each block one
 * write on the target, as the node itself writes it), then its latest snapshot. The
 * target must be empty. Verify the copy afterwards (verifyStore): the copy trusts nothing.
 */
export async function copyLedger(from: Store, to: Store): Promise<CopyReport> {
  const genesis = await from.genesis();
  if (genesis === null) throw new Error('the source store holds no network');
  if ((await to.genesis()) !== null || (await to.head()) !== null) throw new Error('the target store is not empty');
  await to.saveGenesis(genesis);
  const report: CopyReport = { blocks: 0, transactions: 0, snapshotHeight: 0 };
  for await (const { block, transactions } of from.storedBlocks(0)) {
    // Canonical JSON is a fixed point: re-encoding the stored envelope gives back the very bytes that were hashed.
    await to.commitBlock({ block, transactions: transactions.map((tx) => ({ ...tx, canonicalEnvelope: canonicalJson(tx.envelope) })), snapshot: null });
    report.blocks += 1;
    report.transactions += transactions.length;
  }
  const snapshot = await from.snapshot();
  if (snapshot.height > 0) await to.saveSnapshot(snapshot.height, snapshot.rows);
  report.snapshotHeight = snapshot.height;
  return report;
}
