import type { Logger } from 'pino';
import { BlockRejectedError, canonicalJson, disclosedHash, genesisHash, headerProblem, receiptProblem, transactionHash, type ChainFailure, type DisclosedTransaction, type SignedBlock, type TransactionEnvelope } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import type { DepositumClient, ReplicatedTransaction, ReplicationPage } from '../sdk/index.js';
import { adoptGenesis, type Store, type StoredTransaction } from '../store/types.js';
import type { Ledger } from './ledger.js';

export interface ObserverOptions {
  /** How often the observer asks the upstream node for new blocks once it has caught up. */
  pollIntervalMs: number;
  /** Blocks asked for at a time while catching up. */
  pageBlocks: number;
}

export const OBSERVER_DEFAULTS: ObserverOptions = { pollIntervalMs: 500, pageBlocks: 200 };

/** Why an observer stopped following: the first block that did not verify, and when it saw it. */
export interface ObserverAlarm extends ChainFailure {
  atMs: number;
}

export interface ObserverStatus {
  upstream: string;
  /** True for an observer that sees and replays every transaction; false for a participant's partial view. */
  complete: boolean;
  /** The last block this observer verified and stored. */
  height: number;
  /** The upstream node's head when last asked. */
  upstreamHeight: number;
  lagBlocks: number;
  /** How far behind the upstream's head the last verified block's time is (0 when caught up). */
  lagMs: number;
  alarm: ObserverAlarm | null;
}

type Entry = ReplicationPage['data'][number];

/** Where verified blocks go: a full replay into a ledger, or a participant's header-and-proof check. */
export interface ObservedChain {
  readonly complete: boolean;
  head(): SignedBlock | null;
  /** Verifies and stores one block; throws BlockRejectedError when it does not verify. */
  accept(entry: Entry): Promise<void>;
  /** After a rejected block: back to the last block that verified and was stored. */
  recover(): Promise<void>;
}

/**
 * Follows an upstream node's chain and keeps a verified copy. It trusts only the
 * genesis it was started with: every block must carry the validators' seal, link to the
 * one before and, for a complete view, replay to its recorded results. The first block
 * that fails raises the alarm and the observer stops following, keeping what verified.
 */
