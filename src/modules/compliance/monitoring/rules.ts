import { formatAmount } from '../../../core/index.js';
import type { AlertDraft, Payment } from './payment.js';
import { basisPoints, HOUR_MS, largeIn, shareOf, unitIn, type MonitoringSettings } from './settings.js';

/**
 * The rules about one account's own payments: large transactions, structuring, velocity,
 * round amounts, a dormant account waking, a first payment to a newly opened account.
 * Each account keeps its recent outgoing payments (the longest rule window) and when it
 * was last active; nothing is recomputed from scratch.
 */
const DAY_MS = 24 * HOUR_MS;

/** An amount of the payment's currency, in words for an alert's detail. */
const amountIn = (payment: Payment, minor: bigint) => `${formatAmount(minor, payment.decimals)} ${payment.currency}`;

/** The window of `hours` a time falls in: alerts with one key per account and window. */
const bucketOf = (timeMs: number, hours: number) => Math.floor(timeMs / (hours * HOUR_MS));

/** Payments within a window, oldest first, pruned from the front as time moves on. */
class Window {
  private items: Payment[] = [];
  private head = 0;
  total = 0n;

  constructor(private readonly spanMs: number) {}

  add(payment: Payment): void {
    this.items.push(payment);
    this.total += payment.amount;
  }

  /** Drops what is older than the window before `nowMs`, and returns (a copy of) what is left. */
  at(nowMs: number): readonly Payment[] {
    this.prune(nowMs);
    return this.items.slice(this.head);
  }

  prune(nowMs: number): void {
    while (this.head < this.items.length && this.items[this.head]!.timeMs <= nowMs - this.spanMs) this.total -= this.items[this.head++]!.amount;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }
}

/** One account's recent sending, per currency: only what a rule needs, kept as it comes. */
interface AccountHistory {
  lastActiveMs: number;
  payees: Set<string>;
  justUnder: Map<string, Window>;
  fast: Map<string, Window>;
  round: Map<string, Window>;
}

function windowOf(windows: Map<string, Window>, currency: string, spanMs: number): Window {
  let window = windows.get(currency);
  if (window === undefined) windows.set(currency, window = new Window(spanMs));
  return window;
}

/** The rules' amounts in minor units of one asset (its currency's thresholds at its decimals). */
interface Thresholds {
  readonly large: bigint;
  readonly structuringFloor: bigint;
  readonly velocityTotal: bigint;
  readonly roundUnit: bigint;
  readonly dormantFloor: bigint;
  readonly newCounterpartyFloor: bigint;
}

export class AccountRules {
  private readonly accounts = new Map<string, AccountHistory>();
  /** Per asset, worked out at its first payment rather than parsed again for each. */
  private readonly thresholds = new Map<string, Thresholds>();
  /** When each account was opened, where the feed said so. */
  private readonly openedAtMs = new Map<string, number>();

  /** The configured shares of the large threshold, in basis points. */
  private readonly floorsBp: { readonly structuring: bigint; readonly dormant: bigint; readonly newCounterparty: bigint };

  constructor(private readonly settings: MonitoringSettings) {
    this.floorsBp = { structuring: basisPoints(settings.structuring.floor), dormant: basisPoints(settings.dormant.largeShare), newCounterparty: basisPoints(settings.newCounterparty.largeShare) };
  }

  opened(account: string, timeMs: number): void {
    this.openedAtMs.set(account, timeMs);
  }

  private historyOf(account: string, nowMs: number): AccountHistory {
    let history = this.accounts.get(account);
    if (history === undefined) this.accounts.set(account, history = { lastActiveMs: this.openedAtMs.get(account) ?? nowMs, payees: new Set(), justUnder: new Map(), fast: new Map(), round: new Map() });
    return history;
  }

  private thresholdsOf(payment: Payment): Thresholds {
    let thresholds = this.thresholds.get(payment.asset);
    if (thresholds === undefined) {
      const { velocity, roundAmounts } = this.settings;
      const large = largeIn(this.settings, payment.currency, payment.decimals);
      thresholds = {
        large, structuringFloor: shareOf(large, this.floorsBp.structuring), velocityTotal: large * BigInt(velocity.largeMultiple), roundUnit: unitIn(roundAmounts.unit, payment.decimals),
        dormantFloor: shareOf(large, this.floorsBp.dormant), newCounterpartyFloor: shareOf(large, this.floorsBp.newCounterparty),
      };
      this.thresholds.set(payment.asset, thresholds);
    }
    return thresholds;
  }

