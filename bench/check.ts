import { recordedBlocks } from '../src/store/types.js';
import { canonicalJson, verifyChain } from '../src/chain/index.js';
import type { Genesis, TransactionResult } from '../src/core/index.js';
import type { Store } from '../src/store/types.js';

/**
 * The check every scenario ends with: the chain verifies from genesis (signatures,
 * links, roots, replay, invariants: supply conserved, no negative balance), and every
 * acknowledged transaction is on it exactly once with the acknowledged result.
 */
export async function correctnessProblem(genesis: Genesis, store: Store, acknowledged: Map<string, TransactionResult>): Promise<string | null> {
  const report = await verifyChain(genesis, recordedBlocks(store));
  if (report.failure !== null) return `chain fails at block ${report.failure.height}: ${report.failure.reason}`;
  const seen = new Set<string>();
  for await (const { transactions } of recordedBlocks(store)) {
    for (const tx of transactions) {
      if (tx.hash === undefined) continue;
      if (seen.has(tx.hash)) return `transaction ${tx.hash} is on the chain twice`;
      seen.add(tx.hash);
    }
  }
  for (const [hash, result] of acknowledged) {
    if (!seen.has(hash)) return `acknowledged transaction ${hash} is not on the chain`;
    const stored = await store.transaction(hash);
    if (stored === null || canonicalJson(stored.result) !== canonicalJson(result)) return `transaction ${hash} was acknowledged with another result`;
  }
  return null;
}
