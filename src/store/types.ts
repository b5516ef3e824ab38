import type { SignedBlock, TransactionEnvelope, RecordedBlock } from '../chain/index.js';
import type { Genesis, TableName, TransactionResult } from '../core/index.js';

/** A transaction as the ledger keeps it: where it sits, what became of it, whom it concerns. */
export interface StoredTransaction {
  hash: string;
  height: number;
  position: number;
  envelope: TransactionEnvelope;
  result: TransactionResult;
  accounts: string[];
  parties: string[];
}

/** One materialized entity, already encoded (see core/codec). */
export interface StateRow {
  table: TableName;
  id: string;
  body: string;
}

/** Everything one block changes, written atomically: the block, its transactions, their index rows, the state. */
export interface BlockWrite {
  block: SignedBlock;
  transactions: readonly (StoredTransaction & { canonicalEnvelope: string })[];
  state: readonly StateRow[];
}

/** Where a page of account history starts: strictly before this position. */
export interface HistoryCursor {
  height: number;
  position: number;
}

/**
 * What the node needs from storage. Writes happen once per block; a height is
 * written at most once, so a second writer for the same height fails instead of forking.
 */
export interface Store {
  readonly kind: string;
  genesis(): Promise<Genesis | null>;
  saveGenesis(genesis: Genesis): Promise<void>;
  head(): Promise<SignedBlock | null>;
  commitBlock(write: BlockWrite): Promise<void>;
  /** The materialized state as of the head block. */
  stateRows(): Promise<StateRow[]>;
  /** Sender/id keys of transactions still valid at `atMs`, to rebuild the duplicate filter. */
  transactionKeys(atMs: number): Promise<{ sender: string; id: string; validUntilMs: number }[]>;
  block(height: number): Promise<SignedBlock | null>;
  /** Blocks with height > `afterHeight`, ascending. */
  blocks(afterHeight: number, limit: number): Promise<SignedBlock[]>;
  blockTransactions(height: number): Promise<StoredTransaction[]>;
  transaction(hash: string): Promise<StoredTransaction | null>;
  transactionById(sender: string, id: string): Promise<StoredTransaction | null>;
  /** Newest first. */
  accountHistory(account: string, before: HistoryCursor | null, limit: number): Promise<StoredTransaction[]>;
  /** Every block with its transactions from height 1, decoded for the verifier; a record that cannot be decoded throws ChainDataError. */
  recordedBlocks(): AsyncIterable<RecordedBlock>;
  close(): Promise<void>;
}