  /** The payment's rules; `raised` says which keys need no new alert (nothing is built for them). */
  observe(payment: Payment, raised: (key: string) => boolean = () => false): AlertDraft[] {
    const thresholds = this.thresholdsOf(payment);
    const { large } = thresholds;
    const sender = this.historyOf(payment.from, payment.timeMs);
    const receiver = this.historyOf(payment.to, payment.timeMs);
    const alerts: AlertDraft[] = [];

    if (payment.amount >= large) {
      alerts.push({ rule: 'large_transaction', subject: payment.from, key: `large_transaction:${payment.position}`, detail: `${amountIn(payment, payment.amount)} paid to ${payment.to}, at or above ${amountIn(payment, large)}`, payments: [payment] });
    }
    const silentMs = payment.timeMs - sender.lastActiveMs;
    if (silentMs >= this.settings.dormant.days * DAY_MS && payment.amount >= thresholds.dormantFloor) {
      alerts.push({ rule: 'dormant_account', subject: payment.from, key: `dormant_account:${payment.position}`, detail: `${amountIn(payment, payment.amount)} sent after ${Math.floor(silentMs / DAY_MS)} days without activity`, payments: [payment] });
    }
    const openedAt = this.openedAtMs.get(payment.to);
    if (!sender.payees.has(payment.to) && openedAt !== undefined && payment.timeMs - openedAt < this.settings.newCounterparty.days * DAY_MS && payment.amount >= thresholds.newCounterpartyFloor) {
      alerts.push({ rule: 'new_counterparty', subject: payment.from, key: `new_counterparty:${payment.from}:${payment.to}`, detail: `${amountIn(payment, payment.amount)} to ${payment.to}, opened ${Math.floor((payment.timeMs - openedAt) / HOUR_MS)} hours before`, payments: [payment] });
    }
    sender.lastActiveMs = payment.timeMs;
    receiver.lastActiveMs = payment.timeMs;
    sender.payees.add(payment.to);

    alerts.push(...this.windowed(payment, sender, thresholds, raised));
    return alerts;
  }

  /** The rules over windows of the sender's recent payments (this one included). */
  private windowed(payment: Payment, sender: AccountHistory, thresholds: Thresholds, raised: (key: string) => boolean): AlertDraft[] {
    const { structuring, velocity, roundAmounts } = this.settings;
    const alerts: AlertDraft[] = [];

    const { large, structuringFloor: floor, velocityTotal, roundUnit: unit } = thresholds;
    if (payment.amount >= floor && payment.amount < large) {
      const window = windowOf(sender.justUnder, payment.currency, structuring.windowHours * HOUR_MS);
      window.add(payment);
      window.prune(payment.timeMs);
      if (window.size >= structuring.count && !raised(`structuring:${payment.from}:${bucketOf(payment.timeMs, structuring.windowHours)}`)) {
        const justUnder = window.at(payment.timeMs);
        alerts.push({
          rule: 'structuring', subject: payment.from, key: `structuring:${payment.from}:${bucketOf(payment.timeMs, structuring.windowHours)}`, payments: justUnder,
          detail: `${justUnder.length} payments between ${amountIn(payment, floor)} and ${amountIn(payment, large)} within ${structuring.windowHours} h, ${amountIn(payment, window.total)} in all`,
        });
      }
    }
    const fastWindow = windowOf(sender.fast, payment.currency, velocity.windowHours * HOUR_MS);
    fastWindow.add(payment);
    fastWindow.prune(payment.timeMs);
    const key = fastWindow.size > velocity.count || fastWindow.total > velocityTotal ? `velocity:${payment.from}:${bucketOf(payment.timeMs, velocity.windowHours)}` : undefined;
    if (key !== undefined && !raised(key)) {
      alerts.push({ rule: 'velocity', subject: payment.from, key, payments: fastWindow.at(payment.timeMs), detail: `${fastWindow.size} payments, ${amountIn(payment, fastWindow.total)}, within ${velocity.windowHours} h` });
    }
    if (payment.amount >= unit && payment.amount % unit === 0n) {
      const window = windowOf(sender.round, payment.currency, roundAmounts.windowHours * HOUR_MS);
      window.add(payment);
      window.prune(payment.timeMs);
      if (window.size >= roundAmounts.count && !raised(`round_amounts:${payment.from}:${bucketOf(payment.timeMs, roundAmounts.windowHours)}`)) {
        const round = window.at(payment.timeMs);
        alerts.push({ rule: 'round_amounts', subject: payment.from, key: `round_amounts:${payment.from}:${bucketOf(payment.timeMs, roundAmounts.windowHours)}`, payments: round, detail: `${round.length} payments in whole multiples of ${amountIn(payment, unit)} within ${roundAmounts.windowHours} h` });
      }
    }
    return alerts;
  }
}
