import { parseAmount } from '../../../core/index.js';

/**
 * The monitoring rules' parameters. Amounts are in major units of a currency, as decimal
 * strings, per currency (the reporting threshold of the jurisdiction that uses it: USD
 * 10,000 for a CTR, HKD 8,000 for Hong Kong's JFIU, EUR 10,000, SGD 20,000), with a
 * default for any other; times are in hours.
 */
export interface MonitoringSettings {
  /** A payment at or above this is large (a threshold report's line). */
  readonly large: Readonly<Record<string, string>> & { readonly default: string };
  /** Structuring: this many payments from one account within the window, each between `floor` × large and large. */
  readonly structuring: { readonly count: number; readonly floor: number; readonly windowHours: number };
  /** Velocity: more payments than `count`, or more than `largeMultiple` × large in total, out of one account within the window. */
  readonly velocity: { readonly count: number; readonly largeMultiple: number; readonly windowHours: number };
  /** Round amounts: this many payments of a whole multiple of `unit` from one account within the window. */
  readonly roundAmounts: { readonly count: number; readonly unit: string; readonly windowHours: number };
  /** Dormancy: an account silent this long that sends at least `largeShare` × large. */
  readonly dormant: { readonly days: number; readonly largeShare: number };
  /** A first payment to an account opened this recently, of at least `largeShare` × large. */
  readonly newCounterparty: { readonly days: number; readonly largeShare: number };
  /** The graph's memory: payments older than this leave it. */
  readonly graphWindowHours: number;
  /** Cycles of 3 to this many accounts, each hop after the one before. */
  readonly cycleMaxLength: number;
  /** Fan-in and fan-out: this many distinct counterparties within the graph's window. */
  readonly fan: number;
  /** Layering: a chain of this many hops, each within `hopHours` of the last and at least `keep` of its amount. */
  readonly layering: { readonly hops: number; readonly hopHours: number; readonly keep: number };
  /** Mule-like: money in from this many senders, at least `forwarded` of it sent on within the graph's window. */
  readonly mule: { readonly senders: number; readonly forwarded: number };
}

export const DEFAULT_MONITORING: MonitoringSettings = {
  large: { default: '10000', USD: '10000', EUR: '10000', HKD: '8000', SGD: '20000' },
  structuring: { count: 3, floor: 0.8, windowHours: 24 },
  velocity: { count: 50, largeMultiple: 10, windowHours: 1 },
  roundAmounts: { count: 3, unit: '1000', windowHours: 24 },
  dormant: { days: 90, largeShare: 0.5 },
  newCounterparty: { days: 7, largeShare: 0.5 },
  graphWindowHours: 72,
  cycleMaxLength: 5,
  fan: 10,
  layering: { hops: 4, hopHours: 1, keep: 0.8 },
  mule: { senders: 3, forwarded: 0.9 },
};

export const HOUR_MS = 3_600_000;

/**
 * A configured share (0.8) in basis points (8000n), read from its decimal digits, so no
 * float is multiplied; a share finer than a basis point is refused (at start, where the
 * monitor is built). Amounts are then only ever multiplied by integers.
 */
export function basisPoints(share: number): bigint {
  const parsed = parseAmount(String(share), 4);
  if (!parsed.ok) throw new Error(`monitoring: share ${share} is not a decimal of at most four places (0.8, 0.9125)`);
  return parsed.minor;
}

/** A share (in basis points) of an amount, in minor units. */
export function shareOf(amount: bigint, shareBp: bigint): bigint {
  return (amount * shareBp) / 10_000n;
}

/** Whether `part` is at least a share (in basis points) of `whole`, in integers. */
export function atLeastShare(part: bigint, whole: bigint, shareBp: bigint): boolean {
  return part * 10_000n >= whole * shareBp;
}

/** The large threshold of a currency, in its minor units. */
export function largeIn(settings: MonitoringSettings, currency: string, decimals: number): bigint {
  const text = settings.large[currency] ?? settings.large.default;
  const parsed = parseAmount(text, decimals);
  if (!parsed.ok) throw new Error(`monitoring: large threshold "${text}" for ${currency} is not an amount (${parsed.reason})`);
  return parsed.minor;
}

export function unitIn(text: string, decimals: number): bigint {
  const parsed = parseAmount(text, decimals);
  if (!parsed.ok || parsed.minor === 0n) throw new Error(`monitoring: round unit "${text}" is not a positive amount`);
  return parsed.minor;
}
