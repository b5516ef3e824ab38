import type { Holding, HoldingClass } from './holdings.js';
import { converted } from './money.js';
import { ratedAtLeast, type Profile, type Tier } from './profiles.js';

const DAY_MS = 86_400_000;

/** A holding valued in the coin's currency, with its standing under a profile. */
export interface Valued {
  readonly holding: Holding;
  /** Market value in the coin's currency (value scale). */
  readonly value: bigint;
  readonly tier: Tier | null;
  /** Why it is not eligible, when it is not. */
  readonly ineligible: string | null;
  readonly daysToMaturity: number | null;
}

/** The coin, the day and the FX rates a register is valued with. */
export interface Valuation {
  readonly currency: string;
  readonly asOfMs: number;
  readonly rates: ReadonlyMap<string, bigint>;
}

/** Why a holding counts for nothing under the profile, or null when it counts. */
function ineligibility(holding: Holding, profile: Profile, days: number | null, rated: boolean): string | null {
  const rule = profile.classes[holding.class];
  if (rule === undefined) return `${holding.class} is not an eligible reserve asset under ${profile.name}`;
  if (rule.maxMaturityDays !== undefined && days !== null && days > rule.maxMaturityDays) return `matures in ${days} days, over ${rule.maxMaturityDays}`;
  if (rule.minRating !== undefined && !rated) return `rated ${holding.rating ?? 'nothing'}, below ${rule.minRating}`;
  if (days !== null && days < 0) return `matured on ${holding.maturityDate}`;
  return null;
}

/** Values every holding in the coin's currency and places it in a tier (or out of reserves). */
export function valueRegister(holdings: readonly Holding[], profile: Profile, valuation: Valuation): Valued[] {
  return holdings.map((holding) => {
    const rate = holding.currency === valuation.currency ? 10n ** 8n : valuation.rates.get(holding.currency);
    const value = rate === undefined ? 0n : converted(holding.marketValue, rate);
    const days = holding.maturityDate === null ? null : Math.floor((Date.parse(`${holding.maturityDate}T00:00:00Z`) - valuation.asOfMs) / DAY_MS);
    const rule = profile.classes[holding.class];
    let why = rate === undefined ? `no ${holding.currency}/${valuation.currency} rate` : ineligibility(holding, profile, days, rule?.minRating === undefined || ratedAtLeast(holding.rating, rule.minRating));
    if (holding.purpose === 'risk_reserve') why = 'the risk reserve, kept apart from the pool';
    return { holding, value, tier: why === null ? rule!.tier : null, ineligible: why, daysToMaturity: days };
  });
}

/** Sums a register's eligible value, by tier, class, issuer, custodian and jurisdiction. */
export interface Totals {
  readonly eligible: bigint;
  readonly ineligible: bigint;
  readonly riskReserve: bigint;
  readonly byTier: Readonly<Record<Tier, bigint>>;
  readonly byClass: ReadonlyMap<HoldingClass, bigint>;
  readonly byIssuer: ReadonlyMap<string, { value: bigint; class: HoldingClass }>;
  readonly byJurisdiction: ReadonlyMap<string, bigint>;
  readonly foreign: bigint;
  readonly hot: bigint;
  readonly longestDays: number;
}

function add<K>(map: Map<K, bigint>, key: K, value: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + value);
}

export function totalsOf(valued: readonly Valued[], currency: string): Totals {
  const byTier: Record<Tier, bigint> = { top: 0n, middle: 0n, bottom: 0n };
  const byClass = new Map<HoldingClass, bigint>();
  const byIssuer = new Map<string, { value: bigint; class: HoldingClass }>();
  const byJurisdiction = new Map<string, bigint>();
  let eligible = 0n; let ineligible = 0n; let riskReserve = 0n; let foreign = 0n; let hot = 0n; let longestDays = 0;
  for (const v of valued) {
    if (v.holding.purpose === 'risk_reserve') {
      riskReserve += v.value;
      continue;
    }
    if (v.tier === null) {
      ineligible += v.value;
      continue;
    }
    eligible += v.value;
    byTier[v.tier] += v.value;
    add(byClass, v.holding.class, v.value);
    const key = `${v.holding.class}:${v.holding.issuer}`;
    byIssuer.set(key, { value: (byIssuer.get(key)?.value ?? 0n) + v.value, class: v.holding.class });
    add(byJurisdiction, v.holding.custodianJurisdiction, v.value);
    if (v.holding.currency !== currency) foreign += v.value;
    if (v.holding.custody === 'hot') hot += v.value;
    if (v.daysToMaturity !== null && v.daysToMaturity > longestDays) longestDays = v.daysToMaturity;
  }
  return { eligible, ineligible, riskReserve, byTier, byClass, byIssuer, byJurisdiction, foreign, hot, longestDays };
}
