import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { SequencerLocator } from './api/forward.js';
import type { SequencerLease } from '../store/types.js';
import type { Ledger } from './ledger.js';

export interface ClusterOptions {
  /** How long the lease lasts unless renewed: the longest a dead sequencer keeps the others waiting. */
  leaseTtlMs: number;
  /** How often the sequencer renews the lease. */
  renewIntervalMs: number;
  /** How often a follower applies new blocks and looks at the lease. */
  pollIntervalMs: number;
}

/**
 * A takeover within 5 s of a SIGKILL: the lease runs out at most 2 s after the last
 * renewal, a follower notices within 250 ms, and it already holds the state up to the
 * last block it polled, so it only applies the few blocks since.
 */
export const CLUSTER_DEFAULTS: ClusterOptions = { leaseTtlMs: 2000, renewIntervalMs: 500, pollIntervalMs: 250 };

/**
 * One node among several on a shared store. Followers apply the sequencer's blocks as
 * they land and try to take the lease when it runs out; the holder renews it and steps
 * down when it cannot (the store's fence would refuse its blocks anyway). A node that
 * loses the lease, or whose block fails to commit, reopens its state from the store and
 * follows again: it never exits for something the cluster can survive.
 */
export class ClusterMember implements SequencerLocator {
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private epoch: number | null = null;
  private leader: string | null = null;
  private lastRenewMs = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> = Promise.resolve();
  /** Where the other nodes reach this one to forward submissions. */
  private url = '';

  constructor(
    private readonly ledger: Ledger,
    private readonly lease: SequencerLease,
    private readonly log: Logger,
    private readonly options: ClusterOptions = CLUSTER_DEFAULTS,
  ) {
    ledger.on('failed', (error) => {
      log.error({ err: error }, 'a block did not commit; stepping down and reopening the state from the store');
      this.tick = this.tick
        .then(() => this.stepDown(`the sequencer stepped down: ${error.message}`))
        .catch((failure: unknown) => log.warn({ err: failure }, 'stepping down did not finish; the next step retries'));
    });
  }

  /** The sequencer's URL while another node holds the lease; null when this node does or nobody does. */
  get leaderUrl(): string | null {
    return this.epoch === null ? this.leader : null;
  }

  /** Joins the election, advertising `url` to the others. */
  start(url: string): void {
    this.url = url;
    const loop = (): void => {
      if (this.stopped) return;
      this.tick = this.tick.then(() => this.step()).catch((error: unknown) => this.log.warn({ err: error }, 'cluster step failed; retrying'));
      void this.tick.then(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.epoch === null ? this.options.pollIntervalMs : this.options.renewIntervalMs);
      });
    };
    loop();
  }

  /** Stops electing; the ledger is closed by its owner, who calls release() once its last block is written. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.tick;
  }

  /** Gives up the lease after a clean shutdown, so that another node takes over at its next poll. */
  async release(): Promise<void> {
    if (this.epoch === null) return;
    try {
      await this.lease.release(this.epoch);
      this.log.info({ epoch: this.epoch }, 'released the sequencer lease');
    } catch (error) {
      this.log.warn({ err: error }, 'could not release the sequencer lease; it runs out by itself');
    }
    this.epoch = null;
  }

  private async step(): Promise<void> {
    if (this.epoch !== null) return this.renew();
    await this.ledger.recover();
    await this.ledger.follow();
    const current = await this.lease.current();
    this.leader = current !== null && current.expiresInMs > 0 ? current.url : null;
    if (this.leader === null) await this.takeOver();
  }

  private async renew(): Promise<void> {
    const epoch = this.epoch!;
    let held: boolean;
    try {
      held = await this.lease.renew(epoch, this.options.leaseTtlMs);
    } catch (error) {
      // The store is unreachable (a database fail-over, say). Keep trying: the fence guards the blocks.
      this.log.warn({ err: error, msSinceRenewal: Date.now() - this.lastRenewMs }, 'could not renew the sequencer lease');
      return;
    }
    if (held) this.lastRenewMs = Date.now();
    else await this.stepDown(`epoch ${epoch} lost the sequencer lease; retry and the new sequencer will answer`);
  }

  private async takeOver(): Promise<void> {
    const epoch = await this.lease.acquire(this.holder, this.url, this.options.leaseTtlMs);
    if (epoch === null) return;
    this.lastRenewMs = Date.now();
    this.lease.fence(epoch);
    this.epoch = epoch;
    this.leader = null;
    try {
      await this.ledger.promote();
    } catch (error) {
      await this.stepDown(`could not become the sequencer: ${(error as Error).message}`);
      throw error;
    }
    this.log.info({ epoch, height: this.ledger.engine.head?.header.height ?? 0 }, 'this node is now the sequencer');
  }

  private async stepDown(reason: string): Promise<void> {
    const epoch = this.epoch;
    this.epoch = null;
    // The fence keeps the old epoch, which no longer holds the lease: nothing more can be written.
    await this.ledger.demote(reason);
    if (epoch !== null) this.log.warn({ epoch, reason }, 'this node is no longer the sequencer');
  }
}
