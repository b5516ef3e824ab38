import { EventEmitter } from 'node:events';
import { transactionHash, type Receipt, type RecordedBlock, type Signer, type TransactionEnvelope } from '../chain/index.js';
import { transactionKey, type Genesis } from '../core/index.js';
import type { Store, StoredTransaction } from '../store/types.js';
import { Admission, type AdmissionPolicy } from './admission.js';
import { CommittedBlock, Engine } from './engine.js';
import { InstructionQueries } from './instruction-queries.js';
import { ParQueries } from './par-queries.js';
import { LedgerQueries } from './queries.js';
import { Receipts } from './receipts.js';
import { explainRejection, LedgerError, type ExplainedRejection } from './errors.js';
import { Sequencer, SEQUENCER_DEFAULTS, type SequencerOptions } from './sequencer.js';
import { SignatureVerifier } from './signatures.js';

/**
 * What a submission gets. A sealed one rejected in whole or in part carries, the first
 * time it is answered (or while its block is in memory), why: the field and what was wrong;
 * one a policy held back names the proposal it waits as (GET /v1/proposals/:id says for whom).
 */
export type Submission =
  | { status: 'pending'; hash: string; replayed: boolean }
  | { status: 'sealed'; receipt: Receipt; replayed: boolean; explanations?: ExplainedRejection[]; heldBack?: string[] };

function sealed(block: CommittedBlock, position: number, replayed: boolean): Submission {
  const explanations = block.explanationsOf(position).map(explainRejection);
  const heldBack = block.heldBackOf(position);
  return { status: 'sealed', receipt: block.receipt(position), replayed, ...(explanations.length > 0 && { explanations }), ...(heldBack.length > 0 && { heldBack: [...heldBack] }) };
}

/** The sequencer writes blocks; a follower applies the blocks the sequencer wrote to the shared store. */
export type Role = 'sequencer' | 'follower';

export interface LedgerConfig {
  /** Default: sequencer (a store one process owns). Nodes sharing a store start as followers and are elected. */
  role?: Role;
  store: Store;
  genesis: Genesis;
  validators: readonly Signer[];
  sequencer?: Partial<SequencerOptions>;
  clock?: () => number;
  /** Worker threads verifying signatures; 0 verifies on the main thread. */
  verifierThreads?: number;
}

/**
 * One node's ledger: admission, the state, and either the sequencer (on the node that
 * holds the lease) or a follower of the blocks it writes. Emits 'block' for every block
 * this node applies, sequenced or followed, and 'failed' when a block could not be written.
 */
export class Ledger extends EventEmitter<{ block: [CommittedBlock, number]; failed: [Error] }> {
  private readonly receipts = new Receipts(() => this.store);
  private readonly admission: Admission;
  /** What participants may read, as they may see it. */
  readonly queries = new LedgerQueries(() => this.state, () => this.store, this.receipts);
  readonly instructions = new InstructionQueries(() => this.state);
  readonly par = new ParQueries(() => this.state, () => this.engine.head?.header.timestampMs ?? 0);
  private current: Engine;
  private sequencing: Sequencer | null = null;
  private following: Promise<number> | null = null;

  private constructor(engine: Engine, private readonly config: LedgerConfig, private readonly verifier: SignatureVerifier, private readonly clock: () => number) {
    super();
    this.current = engine;
    this.admission = new Admission(config.genesis, verifier);
  }

  static async open(config: LedgerConfig): Promise<Ledger> {
    const engine = await Engine.open(config.store, config.genesis, config.validators);
    const ledger = new Ledger(engine, config, new SignatureVerifier(config.verifierThreads ?? 0), config.clock ?? Date.now);
    if ((config.role ?? 'sequencer') === 'sequencer') ledger.startSequencing();
    return ledger;
  }

  get engine(): Engine {
    return this.current;
  }

  get role(): Role {
    return this.sequencing === null ? 'follower' : 'sequencer';
  }

