import {
  BlockRecorder, BlockRejectedError, blockSealProblem, blockTrees, canonicalJson, commitChanges, genesisHash, MerkleTree, replayBlock, resultLeaf, signBlock, sortedSigners,
  structureProblem, transactionLeaf, verifiedSigners,
  type BlockHeader, type RecordedBlock, type SignedBlock, type Signer, type StateCommitment, type TransactionEnvelope,
} from '../chain/index.js';
import { applyTransaction, beginBlock, CHAIN_VERSION, type Explanation, type Genesis, type LedgerState } from '../core/index.js';
import { blockRecordBytes } from '../store/block-log.js';
import { adoptGenesis, type StateRow, type Store, type StoredBlock, type StoredTransaction } from '../store/types.js';
import { BlockHasher } from './block-hasher.js';
import { CommittedBlock, type Trees } from './committed-block.js';
import { locateStateDamage, stateFromSnapshot } from './state-load.js';

export { CommittedBlock } from './committed-block.js';

/** A transaction that passed admission: decoded, hashed and encoded once, its signers verified. */
export interface AdmittedTransaction {
  envelope: TransactionEnvelope;
  hash: string;
  canonicalEnvelope: string;
  signers: Set<string>;
  /** The state's participantsVersion when the signatures were checked. */
  participantsVersion: number;
}

/**
 * Take a snapshot of the changed entities once this long has passed since the last…
 * Short, so each snapshot is small: a snapshot is written inside a block's commit, and
 * at 1 s it was the whole of the latency tail (p99 109 ms at 2,000/s; 30 ms at 100 ms).
 */
export const SNAPSHOT_INTERVAL_MS = 100;
/** …or once this many entities have changed, whichever comes first. */
export const SNAPSHOT_CHANGES_MAX = 200_000;

/**
 * Blocks applied in memory but not yet durable, at most: one being written while the next
 * is hashed and the one after is applied. More would only hold more receipts back.
 */
export const PIPELINE_DEPTH = 2;

/**
 * Blocks of at least this many transactions have their trees hashed on another thread;
 * smaller ones at once, here: a thread hop costs more than hashing a few leaves.
 */
export const HASH_ON_WORKER_FROM = 64;

/**
 * Applying a long block yields to the event loop after this long, so that the block
 * before it is sealed and handed to the writer while this one is applied (a 4,096-payment
 * block takes about 300 ms here; the write of the one before about 130 ms).
 */
export const APPLY_SLICE_MS = 10;
/** How often, in transactions, the apply looks at the time. */
const APPLY_SLICE_CHECK_EVERY = 32;

/** A block applied in memory, its record encoded, waiting for its trees, its seal and its write. */
interface AppliedBlock {
  height: number;
  timestampMs: number;
  stateRoot: string;
  transactions: (StoredTransaction & { canonicalEnvelope: string })[];
  records: ReturnType<BlockRecorder['take']>;
  explanations: Map<number, readonly Explanation[]>;
  snapshot: StateRow[] | null;
  record: Buffer;
}

/**
 * Owns the in-memory state and its commitment. On the sequencer it turns batches of
 * admitted transactions into signed, durable blocks (produceBlock, pipelined: see room());
 * on any other node it follows the blocks the sequencer wrote (catchUp). If a block
 * cannot be written the engine stops for good: memory is ahead of disk, and the only
 * safe continuation is a new engine opened from what is durable.
 */
export class Engine {
  private failure: Error | null = null;
  /** Set once this engine produces blocks: from then on it never applies stored ones. */
  private producing = false;
  /** The block between being applied in memory and being durable, if any. */
  private inProgress: Promise<unknown> | null = null;
  /** Entities changed since the last snapshot, encoded once, for the next one. */
  private readonly unsnapshotted = new Map<string, StateRow>();
  /** Hashes produced blocks' trees on another thread; made when this engine starts producing. */
  private hasher: BlockHasher | null = null;
  /** The last block applied in memory while producing: ahead of `latest` by the blocks in flight. */
  private applied = { height: 0, timestampMs: 0 };
  /** The last produced block's seal (the next header links to it) and its write (the next is written after it). */
  private lastSealed: Promise<SignedBlock | null> = Promise.resolve(null);
  private lastWritten: Promise<unknown> = Promise.resolve();
  /** Produced blocks not yet durable, oldest first; they become durable in this order. */
  private readonly inFlight: Promise<CommittedBlock>[] = [];
  /** Readers waiting for every applied block to be durable: the sequencer lets them read before applying more. */
  private readersWaiting = 0;
  /** How many blocks may be in flight now: see room(). */
  private depth = PIPELINE_DEPTH;

