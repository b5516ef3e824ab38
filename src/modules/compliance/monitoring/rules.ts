import { formatAmount } from '../../../core/index.js';
import type { AlertDraft, Payment } from './payment.js';
import { HOUR_MS, largeIn, shareOf, unitIn, type MonitoringSettings } from './settings.js';

/**
 * The rules about one account's own payments: large transactions, structuring, velocity,
 * round amounts, a dormant account waking, a first payment to a newly opened account.
 * Each account keeps its recent outgoing payments (the longest rule window) and when it
 * was last active; nothing is recomputed from scratch.
 */
const DAY_MS = 24 * HOUR_MS;

interface AccountHistory {
  /** Outgoing payments within the longest window, oldest first. */
  recent: Payment[];
  lastActiveMs: number;
  payees: Set<string>;
}

export class AccountRules {
  private readonly accounts = new Map<string, AccountHistory>();
  /** When each account was opened, where the feed said so. */
  private readonly openedAtMs = new Map<string, number>();
  private readonly keepMs: number;

  constructor(private readonly settings: MonitoringSettings) {
    this.keepMs = Math.max(settings.structuring.windowHours, settings.velocity.windowHours, settings.roundAmounts.windowHours) * HOUR_MS;
  }

  opened(account: string, timeMs: number): void {
    this.openedAtMs.set(account, timeMs);
  }

  private historyOf(account: string, nowMs: number): AccountHistory {
    let history = this.accounts.get(account);
    if (history === undefined) this.accounts.set(account, history = { recent: [], lastActiveMs: this.openedAtMs.get(account) ?? nowMs, payees: new Set() });
    return history;
  }

  observe(payment: Payment): AlertDraft[] {
    const large = largeIn(this.settings, payment.currency, payment.decimals);
    const sender = this.historyOf(payment.from, payment.timeMs);
    const receiver = this.historyOf(payment.to, payment.timeMs);
    const alerts: AlertDraft[] = [];
    const amount = (minor: bigint) => `${formatAmount(minor, payment.decimals)} ${payment.currency}`;

    if (payment.amount >= large) {
      alerts.push({ rule: 'large_transaction', subject: payment.from, key: `large_transaction:${payment.position}`, detail: `${amount(payment.amount)} paid to ${payment.to}, at or above ${amount(large)}`, payments: [payment] });
    }
    const silentMs = payment.timeMs - sender.lastActiveMs;
    if (silentMs >= this.settings.dormant.days * DAY_MS && payment.amount >= shareOf(large, this.settings.dormant.largeShare)) {
      alerts.push({ rule: 'dormant_account', subject: payment.from, key: `dormant_account:${payment.position}`, detail: `${amount(payment.amount)} sent after ${Math.floor(silentMs / DAY_MS)} days without activity`, payments: [payment] });
    }
    const openedAt = this.openedAtMs.get(payment.to);
    if (!sender.payees.has(payment.to) && openedAt !== undefined && payment.timeMs - openedAt < this.settings.newCounterparty.days * DAY_MS && payment.amount >= shareOf(large, this.settings.newCounterparty.largeShare)) {
      alerts.push({ rule: 'new_counterparty', subject: payment.from, key: `new_counterparty:${payment.from}:${payment.to}`, detail: `${amount(payment.amount)} to ${payment.to}, opened ${Math.floor((payment.timeMs - openedAt) / HOUR_MS)} hours before`, payments: [payment] });
    }

    sender.recent.push(payment);
    while (sender.recent.length > 0 && sender.recent[0]!.timeMs < payment.timeMs - this.keepMs) sender.recent.shift();
    sender.lastActiveMs = payment.timeMs;
    receiver.lastActiveMs = payment.timeMs;
    sender.payees.add(payment.to);

    alerts.push(...this.windowed(payment, sender.recent, large, amount));
    return alerts;
  }

  /** The rules over a window of the sender's recent payments (this one included). */
  private windowed(payment: Payment, recent: readonly Payment[], large: bigint, amount: (minor: bigint) => string): AlertDraft[] {
    const { structuring, velocity, roundAmounts } = this.settings;
    const within = (hours: number) => recent.filter((p) => p.timeMs > payment.timeMs - hours * HOUR_MS);
    const bucket = (hours: number) => Math.floor(payment.timeMs / (hours * HOUR_MS));
    const alerts: AlertDraft[] = [];

    const floor = shareOf(large, structuring.floor);
    const justUnder = within(structuring.windowHours).filter((p) => p.amount >= floor && p.amount < large && p.currency === payment.currency);
    if (payment.amount >= floor && payment.amount < large && justUnder.length >= structuring.count) {
      alerts.push({
        rule: 'structuring', subject: payment.from, key: `structuring:${payment.from}:${bucket(structuring.windowHours)}`, payments: justUnder,
        detail: `${justUnder.length} payments between ${amount(floor)} and ${amount(large)} within ${structuring.windowHours} h, ${amount(justUnder.reduce((sum, p) => sum + p.amount, 0n))} in all`,
      });
    }
    const fast = within(velocity.windowHours).filter((p) => p.currency === payment.currency);
    const total = fast.reduce((sum, p) => sum + p.amount, 0n);
    if (fast.length > velocity.count || total > large * BigInt(velocity.largeMultiple)) {
      alerts.push({ rule: 'velocity', subject: payment.from, key: `velocity:${payment.from}:${bucket(velocity.windowHours)}`, payments: fast, detail: `${fast.length} payments, ${amount(total)}, within ${velocity.windowHours} h` });
    }
    const unit = unitIn(roundAmounts.unit, payment.decimals);
    const round = within(roundAmounts.windowHours).filter((p) => p.currency === payment.currency && p.amount >= unit && p.amount % unit === 0n);
    if (payment.amount >= unit && payment.amount % unit === 0n && round.length >= roundAmounts.count) {
      alerts.push({ rule: 'round_amounts', subject: payment.from, key: `round_amounts:${payment.from}:${bucket(roundAmounts.windowHours)}`, payments: round, detail: `${round.length} payments in whole multiples of ${amount(unit)} within ${roundAmounts.windowHours} h` });
    }
    return alerts;
  }
}
