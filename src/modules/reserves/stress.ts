import type { HoldingClass } from './holdings.js';
import { bp } from './money.js';
import { totalsOf, type Valued } from './portfolio.js';
import type { Profile } from './profiles.js';
import { checkRules, type RuleResult } from './rules.js';

/** A stress scenario: haircuts by class, a run on the coin, custodians or jurisdictions out of reach. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Market value lost, in basis points, per class (`*` for every class not named). */
  readonly haircutsBp?: Readonly<Partial<Record<HoldingClass | '*', number>>>;
  /** The share of supply redeemed per day during the run. */
  readonly runShareBp?: number;
  /** Jurisdictions whose courts freeze the assets held there. */
  readonly frozenJurisdictions?: readonly string[];
  /** Custodians that cannot pay out (the payout channel through them failed); their holdings wait for the backup. */
  readonly unavailableCustodians?: readonly string[];
}

export interface StressResult {
  readonly scenario: string;
  readonly description: string;
  readonly reservesAfter: bigint;
  readonly coverageBp: bigint | null;
  /** How many hours of the run the liquid tiers (top and middle) pay, at most a week (168). */
  readonly hoursCovered: number | null;
  /** The first rule of the profile the shocked register breaks, or null. */
  readonly firstBreach: string | null;
  readonly rules: readonly RuleResult[];
}

export const RUN_SHARE_DEFAULT_BP = 3_000;
const WEEK_HOURS = 168;

/** The seed's scenarios on the current register: a 15% one-day fall, a run, the payout channel down, a jurisdiction frozen. */
export function defaultScenarios(valued: readonly Valued[]): Scenario[] {
  const byValue = (key: (v: Valued) => string | null) => {
    const sums = new Map<string, bigint>();
    for (const v of valued) {
      const k = key(v);
      if (v.tier !== null && k !== null) sums.set(k, (sums.get(k) ?? 0n) + v.value);
    }
    return [...sums].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0] < b[0] ? -1 : 1))[0]?.[0];
  };
  const jurisdiction = byValue((v) => v.holding.custodianJurisdiction);
  const payoutBank = byValue((v) => (v.holding.class === 'cash' || v.holding.class === 'deposit' ? v.holding.custodian : null));
  return [
    { name: 'market', description: 'reserve values fall 15% in one day (cash and deposits at par)', haircutsBp: { '*': 1_500, cash: 0, deposit: 0 } },
    { name: 'run', description: `a run: ${RUN_SHARE_DEFAULT_BP / 100}% of supply redeemed per day`, runShareBp: RUN_SHARE_DEFAULT_BP },
    { name: 'operational', description: `the payout channel at ${payoutBank ?? 'the main cash custodian'} fails: redemptions go through the backup, from the other custodians`, unavailableCustodians: payoutBank === undefined ? [] : [payoutBank], runShareBp: RUN_SHARE_DEFAULT_BP },
    { name: 'legal', description: `the courts of ${jurisdiction ?? 'the largest custody jurisdiction'} freeze the assets held there`, frozenJurisdictions: jurisdiction === undefined ? [] : [jurisdiction] },
  ];
}

function shocked(v: Valued, scenario: Scenario): Valued {
  const frozen = scenario.frozenJurisdictions?.includes(v.holding.custodianJurisdiction) === true;
  const haircut = scenario.haircutsBp?.[v.holding.class] ?? scenario.haircutsBp?.['*'] ?? 0;
  const value = frozen ? 0n : v.value - (v.value * BigInt(haircut)) / 10_000n;
  return { ...v, value };
}

/** Runs a scenario on a valued register against the supply (value scale). */
export function runScenario(valued: readonly Valued[], supply: bigint, profile: Profile, currency: string, scenario: Scenario): StressResult {
  const after = valued.map((v) => shocked(v, scenario));
  const totals = totalsOf(after, currency);
  const rules = checkRules(totals, supply, profile);
  const out = new Set(scenario.unavailableCustodians ?? []);
  const payable = after.filter((v) => (v.tier === 'top' || v.tier === 'middle') && !out.has(v.holding.custodian)).reduce((sum, v) => sum + v.value, 0n);
  const perDay = (supply * BigInt(scenario.runShareBp ?? RUN_SHARE_DEFAULT_BP)) / 10_000n;
  const hours = perDay === 0n ? null : Math.min(WEEK_HOURS, Number((payable * 24n * 100n) / perDay) / 100);
  return {
    scenario: scenario.name, description: scenario.description, reservesAfter: totals.eligible, coverageBp: bp(totals.eligible, supply), hoursCovered: hours,
    firstBreach: rules.find((r) => r.status === 'breach')?.rule ?? null, rules,
  };
}