  /** The sequencer; a follower has none and refuses with a retryable error. */
  get sequencer(): Sequencer {
    if (this.sequencing === null) throw new LedgerError('unavailable', 'this node is not the sequencer; retry shortly', undefined, 1);
    return this.sequencing;
  }

  /** Admitted transactions waiting to be sequenced on this node. */
  get queueDepth(): number {
    return this.sequencing?.depth ?? 0;
  }

  /** True while this node sequences and takes transactions. */
  get accepting(): boolean {
    return this.sequencing?.accepting ?? false;
  }

  private startSequencing(): void {
    this.current.startProducing();
    const sequencer = new Sequencer(this.current, { ...SEQUENCER_DEFAULTS, ...this.config.sequencer }, this.clock);
    sequencer.on('block', (block, seconds) => this.applied(block, seconds));
    sequencer.on('failed', (error) => this.emit('failed', error));
    this.sequencing = sequencer;
  }

  private applied(block: CommittedBlock, seconds: number): void {
    this.receipts.remember(block);
    this.emit('block', block, seconds);
  }

  /** Applies the blocks the sequencer wrote since this node's head; concurrent calls share one pass. */
  async follow(): Promise<number> {
    if (this.sequencing !== null) return 0;
    this.following ??= this.current.catchUp((block) => this.applied(block, 0)).finally(() => {
      this.following = null;
    });
    return this.following;
  }

