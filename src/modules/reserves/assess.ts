import { fromAssetMinor, bp } from './money.js';
import { totalsOf, valueRegister, type Totals, type Valued } from './portfolio.js';
import type { Profile } from './profiles.js';
import type { Register } from './register.js';
import { checkRules, stressedDay, worst, type RuleResult, type RuleStatus } from './rules.js';

/** The coin the reserves back: its id, currency and scale, and its supply read live from the ledger. */
export interface Coin {
  readonly asset: string;
  readonly currency: string;
  readonly decimals: number;
  readonly supplyMinor: bigint;
}

export interface Assessment {
  readonly profile: Profile;
  readonly registerVersion: number;
  readonly asOf: string;
  readonly supply: bigint;
  readonly valued: readonly Valued[];
  readonly totals: Totals;
  readonly rules: readonly RuleResult[];
  readonly status: RuleStatus;
  readonly coverageBp: bigint | null;
  readonly liquidityBp: bigint | null;
}

/** Values the register under the profile as of its day and checks every rule against the live supply. */
export function assess(register: Register, coin: Coin, profile: Profile): Assessment {
  const valued = valueRegister(register.holdings, profile, { currency: coin.currency, asOfMs: Date.parse(`${register.asOf}T00:00:00Z`), rates: register.rates });
  const totals = totalsOf(valued, coin.currency);
  const supply = fromAssetMinor(coin.supplyMinor, coin.decimals);
  const rules = checkRules(totals, supply, profile);
  return {
    profile, registerVersion: register.version, asOf: register.asOf, supply, valued, totals, rules, status: worst(rules),
    coverageBp: bp(totals.eligible, supply), liquidityBp: bp(totals.byTier.top, stressedDay(supply, profile)),
  };
}

/** Only coverage and liquidity move minting: `stop` below the stop level, `warning` below the warning level. */
export type Level = 'clear' | 'warning' | 'stop';

/** The same ratios against another supply, cheaply: what the watch recomputes on every supply change. */
export function levelAt(totals: Totals, supply: bigint, profile: Profile): { level: Level; coverageBp: bigint | null; liquidityBp: bigint | null } {
  const coverageBp = bp(totals.eligible, supply);
  const liquidityBp = bp(totals.byTier.top, stressedDay(supply, profile));
  const below = (ratio: bigint | null, level: number) => ratio !== null && ratio < BigInt(level);
  const level: Level = below(coverageBp, profile.stopBp) || below(liquidityBp, profile.stopBp) ? 'stop' : below(coverageBp, profile.warningBp) || below(liquidityBp, profile.warningBp) ? 'warning' : 'clear';
  return { level, coverageBp, liquidityBp };
}