  private constructor(
    readonly store: Store,
    readonly genesis: Genesis,
    readonly genesisHash: string,
    private readonly validators: readonly Signer[],
    readonly state: LedgerState,
    private readonly commitment: StateCommitment,
    private latest: SignedBlock | null,
    private lastSnapshotMs: number,
  ) {}

  /**
   * Opens the ledger from its latest snapshot, checked against the state root its block
   * commits to (a node never serves a state its validators did not sign), then applies
   * the blocks written since.
   */
  static async open(store: Store, genesis: Genesis, validators: readonly Signer[]): Promise<Engine> {
    if (genesis.chainVersion !== CHAIN_VERSION) throw new Error(`the genesis is of chain format ${String(genesis.chainVersion)}; this node reads and writes format ${CHAIN_VERSION}`);
    await adoptGenesis(store, genesis);
    const snapshot = await store.snapshot();
    const { state, commitment, unsnapshotted } = stateFromSnapshot(genesis, snapshot);
    const snapshotBlock = snapshot.height === 0 ? null : await store.block(snapshot.height);
    if (snapshot.height > 0) {
      const signed = snapshotBlock?.header.stateRoot ?? 'no block at that height';
      const found = commitment.root();
      if (found !== signed) throw await locateStateDamage(store, genesis, snapshot, found, signed);
    }
    const engine = new Engine(store, genesis, genesisHash(genesis), validators, state, commitment, snapshotBlock, snapshotBlock?.header.timestampMs ?? 0);
    engine.keepForSnapshot(unsnapshotted);
    await engine.catchUp();
    return engine;
  }

  /**
   * Applies the blocks in the store after the head, as written by whoever sequenced
   * them: at start (the blocks since the snapshot) and, on a node that is not the
   * sequencer, to follow it. Each must carry the validators' seal, link to the head,
   * and replay (with the signers its result root commits to) to its recorded results
   * and its state root; anything else means the store is damaged, and the engine refuses
   * it. Never runs alongside produceBlock or itself.
   */
  async catchUp(onBlock?: (block: CommittedBlock) => void): Promise<number> {
    if (this.failure !== null) throw this.failure;
    let applied = 0;
    const blocks = this.store.storedBlocks(this.latest?.header.height ?? 0)[Symbol.asyncIterator]();
    // A read that fails is not a broken engine (the caller may retry); a block that does not apply is.
    for (let next = await blocks.next(); next.done !== true; next = await blocks.next()) {
      // A pass that began before this engine became the sequencer would meet its own blocks.
      if (this.producing) break;
      try {
        const committed = this.applyStored(next.value);
        this.latest = next.value.block;
        applied += 1;
        onBlock?.(committed);
      } catch (error) {
        // Half a block may be applied: this state must never serve again.
        this.failure = error instanceof Error ? error : new Error(String(error));
        throw this.failure;
      }
    }
    return applied;
  }