  /**
   * Waits until this node has applied `height`, or `timeoutMs` passed: a follower that
   * forwarded a submission answers once its own reads show the result.
   */
  async reach(height: number, timeoutMs: number): Promise<boolean> {
    const deadline = this.clock() + timeoutMs;
    while ((this.current.head?.header.height ?? 0) < height) {
      if (this.clock() >= deadline || this.sequencing !== null) return false;
      if ((await this.follow().catch(() => 0)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  /**
   * Becomes the sequencer. The caller holds the lease and fenced the store, so no other
   * block can appear: every block still unseen is applied, then sequencing starts on top.
   */
  async promote(): Promise<void> {
    if (this.sequencing !== null) return;
    // Through follow(), so that two passes never apply blocks at once: the pass in flight
    // may have begun before the lease was taken, the next begins after and sees every block.
    await this.following?.catch(() => 0);
    await this.follow();
    this.startSequencing();
  }

  /**
   * Stops sequencing (the lease was lost or a block did not commit): queued submissions
   * are refused as retryable, and the state is reopened from the store if memory ran ahead of it.
   */
  async demote(reason: string): Promise<void> {
    const sequencer = this.sequencing;
    this.sequencing = null;
    await sequencer?.abandon(new LedgerError('unavailable', reason, undefined, 1));
    this.current.stopProducing();
    await this.recover();
  }

  /** Verifies, applies and stores a block another node sequenced (this node observes it): see Engine.ingest. */
  async ingest(recorded: RecordedBlock): Promise<CommittedBlock> {
    if (this.sequencing !== null) throw new Error('invariant: a sequencer does not ingest blocks');
    const block = await this.current.ingest(recorded);
    this.applied(block, 0);
    return block;
  }

  /** Replaces an engine that failed with one opened from what is durable. */
  async recover(): Promise<void> {
    if (this.current.failed === null) return;
    const failed = this.current;
    this.current = await Engine.open(this.config.store, this.config.genesis, this.config.validators);
    await failed.close();
  }

  /** Worker threads verifying signatures (0: on the main thread). */
  get verifierThreads(): number {
    return this.verifier.threads;
  }

  get state() {
    return this.engine.state;
  }

  /** A policy admission applies to every transaction from now on (a module's, in this process). */
  addAdmissionPolicy(policy: AdmissionPolicy): void {
    this.admission.addPolicy(policy);
  }

  get store(): Store {
    return this.engine.store;
  }

  get genesis(): Genesis {
    return this.engine.genesis;
  }

  /** The ledger's notion of now: the wall clock, but never before the head block. */
  now(): number {
    return Math.max(this.clock(), this.engine.head?.header.timestampMs ?? 0);
  }

  /**
   * Admits a signed transaction and, with `wait`, returns its receipt once its block
   * is durable. The same sender and id with the same content returns the first
   * outcome (replayed); with other content it is a conflict.
   */
  async submit(envelope: TransactionEnvelope, wait: boolean): Promise<Submission> {
    const { body } = envelope;
    if (body.network !== this.genesis.network) throw new LedgerError('network_mismatch', `this node serves network ${this.genesis.network}, not ${body.network}`, 'body.network');
    const hash = transactionHash(body);
    const replay = await this.replay(body.sender, body.id, hash, wait);
    if (replay !== null) return replay;
    this.admission.checkFrame(envelope, this.now());
    const admitted = await this.admission.admit(envelope, hash, this.state, this.now());
    // Verification awaited: the same id may have been queued or sequenced meanwhile. Checked
    // and queued with nothing awaited in between, so an id is never queued twice.
    if (this.sequencer.pending(body.sender, body.id) !== undefined || this.state.transactionKeys.has(transactionKey(body.sender, body.id))) {
      const raced = await this.replay(body.sender, body.id, hash, wait);
      if (raced !== null) return raced;
    }
    const settled = this.sequencer.enqueue(admitted);
    if (!wait) {
      settled.catch(() => undefined);
      return { status: 'pending', hash, replayed: false };
    }
    const { block, position } = await settled;
    return sealed(block, position, false);
  }

  private async replay(sender: string, id: string, hash: string, wait: boolean): Promise<Submission | null> {
    const inFlight = this.sequencer.pending(sender, id);
    if (inFlight !== undefined) {
      if (inFlight.hash !== hash) throw conflict(sender, id);
      if (!wait) return { status: 'pending', hash, replayed: true };
      const { block, position } = await inFlight.settled;
      return sealed(block, position, true);
    }
    // An id is spent for good once its transaction is in a block, whatever its age: the
    // in-memory window only covers recent ids, so every id it does not hold is looked up in
    // the store. Nothing but this lookup keeps an old id from reaching a block, where the
    // store's uniqueness constraint would refuse the whole block.
    const spent = this.state.transactionKeys.has(transactionKey(sender, id));
    // A spent id may belong to the block being written right now: read once it is durable.
    if (spent) await this.engine.durable();
    const stored = await this.store.transactionById(sender, id);
    if (stored === null) {
      if (spent) throw new Error(`invariant: id ${sender}/${id} is spent but not stored`);
      return null;
    }
    return this.storedReplay(stored, sender, id, hash);
  }

  private async storedReplay(stored: StoredTransaction, sender: string, id: string, hash: string): Promise<Submission> {
    if (stored.hash !== hash) throw conflict(sender, id);
    const receipt = await this.receipt(hash);
    if (receipt === null) throw new Error(`invariant: stored transaction ${hash} has no receipt`);
    return { status: 'sealed', receipt, replayed: true };
  }

  /** A receipt for any committed or rejected transaction on the chain. */
  receipt(hash: string): Promise<Receipt | null> {
    return this.receipts.receipt(hash);
  }

  /** A block on this node with its Merkle trees, to cut receipts and proofs from. */
  block(height: number): Promise<CommittedBlock> {
    return this.receipts.block(height);
  }

  /**
   * Finishes the block in progress, writes a snapshot if this node sequences, runs
   * `beforeStoreCloses` (e.g. giving up the sequencer lease), and closes the store.
   */
  async close(beforeStoreCloses?: () => Promise<void>): Promise<void> {
    if (this.sequencing !== null) {
      await this.sequencing.stop();
      await this.current.saveSnapshot().catch(() => undefined);
    }
    await beforeStoreCloses?.().catch(() => undefined);
    await this.following?.catch(() => 0);
    await this.store.close();
    await this.current.close();
    await this.verifier.close();
  }
}

function conflict(sender: string, id: string): LedgerError {
  return new LedgerError('idempotency_conflict', `${sender} already used transaction id ${id} for different content`, 'body.id');
}
