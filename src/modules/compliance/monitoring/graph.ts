import { MultiDirectedGraph } from 'graphology';
import { formatAmount } from '../../../core/index.js';
import type { AlertDraft, Payment } from './payment.js';
import { HOUR_MS, type MonitoringSettings } from './settings.js';

/**
 * Typologies over the payment graph: accounts are nodes, each payment within the window an
 * edge (graphology). The graph is updated per payment (an edge in, the edges that left the
 * window out), never rebuilt; each search starts at the new payment and only follows
 * payments earlier than it, so its cost depends on the neighbourhood, not the graph.
 * * a cycle: money back where it started through 2 to 4 other accounts, each hop after the last;
 * * fan-in and fan-out: many distinct senders into, or receivers from, one account;
 * * a layering chain: money passed on quickly through several accounts, little kept at each;
 * * a mule-like account: money in from several senders, nearly all of it sent on.
 */
interface Edge {
  readonly payment: Payment;
}

type Graph = MultiDirectedGraph<Record<string, never>, Edge>;

export class PaymentGraph {
  private readonly graph: Graph = new MultiDirectedGraph();
  /** Edge keys in the order they came, for dropping what leaves the window. */
  private readonly order: string[] = [];
  private head = 0;
  private readonly windowMs: number;

  constructor(private readonly settings: MonitoringSettings) {
    this.windowMs = settings.graphWindowHours * HOUR_MS;
  }

  get size(): { accounts: number; payments: number } {
    return { accounts: this.graph.order, payments: this.graph.size };
  }

  observe(payment: Payment): AlertDraft[] {
    this.forget(payment.timeMs - this.windowMs);
    if (payment.from === payment.to) return [];
    this.graph.mergeNode(payment.from);
    this.graph.mergeNode(payment.to);
    this.order.push(this.graph.addEdge(payment.from, payment.to, { payment }));
    const alerts: AlertDraft[] = [];
    const cycle = this.cycleClosedBy(payment);
    if (cycle !== undefined) alerts.push(cycle);
    alerts.push(...this.fans(payment));
    const chain = this.layeringEndingWith(payment);
    if (chain !== undefined) alerts.push(chain);
    const mule = this.muleLike(payment.from, payment);
    if (mule !== undefined) alerts.push(mule);
    return alerts;
  }

