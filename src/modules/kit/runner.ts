import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LedgerEvent } from '../../sdk/index.js';
import { advanceOffset, holdLease, readOffset, releaseLease } from './kit-tables.js';
import type { LedgerModule, ModuleContext, Recorder } from './module.js';
import type { RunnerMetrics } from './runner-metrics.js';

export interface RunnerOptions {
  /** How often the feed is read once caught up. */
  pollMs: number;
  /** Events per page of the feed. */
  pageSize: number;
  /** How long the lease lasts without renewal: another process takes the module over after that. */
  leaseMs: number;
}

/** Pages as large as the feed gives (`limit` ≤ 500): a module that handles pages commits once per page. */
export const RUNNER_DEFAULTS: RunnerOptions = { pollMs: 250, pageSize: 500, leaseMs: 10_000 };

/** Longest pause after an error (the node unreachable, the database busy). */
const ERROR_PAUSE_MAX_MS = 5_000;

/** Thrown when the offset moved under us: another runner handled the event; read the feed again. */
class OffsetMoved extends Error {}

/**
 * Follows the ledger's event feed for one module from the offset kept in its database:
 * each event's records and the new offset commit in one database transaction (a page's
 * records and offset, for a module that handles pages), so every event takes effect
 * exactly once, whatever crashes or restarts in between. Runs only while it holds the
 * module's lease.
 */
export class ModuleRunner {
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stepWanted = false;
  private errors = 0;

  constructor(private readonly module: LedgerModule, private readonly context: ModuleContext, private readonly options: RunnerOptions = RUNNER_DEFAULTS, private readonly metrics?: RunnerMetrics) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.module.close?.().catch((error: unknown) => this.context.log.warn({ err: error, module: this.module.name }, 'module close failed'));
    await releaseLease(this.context.db, this.module.name, this.holder).catch(() => undefined);
    this.metrics?.leaseHeld(false);
  }

  /**
   * Another step as soon as this one ends, or at once if the runner is pausing (work arrived
   * outside the feed); never cuts short the longer pause after a failed step.
   */
  requestStep(): void {
    this.stepWanted = true;
    if (this.errors === 0) this.wake?.();
  }

  /** Reads and handles the feed until caught up; false when another process holds the lease. */
  async step(): Promise<boolean> {
    const { db, nowMs } = this.context;
    const held = await holdLease(db, this.module.name, this.holder, nowMs(), nowMs() + this.options.leaseMs);
    this.metrics?.leaseHeld(held);
    if (!held) return false;
    await this.follow();
    await this.module.work?.(this.context);
    this.metrics?.stepDone(nowMs());
    return true;
  }

  /**
   * Reads and handles the feed up to its head. Also what the module's work may ask for
   * (`ModuleContext.follow`) before it acts on something that must see every event
   * committed until now: the step followed the feed before its work began, and events
   * committed since are not in the module's tables yet.
   */
  async follow(): Promise<void> {
    for (;;) {
      const { position } = await readOffset(this.context.db, this.module.name);
      const page = await this.context.client.events({
        ...(position !== null && { after: position }),
        ...(this.module.eventTypes !== undefined && { types: this.module.eventTypes }),
        limit: this.options.pageSize,
      });
      // Every event of the module's types up to `next` is in the page: the offset goes there,
      // past the events it does not follow (else a long run of them is read again and again).
      const reached = page.next ?? page.data.at(-1)?.position ?? position;
      if (this.module.handlePage !== undefined) await this.handlePage(page.data, position, reached);
      else {
        let from = position;
        for (const event of page.data) {
          await this.handleOne(event, from);
          from = event.position;
        }
        if (reached !== null && reached !== from) await this.commit(undefined, from, reached, 0);
      }
      if (!page.has_more || this.stopping) break;
    }
  }

  private async handleOne(event: LedgerEvent, from: string | null): Promise<void> {
    await this.commit(await this.module.handle(event, this.context), from, event.position, 1);
  }

  /** The page handled by the module at once, then its records and the offset (to `to`, its last event or past it) in one transaction. */
  private async handlePage(events: readonly LedgerEvent[], from: string | null, to: string | null): Promise<void> {
    if (to === null || to === from || this.module.handlePage === undefined) return;
    await this.commit(events.length === 0 ? undefined : await this.module.handlePage(events, this.context), from, to, events.length);
  }

  /** Records (none: past events the module does not follow) and the offset moved from `from` to `to`, in one transaction; `handled` events counted. */
  private async commit(record: Recorder | undefined, from: string | null, to: string, handled: number): Promise<void> {
    await this.context.db.transaction().execute(async (trx) => {
      await record?.(trx);
      if (!(await advanceOffset(trx, this.module.name, from, to, handled))) throw new OffsetMoved(`offset moved past ${from ?? 'the start'}`);
    });
    this.metrics?.handled(handled);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let pauseMs = this.options.pollMs;
      this.stepWanted = false;
      try {
        await this.step();
        this.errors = 0;
      } catch (error) {
        if (!(error instanceof OffsetMoved)) {
          this.errors += 1;
          this.metrics?.failed();
          pauseMs = Math.min(ERROR_PAUSE_MAX_MS, this.options.pollMs * 2 ** this.errors);
          this.context.log.warn({ err: error, module: this.module.name }, 'module step failed; retrying');
        }
      }
      if (!this.stopping && (this.errors > 0 || !this.stepWanted)) await this.pause(pauseMs);
    }
  }

  /** Until the pause is over or the runner is woken (a step wanted, or stop); the timer goes with it, so a stopped runner holds nothing open. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
