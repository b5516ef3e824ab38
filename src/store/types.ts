import { canonicalJson, type RecordedBlock, type SignedBlock, type TransactionEnvelope } from '../chain/index.js';
import type { Genesis, TableName, TransactionResult } from '../core/index.js';

/** A transaction as the ledger keeps it: where it sits, what became of it, whom it concerns. */
export interface StoredTransaction {
  hash: string;
  height: number;
  position: number;
  envelope: TransactionEnvelope;
  result: TransactionResult;
  /** The participants whose signatures the sequencer accepted when it applied the transaction. */
  signers: string[];
  accounts: string[];
  parties: string[];
}

/** One materialized entity, already encoded (see core/codec). */
export interface StateRow {
  table: TableName;
  id: string;
  body: string;
}

/** The materialized state as of one block. */
export interface Snapshot {
  height: number;
  rows: StateRow[];
}

/**
 * Everything one block changes, written atomically: the block, its transactions and
 * their history rows and, now and then, the entities changed since the last snapshot.
 */
export interface BlockWrite {
  block: SignedBlock;
  transactions: readonly (StoredTransaction & { canonicalEnvelope: string })[];
  /** Entities changed since the previous snapshot; null when this block takes none. */
  snapshot: readonly StateRow[] | null;
}

/** Where a page of account history starts: strictly before this position. */
export interface HistoryCursor {
  height: number;
  position: number;
}

/** A block with its stored transactions, in order. */
export interface StoredBlock {
  block: SignedBlock;
  transactions: StoredTransaction[];
}

/** Who holds the sequencer lease, since which epoch, for how much longer. */
export interface Lease {
  epoch: number;
  holder: string;
  /** Where the holder takes forwarded submissions. */
  url: string;
  expiresInMs: number;
}

/**
 * One sequencer among several node processes sharing a store. The lease expires unless
 * renewed; whoever takes it over gets the next epoch. The epoch is checked inside every
 * block's database transaction, so a sequencer that lost the lease (paused, partitioned)
 * cannot write even one more block: it is fenced, not merely asked to stop.
 */
export interface SequencerLease {
  /** Takes the lease if nobody holds it, it expired, or `holder` has it already; the new epoch, or null if another holds it. */
  acquire(holder: string, url: string, ttlMs: number): Promise<number | null>;
  /** Extends the lease; false if `epoch` no longer holds it. */
  renew(epoch: number, ttlMs: number): Promise<boolean>;
  current(): Promise<Lease | null>;
  /** Gives the lease up at once (a clean shutdown), so a follower need not wait for it to run out. */
  release(epoch: number): Promise<void>;
  /** From now on commitBlock and saveSnapshot write only while `epoch` holds the lease. */
  fence(epoch: number): void;
}

/**
 * Whether a store error means the database cannot be reached or cannot serve right now
 * (a fail-over, a restart, a full disk, a lock held by another process), as opposed to
 * a bug: callers answer such a request "unavailable, retry" instead of failing it.
 */
export function storeUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    // PostgreSQL: connection exceptions (08), insufficient resources (53), operator intervention (57P), read-only transaction (25006).
    if (/^(08|53|57P)/.test(code) || code === '25006') return true;
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)$/.test(code)) return true;
    // SQLite: locked by another connection, or the disk is full or failing.
    if (/^SQLITE_(BUSY|LOCKED|FULL|IOERR)/.test(code)) return true;
  }
  return error instanceof Error && /Connection terminated|connection timeout|not queryable/i.test(error.message);
}

/** A block refused because its writer's epoch no longer holds the sequencer lease. */
export class FencedError extends Error {
  constructor(readonly epoch: number, readonly height: number) {
    super(`block ${height} refused: epoch ${epoch} no longer holds the sequencer lease`);
    this.name = 'FencedError';
  }
}

/**
 * What the node needs from storage. Writes happen once per block; a height is
 * written at most once, so a second writer for the same height fails instead of forking.
 */
export interface Store {
  readonly kind: string;
  /** The sequencer lease for a store several node processes share; null for a store one process owns. */
  readonly lease: SequencerLease | null;
  /**
   * A random secret created by the first caller and the same for every node on this
   * store (it keys the session tokens any node must be able to check).
   */
  sharedSecret(name: string): Promise<Buffer>;
  /** Remembers a single-use request's digest until `expiresAtMs`: true the first time, false for a replay. */
  claimRequest(digest: string, expiresAtMs: number): Promise<boolean>;
  genesis(): Promise<Genesis | null>;
  saveGenesis(genesis: Genesis): Promise<void>;
  head(): Promise<SignedBlock | null>;
  commitBlock(write: BlockWrite): Promise<void>;
  /** The latest snapshot of the materialized state (height 0 and no rows before the first). */
  snapshot(): Promise<Snapshot>;
  /** Writes a snapshot taken outside a block (at a clean shutdown), so the next start replays nothing. */
  saveSnapshot(height: number, rows: readonly StateRow[]): Promise<void>;
  block(height: number): Promise<SignedBlock | null>;
  /** Blocks with height > `afterHeight`, ascending. */
  blocks(afterHeight: number, limit: number): Promise<SignedBlock[]>;
  blockTransactions(height: number): Promise<StoredTransaction[]>;
  transaction(hash: string): Promise<StoredTransaction | null>;
  transactionById(sender: string, id: string): Promise<StoredTransaction | null>;
  /** Newest first. */
  accountHistory(account: string, before: HistoryCursor | null, limit: number): Promise<StoredTransaction[]>;
  /** Every block after `afterHeight` with its transactions, ascending; a record that cannot be decoded throws ChainDataError. */
  storedBlocks(afterHeight: number): AsyncIterable<StoredBlock>;
  close(): Promise<void>;
}

/** Binds an empty store to `genesis`, or checks that the store already holds that network. */
export async function adoptGenesis(store: Store, genesis: Genesis): Promise<void> {
  const stored = await store.genesis();
  if (stored === null) await store.saveGenesis(genesis);
  else if (canonicalJson(stored) !== canonicalJson(genesis)) throw new Error('the store belongs to another network (genesis differs)');
}

/** The chain as the verifier reads it from a store, with the store's own index data to cross-check. */
export async function* recordedBlocks(store: Store): AsyncIterable<RecordedBlock> {
  for await (const { block, transactions } of store.storedBlocks(0)) {
    yield { block, transactions: transactions.map(({ hash, envelope, result, accounts, parties }) => ({ hash, envelope, result, accounts, parties })) };
  }
}
