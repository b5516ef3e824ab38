import { MerkleTree, resultLeaf, transactionLeaf, type BlockRecords, type Receipt, type SignedBlock } from '../chain/index.js';
import type { Explanation } from '../core/index.js';
import type { StoredTransaction } from '../store/types.js';

/** The two Merkle trees of a block, from which receipts are cut. */
export interface Trees {
  transactionTree: MerkleTree;
  resultTree: MerkleTree;
}

/**
 * A block on disk, with the events and history entries derived from it. The sequencer
 * and an observer hand over the trees they built anyway; a block a follower applied, or
 * one read back for a receipt, builds them only when a receipt is first asked of it.
 */
export class CommittedBlock {
  constructor(
    readonly block: SignedBlock,
    readonly transactions: readonly StoredTransaction[],
    /** Null for a block read back from the store only to cut receipts. */
    readonly records: BlockRecords | null,
    private trees: Trees | null,
    /**
     * Why the state machine refused what it refused, by position: only the sequencer that
     * built the block knows (explanations are words for the sender, never part of the chain).
     */
    private readonly explanations: ReadonlyMap<number, readonly Explanation[]> = new Map(),
  ) {}

  explanationsOf(position: number): readonly Explanation[] {
    return this.explanations.get(position) ?? [];
  }

  /** Built once per block, on the first answer that asks: every submission of the block asks. */
  private heldBack: Map<number, string[]> | undefined;

  /** The proposals a policy held the transaction at `position` back as (known while the block's records are). */
  heldBackOf(position: number): readonly string[] {
    if (this.heldBack === undefined) {
      this.heldBack = new Map();
      for (const event of this.records?.events ?? []) {
        if (event.type !== 'approval_requested' || event.transaction === null) continue;
        const held = this.heldBack.get(event.transaction.position) ?? [];
        held.push(String(event.data['proposal']));
        this.heldBack.set(event.transaction.position, held);
      }
    }
    return this.heldBack.get(position) ?? [];
  }

  receipt(position: number): Receipt {
    const tx = this.transactions[position];
    if (tx === undefined) throw new RangeError(`block ${this.block.header.height} has no transaction ${position}`);
    this.trees ??= {
      transactionTree: MerkleTree.of(this.transactions.map((stored) => transactionLeaf(stored.hash, stored.envelope.signatures))),
      resultTree: MerkleTree.of(this.transactions.map((stored) => resultLeaf(stored.hash, stored.result, stored.signers))),
    };
    return {
      transaction: tx.hash,
      result: tx.result,
      signers: tx.signers,
      index: position,
      block: this.block,
      transactionProof: this.trees.transactionTree.proof(position).map((node) => node.toString('hex')),
      resultProof: this.trees.resultTree.proof(position).map((node) => node.toString('hex')),
    };
  }
}
