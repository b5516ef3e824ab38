import { EventEmitter } from 'node:events';
import { nextDueMs, transactionKey } from '../core/index.js';
import { APPLY_SLICE_MS, type AdmittedTransaction, type CommittedBlock, type Engine } from './engine.js';
import { LedgerError } from './errors.js';

export interface SequencerOptions {
  /** How long the first transaction of a block waits for company: the group-commit window. */
  blockIntervalMs: number;
  blockTransactionsMax: number;
  /** Admitted but unsequenced transactions beyond which submissions are refused (back-pressure). */
  queueMax: number;
  /** How long applying a block runs before it lets other work in (see APPLY_SLICE_MS). */
  applySliceMs: number;
}

export const SEQUENCER_DEFAULTS: SequencerOptions = { blockIntervalMs: 2, blockTransactionsMax: 4096, queueMax: 100_000, applySliceMs: APPLY_SLICE_MS };

/** Where an admitted transaction ended up. */
export interface Sequenced {
  block: CommittedBlock;
  position: number;
}

interface Waiting {
  tx: AdmittedTransaction;
  resolve: (sequenced: Sequenced) => void;
  reject: (error: Error) => void;
}

/**
 * The single writer. Admitted transactions queue here; a loop cuts them into blocks and
 * settles each submitter only once its block is durable. The engine pipelines: while one
 * block is hashed and written, the next is applied and the queue fills, so the commit
 * cost is shared by everything that arrived meanwhile (group commit). Emits 'block' after each commit,
 * with the seconds it took from cutting the block to its being durable.
 */
export class Sequencer extends EventEmitter<{ block: [CommittedBlock, number]; failed: [Error] }> {
  private readonly queue: Waiting[] = [];
  private readonly inFlight = new Map<string, { hash: string; settled: Promise<Sequenced> }>();
  private wake: (() => void) | null = null;
  private stopping = false;
  private readonly loop: Promise<void>;

  constructor(private readonly engine: Engine, private readonly options: SequencerOptions, private readonly clock: () => number = Date.now) {
    super();
    this.loop = this.run();
  }

  get depth(): number {
    return this.queue.length;
  }

  /** The submission in flight for a sender's id, if any: a resubmission joins it rather than queueing twice. */
  pending(sender: string, id: string): { hash: string; settled: Promise<Sequenced> } | undefined {
    return this.inFlight.get(transactionKey(sender, id));
  }

  enqueue(tx: AdmittedTransaction): Promise<Sequenced> {
    if (this.stopping) throw new LedgerError('unavailable', 'the node is shutting down');
    if (this.engine.failed !== null) throw new LedgerError('unavailable', 'the sequencer stopped after a storage failure');
    if (this.queue.length >= this.options.queueMax) throw new LedgerError('overloaded', 'the sequencer queue is full; retry shortly', undefined, 1);
    const key = transactionKey(tx.envelope.body.sender, tx.envelope.body.id);
    // A second copy would fail the block's write (ids are unique in the store) and stop the node.
    if (this.inFlight.has(key)) throw new Error(`invariant: transaction id ${key} is already queued`);
    const settled = new Promise<Sequenced>((resolve, reject) => this.queue.push({ tx, resolve, reject }));
    this.inFlight.set(key, { hash: tx.hash, settled });
    const forget = (): void => void this.inFlight.delete(key);
    settled.then(forget, forget);
    this.wake?.();
    return settled;
  }

  /** False once stop() began: the node takes no more transactions. */
  get accepting(): boolean {
    return !this.stopping && this.engine.failed === null;
  }

  /** Stops accepting, writes what is queued, and returns when the last block is durable. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /** Stops at once: what is queued is refused with `reason`; returns when the block in flight settled. */
  async abandon(reason: Error): Promise<void> {
    this.stopping = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(reason);
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    for (;;) {
      await this.workReady();
      await this.engine.room();
      if (this.engine.failed !== null || (this.stopping && this.queue.length === 0)) break;
      const batch = this.queue.splice(0, this.options.blockTransactionsMax);
      const timestampMs = Math.max(this.clock(), this.engine.appliedTimestampMs + 1);
      const started = performance.now();
      let produced: ReturnType<Engine['produceBlock']>;
      try {
        produced = this.engine.produceBlock(batch.map((waiting) => waiting.tx), timestampMs, this.options.applySliceMs);
      } catch (error) {
        this.failed(batch, error as Error);
        break;
      }
      // Settled in chain order: the engine writes block after block.
      produced.written.then((block) => {
        batch.forEach((waiting, position) => waiting.resolve({ block, position }));
        this.emit('block', block, (performance.now() - started) / 1000);
      }, (error: Error) => this.failed(batch, error));
      // One block applied at a time; a block that does not apply fails its write too (told above).
      if (!(await produced.applied.then(() => true, () => false))) break;
    }
    await this.engine.settled();
    if (this.engine.failed !== null) this.failed([], this.engine.failed);
  }

  private failure: LedgerError | null = null;

  /** A block could not be committed: its submitters, and everyone queued, are told; 'failed' is emitted once. */
  private failed(batch: readonly Waiting[], error: Error): void {
    const first = this.failure === null;
    this.failure ??= new LedgerError('unavailable', `block could not be committed: ${error.message}`);
    for (const waiting of [...batch, ...this.queue.splice(0)]) waiting.reject(this.failure);
    if (first) this.emit('failed', error);
  }

  /** Resolves when a block should be cut: transactions waited their window, the queue is full, a hold is due, or we stop. */
  private async workReady(): Promise<void> {
    while (this.queue.length === 0 && !this.stopping) {
      const holdDueMs = nextDueMs(this.engine.state);
      const now = this.clock();
      if (holdDueMs !== null && holdDueMs <= now) return;
      const waitMs = holdDueMs === null ? null : Math.min(holdDueMs - now, 60_000);
      await new Promise<void>((resolve) => {
        const timer = waitMs === null ? null : setTimeout(resolve, waitMs);
        this.wake = () => {
          if (timer !== null) clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    if (this.queue.length < this.options.blockTransactionsMax && !this.stopping && this.options.blockIntervalMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.options.blockIntervalMs));
    }
  }
}
