import type { Receipt } from '../chain/index.js';
import type { Store } from '../store/types.js';
import { CommittedBlock } from './committed-block.js';

/**
 * Blocks whose Merkle trees are kept for receipts without re-reading the block. Few:
 * a block can hold thousands of transactions, and receipts are asked for recent ones.
 */
const RECENT_BLOCKS_KEPT = 8;

/** Receipts for any transaction on the chain, cut from recent blocks in memory or from the store. */
export class Receipts {
  private readonly recent = new Map<number, CommittedBlock>();

  constructor(private readonly store: () => Store) {}

  /** A block on this node with its Merkle trees, to cut receipts and proofs from. */
  async block(height: number): Promise<CommittedBlock> {
    const recent = this.recent.get(height);
    if (recent !== undefined) return recent;
    const block = await this.store().block(height);
    if (block === null) throw new Error(`invariant: block ${height} is missing`);
    const built = new CommittedBlock(block, await this.store().blockTransactions(height), null, null);
    this.remember(built);
    return built;
  }

  async receipt(hash: string): Promise<Receipt | null> {
    const stored = await this.store().transaction(hash);
    if (stored === null) return null;
    return (await this.block(stored.height)).receipt(stored.position);
  }

  remember(block: CommittedBlock): void {
    this.recent.set(block.block.header.height, block);
    if (this.recent.size > RECENT_BLOCKS_KEPT) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }
}
