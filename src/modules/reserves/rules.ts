import { percent } from './money.js';
import type { Totals } from './portfolio.js';
import type { Profile } from './profiles.js';

export type RuleStatus = 'pass' | 'warning' | 'breach';

export interface RuleResult {
  readonly rule: string;
  readonly description: string;
  /** Basis points; null for a ratio over nothing (no supply yet). */
  readonly valueBp: bigint | null;
  readonly value: string;
  readonly limit: string;
  readonly status: RuleStatus;
}

/** A ratio as two exact figures: rules compare them exactly, and only the shown value is rounded (to the basis point). */
interface Ratio { readonly part: bigint; readonly whole: bigint }

/** Whether part / whole ≥ limit (basis points); over nothing, a ratio is unbounded. */
const reaches = (r: Ratio, limitBp: number) => r.whole === 0n || r.part * 10_000n >= BigInt(limitBp) * r.whole;

/** A share of reserves shown rounded up, a cover shown rounded down: never flattering. */
function shown(r: Ratio, up: boolean): bigint | null {
  if (r.whole === 0n) return null;
  const exact = r.part * 10_000n;
  return exact / r.whole + (up && exact % r.whole !== 0n ? 1n : 0n);
}

/** At least `min` passes, below `floor` breaches, between warns (no floor: below `min` breaches). */
function atLeast(rule: string, description: string, ratio: Ratio, min: number, floor?: number): RuleResult {
  const status: RuleStatus = reaches(ratio, min) ? 'pass' : floor !== undefined && reaches(ratio, floor) ? 'warning' : 'breach';
  const limit = floor === undefined ? `≥ ${percent(BigInt(min))}` : `≥ ${percent(BigInt(min))} (breach below ${percent(BigInt(floor))})`;
  const valueBp = shown(ratio, false);
  return { rule, description, valueBp, value: percent(valueBp), limit, status };
}

function atMost(rule: string, description: string, ratio: Ratio, max: number): RuleResult {
  const within = ratio.whole === 0n ? ratio.part === 0n : ratio.part * 10_000n <= BigInt(max) * ratio.whole;
  const valueBp = ratio.whole === 0n ? 0n : shown(ratio, true);
  return { rule, description, valueBp, value: percent(valueBp), limit: `≤ ${percent(BigInt(max))}`, status: within ? 'pass' : 'breach' };
}

/** The stressed day's redemptions the liquidity ratio is set against. */
export function stressedDay(supply: bigint, profile: Profile): bigint {
  return (supply * BigInt(profile.runShareBp)) / 10_000n;
}

/** Every rule of the profile on a register's totals against the supply (both at the value scale), in a fixed order. */
export function checkRules(totals: Totals, supply: bigint, profile: Profile): RuleResult[] {
  const share = (part: bigint): Ratio => ({ part, whole: totals.eligible });
  const results: RuleResult[] = [
    atLeast('coverage', 'eligible reserves at market value over the supply', { part: totals.eligible, whole: supply }, profile.warningBp, profile.stopBp),
    atLeast('liquidity', `top-tier assets over a stressed day's redemptions (${percent(BigInt(profile.runShareBp))} of supply)`, { part: totals.byTier.top, whole: stressedDay(supply, profile) }, profile.minLiquidityBp, profile.warningBp),
    atMost('ineligible', 'holdings that count for nothing under the profile, as a share of all reserves held', { part: totals.ineligible, whole: totals.eligible + totals.ineligible }, 0),
  ];
  for (const [tier, min] of Object.entries(profile.minTierBp)) results.push(atLeast(`tier_${tier}`, `the ${tier} tier's share of reserves`, share(totals.byTier[tier as keyof Totals['byTier']]), min));
  if (profile.minDepositBp !== undefined) results.push(atLeast('deposits', 'cash and bank deposits as a share of reserves', share((totals.byClass.get('cash') ?? 0n) + (totals.byClass.get('deposit') ?? 0n)), profile.minDepositBp));
  if (profile.maxIssuerBp !== undefined) {
    const classes = new Set(profile.maxIssuerBp.classes);
    const largest = [...totals.byIssuer.values()].filter((entry) => classes.has(entry.class)).reduce((max, entry) => (entry.value > max ? entry.value : max), 0n);
    results.push(atMost('issuer_concentration', `the largest single issuer of ${profile.maxIssuerBp.classes.join(', ')}, as a share of reserves`, share(largest), profile.maxIssuerBp.bp));
  }
  results.push(atMost('foreign_currency', "reserves in another currency than the coin's", share(totals.foreign), profile.maxForeignCurrencyBp));
  if (profile.riskReserveBp !== undefined) results.push(atLeast('risk_reserve', 'the risk reserve over the supply', { part: totals.riskReserve, whole: supply }, profile.riskReserveBp));
  if (profile.maxHotBp !== undefined) results.push(atMost('hot_custody', 'holdings in hot custody, as a share of reserves', share(totals.hot), profile.maxHotBp));
  return results;
}

/** The worst status among the results. */
export function worst(results: readonly RuleResult[]): RuleStatus {
  return results.some((r) => r.status === 'breach') ? 'breach' : results.some((r) => r.status === 'warning') ? 'warning' : 'pass';
}
