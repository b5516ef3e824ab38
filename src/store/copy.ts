import { BlockRejectedError, blockTrees, canonicalJson, genesisHash, genesisReplay, replayBlock, structureProblem, type SignedBlock } from '../chain/index.js';
import { encodeEntity, TABLE_NAMES } from '../core/index.js';
import type { StateRow, Store } from './types.js';

export interface CopyReport {
  blocks: number;
  transactions: number;
  snapshotHeight: number;
}

/**
 * Copies a whole ledger from one store to another, block by block (each block one write
 * on the target, as the node itself writes it). Every block is verified and replayed on
 * the way, which derives its events and history entries for the target, and the final
 * state is written as the target's snapshot. The target must be empty; a block of the
 * source that does not verify stops the copy, naming it.
 */
export async function copyLedger(from: Store, to: Store): Promise<CopyReport> {
  const genesis = await from.genesis();
  if (genesis === null) throw new Error('the source store holds no network');
  if ((await to.genesis()) !== null || (await to.head()) !== null) throw new Error('the target store is not empty');
  await to.saveGenesis(genesis);
  const replay = genesisReplay(genesis);
  const anchor = genesisHash(genesis);
  const report: CopyReport = { blocks: 0, transactions: 0, snapshotHeight: 0 };
  let previous: SignedBlock | null = null;
  for await (const { block, transactions } of from.storedBlocks(0)) {
    const recorded = { block, transactions: transactions.map(({ envelope, result, signers }) => ({ envelope, result, signers })) };
    const trees = blockTrees(recorded.transactions);
    const structure = structureProblem(recorded, genesis, previous, anchor, trees);
    if (structure !== null) throw new BlockRejectedError(structure);
    const replayed = replayBlock(recorded, replay, { hashes: trees.hashes, verifySignatures: true });
    if (replayed.failure !== null) throw new BlockRejectedError(replayed.failure);
    // Canonical JSON is a fixed point: re-encoding the stored envelope gives back the very bytes that were stored.
    const copied = transactions.map((tx) => ({ ...tx, canonicalEnvelope: canonicalJson(tx.envelope) }));
    await to.commitBlock({ block, transactions: copied, records: replayed.records, snapshot: null });
    previous = block;
    report.blocks += 1;
    report.transactions += transactions.length;
  }
  const rows: StateRow[] = [];
  for (const table of TABLE_NAMES) for (const [id, entity] of replay.state.table(table)) rows.push({ table, id, body: encodeEntity(table, entity as never) });
  if (previous !== null) await to.saveSnapshot(previous.header.height, rows);
  report.snapshotHeight = previous?.header.height ?? 0;
  return report;
}