  private applyStored({ block, transactions }: StoredBlock): CommittedBlock {
    const { height, previousHash } = block.header;
    const expectedHeight = (this.latest?.header.height ?? 0) + 1;
    if (height !== expectedHeight || previousHash !== (this.latest?.hash ?? this.genesisHash)) {
      throw new Error(`replay: stored block ${height} does not follow the head (expected height ${expectedHeight} linked to ${this.latest?.hash ?? this.genesisHash})`);
    }
    // The signers replayed with are the ones the block's result root commits to, under the validators' seal.
    const seal = blockSealProblem(block, this.genesis.validators);
    if (seal !== null) throw new Error(`replay: stored block ${height}: ${seal}`);
    const resultRoot = MerkleTree.of(transactions.map((tx) => resultLeaf(tx.hash, tx.result, tx.signers))).root().toString('hex');
    if (resultRoot !== block.header.resultRoot) throw new Error(`replay: stored block ${height}: its results or signers do not match its result root`);
    const recorded: RecordedBlock = { block, transactions: transactions.map(({ envelope, result, signers }) => ({ envelope, result, signers })) };
    const { failure, records, changed } = replayBlock(recorded, { state: this.state, commitment: this.commitment }, { hashes: transactions.map((tx) => tx.hash), verifySignatures: false });
    if (failure !== null) throw new Error(`replay: stored block ${failure.height}${failure.transaction === undefined ? '' : ` transaction ${failure.transaction}`}: ${failure.reason}`);
    this.keepForSnapshot(changed);
    return new CommittedBlock(block, transactions, records, null);
  }

  /** The last durable block. */
  get head(): SignedBlock | null {
    return this.latest;
  }

