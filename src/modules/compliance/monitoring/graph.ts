import { DirectedGraph } from 'graphology';
import { formatAmount } from '../../../core/index.js';
import type { AlertDraft, Payment } from './payment.js';
import { atLeastShare, basisPoints, HOUR_MS, type MonitoringSettings } from './settings.js';

/**
 * Typologies over the payment graph (graphology): accounts are nodes, each payment within
 * the window an edge. The graph is updated per payment (an edge in, the edges that left
 * the window out), never rebuilt. Each account keeps, as node attributes, its recent
 * payments in and out in time order and running sums per currency, so each search starts
 * at the new payment and reads a bounded neighbourhood, never the graph:
 * * a cycle: money back where it started through two to four other accounts, each hop
 *   after the last (searched from both ends, two hops each way, and joined in the middle);
 * * fan-in and fan-out: many distinct senders into, or receivers from, one account;
 * * a layering chain: money passed on quickly through several accounts, little kept at each;
 * * a mule-like account: money in from several senders, nearly all of it sent on.
 * A hub account's neighbourhood is read from its most recent payments (SCAN_NEAR next to
 * the new payment, SCAN_FAR one hop further): what a cycle through a hub can be found in.
 */
const SCAN_NEAR = 48;
const SCAN_FAR = 8;

interface Account {
  /** Payments in and out within the window, oldest first (from `inHead` / `outHead`). */
  into: Payment[];
  out: Payment[];
  inHead: number;
  outHead: number;
  senders: Map<string, number>;
  receivers: Map<string, number>;
  received: Map<string, bigint>;
  sent: Map<string, bigint>;
}

/** One edge per payer and payee: how many of the payer's payments to the payee are within the window. */
type Graph = DirectedGraph<Account, { payments: number }>;

/** A partial path from one end of the new payment, and when money was at its last account. */
interface Reach {
  readonly payments: readonly Payment[];
  readonly atMs: number;
}

const add = (map: Map<string, number>, key: string, by: number) => {
  const value = (map.get(key) ?? 0) + by;
  if (value === 0) map.delete(key);
  else map.set(key, value);
};
const addAmount = (map: Map<string, bigint>, key: string, by: bigint) => map.set(key, (map.get(key) ?? 0n) + by);

/** One more payment between a payer and a payee within the window. */
const onePaymentMore = (edge: { payments?: number }) => ({ payments: (edge.payments ?? 0) + 1 });

/** Whether any of the maps has the key. */
function anyHas(maps: readonly ReadonlyMap<string, unknown>[], key: string): boolean {
  for (const map of maps) if (map.has(key)) return true;
  return false;
}

export class PaymentGraph {
  private readonly graph: Graph = new DirectedGraph();
  /** Payments in the order they came, for dropping what leaves the window. */
  private order: Payment[] = [];
  private head = 0;
  private readonly windowMs: number;
  /** The cycle search's two frontiers, reused from payment to payment. */
  private readonly forward = new Map<string, Reach>();
  private readonly backward = new Map<string, Reach>();
  /** The senders of the accounts a forward reach can close a cycle at, reused likewise. */
  private readonly paidBy: ReadonlyMap<string, number>[] = [];

  private readonly keepBasisPoints: bigint;
  private readonly forwardedBasisPoints: bigint;

  constructor(private readonly settings: MonitoringSettings) {
    this.windowMs = settings.graphWindowHours * HOUR_MS;
    this.keepBasisPoints = basisPoints(settings.layering.keep);
    this.forwardedBasisPoints = basisPoints(settings.mule.forwarded);
  }

  get size(): { accounts: number; pairs: number; payments: number } {
    return { accounts: this.graph.order, pairs: this.graph.size, payments: this.order.length - this.head };
  }

  private account(id: string): Account {
    if (!this.graph.hasNode(id)) this.graph.addNode(id, { into: [], out: [], inHead: 0, outHead: 0, senders: new Map(), receivers: new Map(), received: new Map(), sent: new Map() });
    return this.graph.getNodeAttributes(id);
  }