export class Observer {
  private upstreamHeight = 0;
  private raised: ObserverAlarm | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly upstream: DepositumClient,
    private readonly chain: ObservedChain,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
    private readonly options: ObserverOptions = OBSERVER_DEFAULTS,
  ) {}

  get alarm(): ObserverAlarm | null {
    return this.raised;
  }

  get status(): ObserverStatus {
    const head = this.chain.head();
    const height = head?.header.height ?? 0;
    const lagBlocks = Math.max(0, this.upstreamHeight - height);
    return {
      upstream: this.upstream.url, complete: this.chain.complete, height, upstreamHeight: this.upstreamHeight, lagBlocks,
      lagMs: lagBlocks === 0 ? 0 : Math.max(0, this.clock() - (head?.header.timestampMs ?? 0)),
      alarm: this.raised,
    };
  }

  /** Pulls and verifies until caught up with the upstream's head or an alarm; network errors propagate. */
  async catchUp(): Promise<ObserverStatus> {
    while (this.raised === null) {
      const after = this.chain.head()?.header.height ?? 0;
      const page = await this.upstream.replication(after, this.options.pageBlocks);
      this.upstreamHeight = page.head;
      if (page.complete !== this.chain.complete) throw new Error(page.complete ? 'the upstream now shows every transaction; this observer keeps a partial view' : 'the upstream shows only this identity\'s transactions: observe as an auditor or operator for a full replay');
      for (const entry of page.data) {
        if (!(await this.accept(entry))) break;
      }
      if (page.data.length === 0 || (this.chain.head()?.header.height ?? 0) >= page.head) break;
    }
    return this.status;
  }

  private async accept(entry: Entry): Promise<boolean> {
    try {
      await this.chain.accept(entry);
      return true;
    } catch (error) {
      const failure: ChainFailure = error instanceof BlockRejectedError
        ? error.failure
        : { height: (this.chain.head()?.header.height ?? 0) + 1, reason: `block cannot be processed: ${(error as Error).message}` };
      this.raised = { ...failure, atMs: this.clock() };
      this.log.error({ alarm: this.raised, upstream: this.upstream.url }, 'ALARM: a block from upstream does not verify; stopped following, keeping the last verified state');
      await this.chain.recover();
      return false;
    }
  }

  /** Follows until stop() or an alarm. */
  start(): void {
    const loop = (): void => {
      if (this.stopped || this.raised !== null) return;
      this.running = this.catchUp()
        .catch((error: unknown) => this.log.warn({ err: error, upstream: this.upstream.url }, 'could not reach the upstream node; retrying'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.pollIntervalMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }
}

/** An auditor's or operator's observer: replays every transaction into its own ledger, which serves the read API. */
export class ReplayedChain implements ObservedChain {
  readonly complete = true;

  constructor(private readonly ledger: Ledger) {}

  head(): SignedBlock | null {
    return this.ledger.engine.head;
  }

  async accept(entry: Entry): Promise<void> {
    const transactions = entry.transactions.map(({ envelope, result, signers }, index) => {
      if (envelope === undefined) throw new BlockRejectedError({ height: entry.block.header.height, transaction: index, reason: 'a complete view came with a transaction withheld' });
      return { envelope, result, signers };
    });
    await this.ledger.ingest({ block: entry.block, transactions });
  }

  async recover(): Promise<void> {
    await this.ledger.recover();
  }
}

/**
 * A participant's observer: it sees every block header but only its own transactions.
 * It checks each header's seal and link, and each of its transactions' inclusion
 * proofs into the sealed roots, and stores the headers and those transactions.
 */
export class PartialChain implements ObservedChain {
  readonly complete = false;
  private latest: SignedBlock | null = null;
  private readonly anchor: string;

  private constructor(private readonly store: Store, private readonly genesis: Genesis) {
    this.anchor = genesisHash(genesis);
  }

  static async open(store: Store, genesis: Genesis): Promise<PartialChain> {
    await adoptGenesis(store, genesis);
    const chain = new PartialChain(store, genesis);
    chain.latest = await store.head();
    return chain;
  }

  head(): SignedBlock | null {
    return this.latest;
  }

  async accept({ block, transactions }: Entry): Promise<void> {
    const header = headerProblem(block, this.genesis, this.latest, this.anchor);
    if (header !== null) throw new BlockRejectedError(header);
    const stored = transactions.map((tx, index) => this.proven(block, tx, index));
    await this.store.commitBlock({ block, transactions: stored, records: { events: [], entries: [] }, snapshot: null });
    this.latest = block;
  }

  private proven(block: SignedBlock, tx: ReplicatedTransaction, index: number): StoredTransaction & { canonicalEnvelope: string } {
    const { height } = block.header;
    const fail = (reason: string): never => {
      throw new BlockRejectedError({ height, transaction: tx.position ?? index, reason });
    };
    const shown = tx.disclosed ?? tx.envelope;
    if (tx.position === undefined || tx.transactionProof === undefined || tx.resultProof === undefined || shown === undefined) return fail('a transaction of a partial view comes without its position, view and proofs');
    const hash = 'salt' in shown.body ? transactionHash((shown as TransactionEnvelope).body) : disclosedHash((shown as DisclosedTransaction).body);
    const problem = receiptProblem({ transaction: hash, result: tx.result, signers: tx.signers, index: tx.position, block, transactionProof: tx.transactionProof, resultProof: tx.resultProof }, shown, this.genesis.validators);
    if (problem !== null) fail(problem);
    // A participant's copy keeps the transaction as it was shown (operations of others withheld, their digests kept).
    return { hash, height, position: tx.position, envelope: shown as TransactionEnvelope, canonicalEnvelope: canonicalJson(shown), result: tx.result, signers: tx.signers };
  }

  async recover(): Promise<void> {
    this.latest = await this.store.head();
  }
}
