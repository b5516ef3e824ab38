import { canonicalJson, type BlockRecords, type ChangedRow, type EntryRecord, type EventPosition, type EventRecord, type RecordedBlock, type SignedBlock, type TransactionEnvelope } from '../chain/index.js';
import { CHAIN_VERSION, type Genesis, type TransactionResult } from '../core/index.js';

/** A transaction as the ledger keeps it: where it sits, what became of it, and whose signatures were accepted. */
export interface StoredTransaction {
  hash: string;
  height: number;
  position: number;
  envelope: TransactionEnvelope;
  result: TransactionResult;
  /** The participants whose signatures the sequencer accepted (committed in the block's result root). */
  signers: string[];
}

/** One materialized entity, already encoded (the bytes the state root commits to). */
export type StateRow = ChangedRow;

/** The materialized state as of one block. */
export interface Snapshot {
  height: number;
  rows: StateRow[];
}

/**
 * Everything one block changes, written atomically: the block, its transactions, the
 * events and history entries derived from it and, now and then, the entities changed
 * since the last snapshot.
 */
export interface BlockWrite {
  block: SignedBlock;
  transactions: readonly (StoredTransaction & { canonicalEnvelope: string })[];
  records: BlockRecords;
  /** Entities changed since the previous snapshot; null when this block takes none. */
  snapshot: readonly StateRow[] | null;
  /** The block's record for the log (block-log.ts), when the writer encoded it already (the sequencer does, to hash its trees from it). */
  record?: Buffer;
}

/** A block with its stored transactions, in order, and (when asked for) its stored events. */
export interface StoredBlock {
  block: SignedBlock;
  transactions: StoredTransaction[];
  events?: EventRecord[];
}

/** One line of an account's history: the entry (balances after) and the event it records. */
export interface HistoryLine {
  entry: EntryRecord;
  event: EventRecord;
}

/** Which part of an account's history to read, newest first. */
export interface HistoryQuery {
  /** Strictly before this position. */
  before?: EventPosition;
  /** From this block height on (a date range, mapped to heights). */
  fromHeight?: number;
  /** Up to this block height. */
  toHeight?: number;
  limit: number;
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

/** A block refused because its writer's epoch no longer holds the sequencer lease. */
export class FencedError extends Error {
  constructor(readonly epoch: number, readonly height: number) {
    super(`block ${height} refused: epoch ${epoch} no longer holds the sequencer lease`);
    this.name = 'FencedError';
  }
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
  /** The last block at or before `timeMs` (0 when there is none): maps a date to the chain. */
  heightAt(timeMs: number): Promise<number>;
  blockTransactions(height: number): Promise<StoredTransaction[]>;
  transaction(hash: string): Promise<StoredTransaction | null>;
  /** Up to `limit` transactions whose hash starts with `prefix` (lower-case hex), in hash order: a reader's short hash. */
  transactionsByHashPrefix(prefix: string, limit: number): Promise<StoredTransaction[]>;
  transactionById(sender: string, id: string): Promise<StoredTransaction | null>;
  /** Events after a position (or from the start), ascending. */
  events(after: EventPosition | null, limit: number): Promise<EventRecord[]>;
  /** An account's history, newest first: each entry with its event. */
  accountHistory(account: string, query: HistoryQuery): Promise<HistoryLine[]>;
  /** Every block after `afterHeight` with its transactions, ascending (and its events, with `events`); a record that cannot be decoded throws ChainDataError. */
  storedBlocks(afterHeight: number, options?: { events?: boolean }): AsyncIterable<StoredBlock>;
  /** Every history entry, by account then position: for the verifier to compare with replay in one pass. */
  allEntries(): AsyncIterable<EntryRecord>;
  close(): Promise<void>;
}

/** Refuses, before anything is migrated, a store holding a chain of another format than this code writes. */
export function assertChainFormat(genesisJson: string | undefined): void {
  if (genesisJson === undefined) return;
  const version = (JSON.parse(genesisJson) as { chainVersion?: unknown }).chainVersion;
  if (version !== CHAIN_VERSION) {
    throw new Error(`this store holds a chain of format ${String(version ?? 1)}, and this node reads and writes format ${CHAIN_VERSION}: start a new network in an empty data directory or database (the demo: remove ./data and run npm start again)`);
  }
}

/** Binds an empty store to `genesis`, or checks that the store already holds that network. */
export async function adoptGenesis(store: Store, genesis: Genesis): Promise<void> {
  const stored = await store.genesis();
  if (stored === null) await store.saveGenesis(genesis);
  else if (canonicalJson(stored) !== canonicalJson(genesis)) throw new Error('the store belongs to another network (genesis differs)');
}

/** The chain as the verifier reads it from a store, with the store's own events to cross-check. */
export async function* recordedBlocks(store: Store): AsyncIterable<RecordedBlock> {
  for await (const { block, transactions, events } of store.storedBlocks(0, { events: true })) {
    yield { block, transactions: transactions.map(({ hash, envelope, result, signers }) => ({ hash, envelope, result, signers })), ...(events !== undefined && { events }) };
  }
}