  /** The time of the last block applied in memory (the next block's time must be later). */
  get appliedTimestampMs(): number {
    return this.producing ? this.applied.timestampMs : this.latest?.header.timestampMs ?? 0;
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** From now on this engine writes the blocks; a catch-up still running stops before applying any. */
  startProducing(): void {
    this.producing = true;
    this.applied = { height: this.latest?.header.height ?? 0, timestampMs: this.latest?.header.timestampMs ?? 0 };
    this.lastSealed = Promise.resolve(this.latest);
    this.lastWritten = Promise.resolve();
  }

  /** Stops the threads this engine started; it applies nothing after. */
  async close(): Promise<void> {
    await this.hasher?.close();
  }

  /** The sequencer stopped (no block in flight): from now on this engine follows the blocks others write. */
  stopProducing(): void {
    this.producing = false;
  }

  /**
   * Applies a block in memory and writes it. `applied` settles once the block is applied
   * (the apply yields to the event loop every `sliceMs`: see APPLY_SLICE_MS); `written` when it
   * is durable. Meanwhile its trees are hashed on another thread, it is sealed once they are
   * (linked to the block before it), and written after the block before it; the caller may
   * apply the next block once this one is applied (at most PIPELINE_DEPTH in flight: see
   * room()). A failure anywhere fails this block and every block after it, and the engine.
   */
  produceBlock(admitted: readonly AdmittedTransaction[], timestampMs: number, sliceMs = APPLY_SLICE_MS): { applied: Promise<unknown>; written: Promise<CommittedBlock> } {
    if (!this.producing) throw new Error('invariant: startProducing() before producing blocks');
    if (this.failure !== null) throw this.failure;
    // A small block is hashed and written on this thread anyway: overlapping the next one
    // with it gains nothing and costs a second fsync where one would serve both.
    this.depth = admitted.length < HASH_ON_WORKER_FROM ? 1 : PIPELINE_DEPTH;
    const applied = this.apply(admitted, timestampMs, sliceMs).catch((error: unknown) => {
      // Half a block may be applied: this state must never serve again.
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    });
    const trees = applied.then((block) => this.treesOf(block));
    const sealed = Promise.all([this.lastSealed, applied, trees]).then(([previous, block, { transactionTree, resultTree }]) => signBlock(this.headerOf(block, previous, transactionTree, resultTree), this.validators));
    const written = Promise.all([applied, sealed, trees, this.lastWritten]).then(([block, seal, built]) => this.write(block, seal, built));
    this.lastSealed = sealed;
    this.lastWritten = written;
    // In flight from the start: a reader let in while the apply yields waits for this block too.
    this.inFlight.push(written);
    const settled = (): void => void this.inFlight.shift();
    written.then(settled, (error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
      settled();
    });
    return { applied, written };
  }

  private treesOf(applied: AppliedBlock): Promise<Trees> {
    if (applied.transactions.length < HASH_ON_WORKER_FROM) {
      return Promise.resolve({
        transactionTree: MerkleTree.of(applied.transactions.map((tx) => transactionLeaf(tx.hash, tx.envelope.signatures))),
        resultTree: MerkleTree.of(applied.transactions.map((tx) => resultLeaf(tx.hash, tx.result, tx.signers))),
      });
    }
    this.hasher ??= new BlockHasher();
    return this.hasher.trees(applied.height, applied.record);
  }

  private async write(applied: AppliedBlock, block: SignedBlock, trees: Trees): Promise<CommittedBlock> {
    await this.store.commitBlock({ block, transactions: applied.transactions, records: applied.records, snapshot: applied.snapshot, record: applied.record });
    this.latest = block;
    return new CommittedBlock(block, applied.transactions, applied.records, trees, applied.explanations);
  }

  /**
   * Resolves when the caller may apply another block: fewer than PIPELINE_DEPTH are in
   * flight (one, after a small block) and no reader waits. A waiting reader is let in once
   * every applied block is durable, before anything more is applied, so what it reads is on disk.
   */
  async room(): Promise<void> {
    let readersLetIn = false;
    while (this.inFlight.length >= this.depth || (this.readersWaiting > 0 && this.inFlight.length > 0)) {
      readersLetIn ||= this.readersWaiting > 0;
      await this.inFlight[0]!.catch(() => undefined);
    }
    // Their continuations are queued as microtasks: they all run before the next macrotask.
    if (readersLetIn) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Resolves when every produced block is durable or failed. */
  async settled(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight[this.inFlight.length - 1]!.catch(() => undefined);
  }

  /**
   * Takes a block sequenced by another network node (this node observes it): checks its
   * seal, link, roots and every signature, replays it and requires the recorded results
   * and state root, and only then stores it with the records it derived. A block that
   * does not verify throws BlockRejectedError and leaves the engine failed, with nothing
   * of the block on disk: the last good state is what the store holds.
   */
  async ingest(recorded: RecordedBlock): Promise<CommittedBlock> {
    return this.writing(async () => {
      const { block } = recorded;
      const trees = blockTrees(recorded.transactions);
      const failure = structureProblem(recorded, this.genesis, this.latest, this.genesisHash, trees);
      if (failure !== null) throw new BlockRejectedError(failure);
      const replayed = replayBlock(recorded, { state: this.state, commitment: this.commitment }, { hashes: trees.hashes, verifySignatures: true });
      if (replayed.failure !== null) throw new BlockRejectedError(replayed.failure);
      const transactions = recorded.transactions.map((tx, position) => ({
        hash: trees.hashes[position]!, height: block.header.height, position, envelope: tx.envelope, canonicalEnvelope: canonicalJson(tx.envelope), result: tx.result, signers: tx.signers,
      }));
      this.keepForSnapshot(replayed.changed);
      await this.store.commitBlock({ block, transactions, records: replayed.records, snapshot: this.snapshotDue(block.header.timestampMs) ? this.takeSnapshotRows() : null });
      this.latest = block;
      return new CommittedBlock(block, transactions, replayed.records, trees);
    });
  }

  /** Runs one block's application and write; any failure leaves memory ahead of disk, so the engine stops. */
  private async writing(write: () => Promise<CommittedBlock>): Promise<CommittedBlock> {
    if (this.failure !== null) throw this.failure;
    // Set in the same synchronous step that applies the block, so nothing can observe the
    // applied state without also seeing that its block is not yet durable.
    const building = write();
    this.inProgress = building;
    try {
      return await building;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    } finally {
      this.inProgress = null;
    }
  }

  /**
   * Resolves when no block is between applied and durable, so that what a caller reads
   * next from the state (before it awaits anything else) is on disk. Under load it waits
   * for the blocks in flight; the sequencer applies no more until the reader had its turn.
   */
  async durable(): Promise<void> {
    for (;;) {
      const pending = this.inFlight[this.inFlight.length - 1] ?? this.inProgress;
      if (pending === null) return;
      this.readersWaiting += 1;
      try {
        await pending.catch(() => undefined);
      } finally {
        this.readersWaiting -= 1;
      }
    }
  }

  /**
   * Applies a block's transactions to the state and encodes what the log will hold of it.
   * A long block yields to the event loop every `sliceMs`: the block before it is
   * sealed and handed to the writer as soon as its trees are back, rather than after this
   * apply, and submissions keep being admitted. Nothing else changes the state meanwhile
   * (the sequencer applies one block at a time); readers wait for durable(), and this block
   * is in flight from its start.
   */
  private async apply(admitted: readonly AdmittedTransaction[], timestampMs: number, sliceMs: number): Promise<AppliedBlock> {
    const height = this.applied.height + 1;
    const recorder = new BlockRecorder(height, timestampMs);
    recorder.blockStart(beginBlock(this.state, timestampMs));
    const transactions: (StoredTransaction & { canonicalEnvelope: string })[] = [];
    const explanations = new Map<number, readonly Explanation[]>();
    let sliceStartedMs = performance.now();
    for (const [position, tx] of admitted.entries()) {
      // The wall clock decides only when to yield, never what a transaction does.
      if (position % APPLY_SLICE_CHECK_EVERY === 0 && performance.now() - sliceStartedMs >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStartedMs = performance.now();
      }
      const verified = tx.participantsVersion === this.state.participantsVersion ? tx.signers : verifiedSigners(tx.envelope.signatures, tx.hash, this.state);
      const signers = sortedSigners(verified);
      const applied = applyTransaction(this.state, { body: tx.envelope.body, signers: new Set(signers) }, timestampMs);
      transactions.push({ hash: tx.hash, height, position, envelope: tx.envelope, canonicalEnvelope: tx.canonicalEnvelope, result: applied.result, signers });
      recorder.transaction(position, tx.envelope.body, tx.hash, signers, applied.events);
      if (applied.explanations.length > 0) explanations.set(position, applied.explanations);
    }
    this.keepForSnapshot(commitChanges(this.state, this.commitment));
    const records = recorder.take();
    this.applied = { height, timestampMs };
    return {
      height, timestampMs, stateRoot: this.commitment.root(), transactions, records, explanations,
      snapshot: this.snapshotDue(timestampMs) ? this.takeSnapshotRows() : null,
      record: blockRecordBytes({ transactions, records }),
    };
  }

  private headerOf(applied: AppliedBlock, previous: SignedBlock | null, transactionTree: MerkleTree, resultTree: MerkleTree): BlockHeader {
    return {
      version: CHAIN_VERSION,
      network: this.genesis.network,
      height: applied.height,
      previousHash: previous?.hash ?? this.genesisHash,
      timestampMs: applied.timestampMs,
      transactionCount: applied.transactions.length,
      transactionRoot: transactionTree.root().toString('hex'),
      resultRoot: resultTree.root().toString('hex'),
      stateRoot: applied.stateRoot,
    };
  }

  /** Keeps the encodings of what a block changed (already in the commitment) for the next snapshot. */
  private keepForSnapshot(changed: readonly StateRow[]): void {
    for (const row of changed) this.unsnapshotted.set(`${row.table}/${row.id}`, row);
  }

  /**
   * Entities are written in snapshots rather than with every block: an account paid a
   * thousand times a second is written once. The blocks since the last snapshot are
   * replayed at start, so this trades a little recovery time for far fewer writes.
   */
  private snapshotDue(timestampMs: number): boolean {
    if (timestampMs - this.lastSnapshotMs < SNAPSHOT_INTERVAL_MS && this.unsnapshotted.size < SNAPSHOT_CHANGES_MAX) return false;
    this.lastSnapshotMs = timestampMs;
    return true;
  }

  private takeSnapshotRows(): StateRow[] {
    const rows = [...this.unsnapshotted.values()];
    this.unsnapshotted.clear();
    return rows;
  }

  /** Writes what changed since the last snapshot, at the head; called at a clean shutdown. */
  async saveSnapshot(): Promise<void> {
    if (this.latest === null || this.failure !== null) return;
    await this.store.saveSnapshot(this.latest.header.height, this.takeSnapshotRows());
  }
}