  /** Drops the payments before `cutoffMs`, and the accounts left with none. */
  private forget(cutoffMs: number): void {
    while (this.head < this.order.length) {
      const key = this.order[this.head]!;
      const { payment } = this.graph.getEdgeAttributes(key);
      if (payment.timeMs >= cutoffMs) break;
      this.graph.dropEdge(key);
      for (const node of [payment.from, payment.to]) if (this.graph.degree(node) === 0) this.graph.dropNode(node);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Payments into `account` no later than `beforeMs` (and, if given, no earlier than `sinceMs`). */
  private paymentsInto(account: string, beforeMs: number, sinceMs = -Infinity): Payment[] {
    const found: Payment[] = [];
    this.graph.forEachInEdge(account, (_key, { payment }) => {
      if (payment.timeMs <= beforeMs && payment.timeMs >= sinceMs) found.push(payment);
    });
    return found;
  }

  /**
   * The cycle the payment closes, if any: a path of earlier payments from its payee back to
   * its payer, each after the one before, searched backwards from the payer.
   */
  private cycleClosedBy(closing: Payment): AlertDraft | undefined {
    const maxBack = this.settings.cycleMaxLength - 1;
    const search = (account: string, beforeMs: number, path: Payment[]): Payment[] | undefined => {
      for (const payment of this.paymentsInto(account, beforeMs)) {
        if (payment.position === closing.position) continue;
        if (payment.from === closing.to) return [payment, ...path];
        if (path.length + 1 >= maxBack || path.some((p) => p.from === payment.from) || payment.from === closing.from) continue;
        const found = search(payment.from, payment.timeMs, [payment, ...path]);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    const earlier = search(closing.from, closing.timeMs, []);
    if (earlier === undefined) return undefined;
    const payments = [...earlier, closing];
    const path = [closing.to, ...earlier.map((p) => p.to)];
    const ring = [...path].sort().join('>');
    return {
      rule: 'cycle', subject: closing.from, key: `cycle:${ring}:${Math.floor(closing.timeMs / this.windowMs)}`, payments, path: [...path, closing.to],
      detail: `money went round ${path.length} accounts (${[...path, closing.to].join(' → ')}) within ${Math.ceil((closing.timeMs - payments[0]!.timeMs) / 60_000)} minutes`,
    };
  }

  private fans(payment: Payment): AlertDraft[] {
    const alerts: AlertDraft[] = [];
    const bucket = Math.floor(payment.timeMs / this.windowMs);
    const senders = this.graph.inNeighbors(payment.to);
    if (senders.length === this.settings.fan) {
      alerts.push({ rule: 'fan_in', subject: payment.to, key: `fan_in:${payment.to}:${bucket}`, payments: this.paymentsInto(payment.to, payment.timeMs), detail: `${senders.length} distinct senders into ${payment.to} within ${this.settings.graphWindowHours} h` });
    }
    const receivers = this.graph.outNeighbors(payment.from);
    if (receivers.length === this.settings.fan) {
      const out: Payment[] = [];
      this.graph.forEachOutEdge(payment.from, (_key, { payment: p }) => out.push(p));
      alerts.push({ rule: 'fan_out', subject: payment.from, key: `fan_out:${payment.from}:${bucket}`, payments: out, detail: `${receivers.length} distinct receivers from ${payment.from} within ${this.settings.graphWindowHours} h` });
    }
    return alerts;
  }

  /** A chain of hops ending with this payment, each soon after the last and passing on most of it. */
  private layeringEndingWith(last: Payment): AlertDraft | undefined {
    const { hops, hopHours, keep } = this.settings.layering;
    const chain: Payment[] = [last];
    for (let current = last; chain.length < hops;) {
      const keepShare = BigInt(Math.round(keep * 10_000));
      const before = this.paymentsInto(current.from, current.timeMs, current.timeMs - hopHours * HOUR_MS)
        .filter((p) => p.position !== current.position && p.currency === current.currency && p.amount >= current.amount && current.amount * 10_000n >= p.amount * keepShare && !chain.some((c) => c.from === p.from));
      const previous = before.sort((a, b) => b.timeMs - a.timeMs)[0];
      if (previous === undefined) return undefined;
      chain.unshift(previous);
      current = previous;
    }
    const path = [chain[0]!.from, ...chain.map((p) => p.to)];
    return {
      rule: 'layering', subject: chain[0]!.from, key: `layering:${path.join('>')}`, payments: chain, path,
      detail: `${formatAmount(chain[0]!.amount, last.decimals)} ${last.currency} passed through ${hops} hops (${path.join(' → ')}), ${formatAmount(last.amount, last.decimals)} at the end, each within ${hopHours} h`,
    };
  }

  /** An account that took money from several senders and sent nearly all of it on. */
  private muleLike(account: string, trigger: Payment): AlertDraft | undefined {
    const { senders, forwarded } = this.settings.mule;
    const into = this.paymentsInto(account, trigger.timeMs).filter((p) => p.currency === trigger.currency);
    if (new Set(into.map((p) => p.from)).size < senders) return undefined;
    const out: Payment[] = [];
    this.graph.forEachOutEdge(account, (_key, { payment }) => {
      if (payment.currency === trigger.currency) out.push(payment);
    });
    const received = into.reduce((sum, p) => sum + p.amount, 0n);
    const sent = out.reduce((sum, p) => sum + p.amount, 0n);
    if (received === 0n || sent * 10_000n < received * BigInt(Math.round(forwarded * 10_000))) return undefined;
    return {
      rule: 'mule', subject: account, key: `mule:${account}:${Math.floor(trigger.timeMs / this.windowMs)}`, payments: [...into, ...out],
      detail: `${account} took ${formatAmount(received, trigger.decimals)} ${trigger.currency} from ${new Set(into.map((p) => p.from)).size} senders and sent ${formatAmount(sent, trigger.decimals)} on`,
    };
  }
}
