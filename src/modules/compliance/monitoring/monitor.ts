import { PaymentGraph } from './graph.js';
import type { AlertDraft, Payment } from './payment.js';
import { AccountRules } from './rules.js';
import { HOUR_MS, type MonitoringSettings } from './settings.js';

/** The account rules and the graph typologies, fed one payment at a time, in feed order; each alert once per key. */
export class Monitor {
  private readonly rules: AccountRules;
  private readonly graph: PaymentGraph;
  /** Keys raised, with when: a key older than every window can no longer come back, and is forgotten. */
  private readonly raised = new Map<string, number>();
  private readonly isRaised = (key: string) => this.raised.has(key);
  private readonly forgetAfterMs: number;
  private observed = 0;

  constructor(settings: MonitoringSettings) {
    this.rules = new AccountRules(settings);
    this.graph = new PaymentGraph(settings);
    this.forgetAfterMs = 2 * Math.max(settings.graphWindowHours, settings.structuring.windowHours, settings.roundAmounts.windowHours) * HOUR_MS;
  }

  opened(account: string, timeMs: number): void {
    this.rules.opened(account, timeMs);
  }

  /** A key already raised (read back from the alerts table after a restart) is not raised again. */
  remember(key: string, timeMs: number): void {
    this.raised.set(key, timeMs);
  }

  observe(payment: Payment): AlertDraft[] {
    if (++this.observed % 10_000 === 0) {
      for (const [key, timeMs] of this.raised) if (timeMs < payment.timeMs - this.forgetAfterMs) this.raised.delete(key);
    }
    const found = [...this.rules.observe(payment, this.isRaised), ...this.graph.observe(payment, this.isRaised)];
    const fresh = found.filter((alert) => !this.raised.has(alert.key));
    for (const alert of fresh) this.raised.set(alert.key, payment.timeMs);
    return fresh;
  }

  get graphSize(): { accounts: number; pairs: number; payments: number } {
    return this.graph.size;
  }
}