  /** The payment into the graph, and what it shows; `raised` says which keys need no new alert (nothing is built for them). */
  observe(payment: Payment, raised: (key: string) => boolean = () => false): AlertDraft[] {
    this.forget(payment.timeMs - this.windowMs);
    if (payment.from === payment.to) return [];
    const from = this.account(payment.from);
    const to = this.account(payment.to);
    this.graph.updateEdge(payment.from, payment.to, onePaymentMore);
    this.order.push(payment);
    from.out.push(payment);
    to.into.push(payment);
    add(from.receivers, payment.to, 1);
    add(to.senders, payment.from, 1);
    addAmount(from.sent, payment.currency, payment.amount);
    addAmount(to.received, payment.currency, payment.amount);

    const alerts: AlertDraft[] = [];
    const cycle = this.cycleClosedBy(payment, raised);
    if (cycle !== undefined) alerts.push(cycle);
    alerts.push(...this.fans(payment, from, to, raised));
    const chain = this.layeringEndingWith(payment, raised);
    if (chain !== undefined) alerts.push(chain);
    const mule = this.muleLike(payment, from, raised);
    if (mule !== undefined) alerts.push(mule);
    return alerts;
  }

  /** Drops the payments before `cutoffMs` (the oldest of every account's lists), and the accounts left with none. */
  private forget(cutoffMs: number): void {
    while (this.head < this.order.length) {
      const payment = this.order[this.head]!;
      if (payment.timeMs >= cutoffMs) break;
      const from = this.graph.getNodeAttributes(payment.from);
      const to = this.graph.getNodeAttributes(payment.to);
      from.outHead++;
      to.inHead++;
      add(from.receivers, payment.to, -1);
      add(to.senders, payment.from, -1);
      addAmount(from.sent, payment.currency, -payment.amount);
      addAmount(to.received, payment.currency, -payment.amount);
      const left = this.graph.getEdgeAttribute(payment.from, payment.to, 'payments') - 1;
      if (left === 0) this.graph.dropEdge(payment.from, payment.to);
      else this.graph.setEdgeAttribute(payment.from, payment.to, 'payments', left);
      for (const [id, account] of [[payment.from, from], [payment.to, to]] as const) {
        if (this.graph.hasNode(id) && this.graph.degree(id) === 0) this.graph.dropNode(id);
        else compact(account);
      }
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * The cycle the payment closes: money that left its payee earlier and came to its payer,
   * hop after hop in time. Backward from the payer and forward from the payee, up to two
   * hops each; a cycle is where the two meet with the money arriving before it leaves.
   * Backward goes first because few payments into the payer pass the closing one on; the
   * forward search then keeps only the reaches that can close a cycle (at the payer, or
   * where a backward reach is), so a hub's many unrelated payments cost a comparison each.
   */
  private cycleClosedBy(closing: Payment, raised: (key: string) => boolean): AlertDraft | undefined {
    const backward = this.reachBackFrom(closing);
    const forward = this.reachForwardFrom(closing, backward);
    if (forward.size === 0 && backward.size === 0) return undefined;
    // Forward alone reaching the payer, or backward alone reaching the payee, is a cycle of three.
    const direct = forward.get(closing.from) ?? backward.get(closing.to);
    if (direct !== undefined) {
      const found = this.cycleOf(closing, direct.payments, raised);
      if (found !== undefined) return found;
    }
    for (const [account, there] of forward) {
      const onward = backward.get(account);
      if (onward === undefined || there.atMs > onward.atMs) continue;
      const found = this.cycleOf(closing, [...there.payments, ...onward.payments], raised);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The cycle the closing payment makes with the earlier ones, if they pass on money through distinct accounts and it was not raised. */
  private cycleOf(closing: Payment, earlier: readonly Payment[], raised: (key: string) => boolean): AlertDraft | undefined {
    const accounts = [closing.to, ...earlier.map((p) => p.to)];
    if (accounts.length < 3 || new Set(accounts).size !== accounts.length) return undefined;
    if (earlier.some((p, i) => i > 0 && !this.passesOn(earlier[i - 1]!, p))) return undefined;
    const key = `cycle:${[...accounts].sort().join('>')}:${Math.floor(closing.timeMs / this.windowMs)}`;
    return raised(key) ? undefined : this.cycleAlert(key, [...earlier, closing], [...accounts, closing.to]);
  }

  /** The accounts whose money reached the payer (in one or two hops, each passing on the last) in time to pay the closing payment; the latest reach of each. */
  private reachBackFrom(closing: Payment): Map<string, Reach> {
    const backward = this.backward;
    backward.clear();
    const payer = this.graph.getNodeAttributes(closing.from);
    for (let i = payer.into.length - 1, read = 0; i >= payer.inHead && read < SCAN_NEAR; i--, read++) {
      const last = payer.into[i]!;
      if (last.timeMs > closing.timeMs || last.position === closing.position || !this.passesOn(last, closing)) continue;
      keepLatest(backward, last.from, { payments: [last], atMs: last.timeMs });
      const before = this.graph.getNodeAttributes(last.from);
      for (let j = before.into.length - 1, far = 0; j >= before.inHead && far < SCAN_FAR; j--, far++) {
        const previous = before.into[j]!;
        if (previous.timeMs <= last.timeMs && previous.from !== closing.from && this.passesOn(previous, last)) keepLatest(backward, previous.from, { payments: [previous, last], atMs: previous.timeMs });
      }
    }
    return backward;
  }

  /**
   * The accounts the payee's money reached (in one or two hops, each passing on the last)
   * before the closing payment, the earliest reach of each: only those that can close a
   * cycle, the payer itself or an account a backward reach starts from. A second hop is
   * looked for only from an account that has paid one of those within the window.
   */
  private reachForwardFrom(closing: Payment, backward: ReadonlyMap<string, Reach>): Map<string, Reach> {
    const forward = this.forward;
    forward.clear();
    const paidBy = this.paidBy;
    paidBy.length = 0;
    paidBy.push(this.graph.getNodeAttributes(closing.from).senders);
    for (const account of backward.keys()) paidBy.push(this.graph.getNodeAttributes(account).senders);
    const payee = this.graph.getNodeAttributes(closing.to);
    for (let i = payee.out.length - 1, read = 0; i >= payee.outHead && read < SCAN_NEAR; i--, read++) {
      const first = payee.out[i]!;
      if (first.timeMs > closing.timeMs || first.position === closing.position || first.currency !== closing.currency || first.amount < closing.amount) continue;
      if (first.to === closing.from || backward.has(first.to)) keepEarliest(forward, first.to, { payments: [first], atMs: first.timeMs });
      if (!anyHas(paidBy, first.to)) continue;
      const next = this.graph.getNodeAttributes(first.to);
      for (let j = next.out.length - 1, far = 0; j >= next.outHead && far < SCAN_FAR; j--, far++) {
        const second = next.out[j]!;
        if (second.timeMs <= closing.timeMs && second.timeMs >= first.timeMs && second.to !== closing.to && (second.to === closing.from || backward.has(second.to)) && this.passesOn(first, second)) keepEarliest(forward, second.to, { payments: [first, second], atMs: second.timeMs });
      }
    }
    return forward;
  }

  /** Money going on keeps most of itself: each hop at most the one before and at least `keep` of it. */
  private passesOn(before: Payment, after: Payment): boolean {
    return after.currency === before.currency && after.amount <= before.amount && after.amount * 10_000n >= before.amount * this.keepBasisPoints;
  }

  private cycleAlert(key: string, payments: Payment[], path: string[]): AlertDraft {
    const closing = payments[payments.length - 1]!;
    return {
      rule: 'cycle', subject: closing.from, key, payments, path,
      detail: `money went round ${path.length - 1} accounts (${path.join(' → ')}) within ${Math.ceil((closing.timeMs - payments[0]!.timeMs) / 60_000)} minutes`,
    };
  }

  private fans(payment: Payment, from: Account, to: Account, raised: (key: string) => boolean): AlertDraft[] {
    const alerts: AlertDraft[] = [];
    const bucket = Math.floor(payment.timeMs / this.windowMs);
    if (to.senders.size === this.settings.fan && to.senders.get(payment.from) === 1 && !raised(`fan_in:${payment.to}:${bucket}`)) {
      alerts.push({ rule: 'fan_in', subject: payment.to, key: `fan_in:${payment.to}:${bucket}`, payments: to.into.slice(to.inHead), detail: `${to.senders.size} distinct senders into ${payment.to} within ${this.settings.graphWindowHours} h` });
    }
    if (from.receivers.size === this.settings.fan && from.receivers.get(payment.to) === 1 && !raised(`fan_out:${payment.from}:${bucket}`)) {
      alerts.push({ rule: 'fan_out', subject: payment.from, key: `fan_out:${payment.from}:${bucket}`, payments: from.out.slice(from.outHead), detail: `${from.receivers.size} distinct receivers from ${payment.from} within ${this.settings.graphWindowHours} h` });
    }
    return alerts;
  }

  /** A chain of hops ending with this payment, each soon after the last and passing on most of it. */
  private layeringEndingWith(last: Payment, raised: (key: string) => boolean): AlertDraft | undefined {
    const { hops, hopHours } = this.settings.layering;
    const chain: Payment[] = [last];
    for (let current = last; chain.length < hops;) {
      const previous = this.previousHop(current, chain, hopHours * HOUR_MS);
      if (previous === undefined) return undefined;
      chain.unshift(previous);
      current = previous;
    }
    const path = [chain[0]!.from, ...chain.map((p) => p.to)];
    const key = `layering:${path.join('>')}:${Math.floor(last.timeMs / this.windowMs)}`;
    if (raised(key)) return undefined;
    return {
      rule: 'layering', subject: chain[0]!.from, key, payments: chain, path,
      detail: `${formatAmount(chain[0]!.amount, last.decimals)} ${last.currency} passed through ${hops} hops (${path.join(' → ')}), ${formatAmount(last.amount, last.decimals)} at the end, each within ${hopHours} h`,
    };
  }

  /** The latest of the payer's recent payments in (SCAN_NEAR) that `current` passes on within `hopMs`, from an account not yet in the chain. */
  private previousHop(current: Payment, chain: readonly Payment[], hopMs: number): Payment | undefined {
    const account = this.graph.getNodeAttributes(current.from);
    for (let i = account.into.length - 1, read = 0; i >= account.inHead && read < SCAN_NEAR; i--, read++) {
      const p = account.into[i]!;
      if (p.timeMs > current.timeMs || p.position === current.position || p.timeMs < current.timeMs - hopMs || !this.passesOn(p, current)) continue;
      if (!chain.some((c) => c.from === p.from || c.to === p.from)) return p;
    }
    return undefined;
  }

  /** An account that took money from several senders and has sent nearly all of it on. */
  private muleLike(trigger: Payment, account: Account, raised: (key: string) => boolean): AlertDraft | undefined {
    const { senders } = this.settings.mule;
    const key = `mule:${trigger.from}:${Math.floor(trigger.timeMs / this.windowMs)}`;
    if (account.senders.size < senders || raised(key)) return undefined;
    const received = account.received.get(trigger.currency) ?? 0n;
    const sent = account.sent.get(trigger.currency) ?? 0n;
    if (received === 0n || !atLeastShare(sent, received, this.forwardedBasisPoints)) return undefined;
    return {
      rule: 'mule', subject: trigger.from, key, payments: [...account.into.slice(account.inHead), ...account.out.slice(account.outHead)].filter((p) => p.currency === trigger.currency),
      detail: `${trigger.from} took ${formatAmount(received, trigger.decimals)} ${trigger.currency} from ${account.senders.size} senders and sent ${formatAmount(sent, trigger.decimals)} on`,
    };
  }
}

function keepEarliest(map: Map<string, Reach>, account: string, reach: Reach): void {
  const known = map.get(account);
  if (known === undefined || reach.atMs < known.atMs) map.set(account, reach);
}

function keepLatest(map: Map<string, Reach>, account: string, reach: Reach): void {
  const known = map.get(account);
  if (known === undefined || reach.atMs > known.atMs) map.set(account, reach);
}

/** Lets the lists' dropped fronts go once they are most of them. */
function compact(account: Account): void {
  if (account.inHead > 32 && account.inHead * 2 > account.into.length) {
    account.into = account.into.slice(account.inHead);
    account.inHead = 0;
  }
  if (account.outHead > 32 && account.outHead * 2 > account.out.length) {
    account.out = account.out.slice(account.outHead);
    account.outHead = 0;
  }
}
