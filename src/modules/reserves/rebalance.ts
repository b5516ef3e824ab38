import GLPK, { type GLPK as Solver } from 'glpk.js/node';
import type { HoldingClass } from './holdings.js';
import { approximate, money } from './money.js';
import type { Valued } from './portfolio.js';
import type { Profile, Tier } from './profiles.js';
import { stressedDay } from './rules.js';

/** Annual yields (percent) and one-way trading costs (basis points) per class: the product's defaults, which a treasurer overrides per proposal. */
export const DEFAULT_YIELDS: Readonly<Record<HoldingClass, number>> = { cash: 3.5, deposit: 3.8, tbill: 3.4, commercial_paper: 4.2, sovereign_bond: 3.6, mmf: 3.5, repo: 3.6, corporate_bond: 4.8, other: 0 };
const COST_BP: Readonly<Record<HoldingClass, number>> = { cash: 0, deposit: 0, tbill: 1, commercial_paper: 5, sovereign_bond: 2, mmf: 1, repo: 1, corporate_bond: 10, other: 25 };
/** The top tier raised to this share while bills yield less than cash (the seed's issuer went from 30% to 35%). */
export const RAISED_TOP_BP = 3_500;

export interface Trade {
  readonly action: 'sell' | 'buy' | 'add';
  /** The holding sold, or the class (and tier) bought. */
  readonly instrumentId: string | null;
  readonly class: HoldingClass | null;
  readonly tier: Tier | null;
  /** In the coin's currency, major units with two places. */
  readonly amount: string;
}

export interface Proposal {
  readonly feasible: boolean;
  readonly topTargetBp: number;
  readonly trades: readonly Trade[];
  /** Trading costs and a month's yield forgone, in the coin's currency. */
  readonly estimatedCost: string;
  readonly note: string;
}

let solver: Promise<Solver> | undefined;

type Term = { name: string; coef: number };

/** A solver's figure (major units, a float) as whole cents at the value scale: the only place a float becomes money, once. */
const toValue = (major: number): bigint => BigInt(Math.round(major * 100)) * 100n;

/**
 * Trades that bring the register back within the profile at least cost: holdings sold
 * (ineligible ones entirely), classes bought, and new money added only where trading cannot
 * restore coverage. Solved as a linear programme by GLPK; nothing is traded by the module.
 */
export async function proposeRebalancing(valued: readonly Valued[], supplyValue: bigint, profile: Profile, currency: string, yields: Readonly<Partial<Record<HoldingClass, number>>> = {}): Promise<Proposal> {
  const glpk = await (solver ??= GLPK());
  const yieldOf = (c: HoldingClass) => yields[c] ?? DEFAULT_YIELDS[c];
  const pool = valued.filter((v) => v.holding.purpose === 'reserve');
  const supply = approximate(supplyValue);
  const buyable = (Object.keys(profile.classes) as HoldingClass[]).sort();
  const tierOf = (c: HoldingClass) => profile.classes[c]!.tier;
  const topTargetBp = profile.minTierBp.top === undefined ? 0 : yieldOf('tbill') < yieldOf('cash') ? Math.max(RAISED_TOP_BP, profile.minTierBp.top) : profile.minTierBp.top;

  const sell = pool.map((v, i) => ({ name: `s${i}`, v, value: approximate(v.value) }));
  const buy = buyable.map((c) => ({ name: `b_${c}`, c }));
  const monthly = (c: HoldingClass) => yieldOf(c) / 100 / 12;
  const objective: Term[] = [
    ...sell.map((s) => ({ name: s.name, coef: COST_BP[s.v.holding.class] / 10_000 + (s.v.tier === null ? 0 : monthly(s.v.holding.class)) })),
    ...buy.map((b) => ({ name: b.name, coef: Math.max(1e-6, COST_BP[b.c] / 10_000 - monthly(b.c) + 0.01) })),
    { name: 'inject', coef: 1 },
  ];
  // Eligible reserves after the trades, as terms (constant moved to the bound).
  const eligible0 = sell.filter((s) => s.v.tier !== null).reduce((sum, s) => sum + s.value, 0);
  const eligibleTerms = (weight: number): Term[] => [
    ...sell.filter((s) => s.v.tier !== null).map((s) => ({ name: s.name, coef: -weight })),
    ...buy.map((b) => ({ name: b.name, coef: weight })),
    { name: 'inject', coef: 0 },
  ];
  const partTerms = (inPart: (c: HoldingClass, tier: Tier | null) => boolean, keep: (v: Valued) => boolean): { terms: Term[]; value: number } => ({
    terms: [...sell.filter((s) => keep(s.v)).map((s) => ({ name: s.name, coef: -1 })), ...buy.filter((b) => inPart(b.c, tierOf(b.c))).map((b) => ({ name: b.name, coef: 1 }))],
    value: sell.filter((s) => keep(s.v)).reduce((sum, s) => sum + s.value, 0),
  });
  /** part − share × eligible ≥ share × eligible0 − part0 */
  const shareAtLeast = (name: string, part: { terms: Term[]; value: number }, shareBp: number) => ({
    name, vars: merge([...part.terms, ...eligibleTerms(-shareBp / 10_000)]), bnds: { type: glpk.GLP_LO, lb: (shareBp / 10_000) * eligible0 - part.value, ub: 0 },
  });
  const shareAtMost = (name: string, part: { terms: Term[]; value: number }, shareBp: number) => ({
    name, vars: merge([...part.terms, ...eligibleTerms(-shareBp / 10_000)]), bnds: { type: glpk.GLP_UP, lb: 0, ub: (shareBp / 10_000) * eligible0 - part.value },
  });
  const top = partTerms((_c, tier) => tier === 'top', (v) => v.tier === 'top');
  const constraints = [
    { name: 'funded', vars: merge([...sell.map((s) => ({ name: s.name, coef: 1 })), ...buy.map((b) => ({ name: b.name, coef: -1 })), { name: 'inject', coef: 1 }]), bnds: { type: glpk.GLP_FX, lb: 0, ub: 0 } },
    { name: 'coverage', vars: merge([...eligibleTerms(1)]), bnds: { type: glpk.GLP_LO, lb: (profile.warningBp / 10_000) * supply - eligible0, ub: 0 } },
    { name: 'liquidity', vars: merge(top.terms), bnds: { type: glpk.GLP_LO, lb: (profile.minLiquidityBp / 10_000) * approximate(stressedDay(supplyValue, profile)) - top.value, ub: 0 } },
  ];
  if (topTargetBp > 0) constraints.push(shareAtLeast('tier_top', top, topTargetBp));
  if (profile.minDepositBp !== undefined) constraints.push(shareAtLeast('deposits', partTerms((c) => c === 'cash' || c === 'deposit', (v) => v.tier !== null && (v.holding.class === 'cash' || v.holding.class === 'deposit')), profile.minDepositBp));
  if (profile.maxIssuerBp !== undefined) {
    const classes = new Set(profile.maxIssuerBp.classes);
    const issuers = [...new Set(pool.filter((v) => v.tier !== null && classes.has(v.holding.class)).map((v) => `${v.holding.class}:${v.holding.issuer}`))].sort();
    issuers.forEach((issuer, n) => constraints.push(shareAtMost(`issuer_${n}`, partTerms(() => false, (v) => v.tier !== null && `${v.holding.class}:${v.holding.issuer}` === issuer), profile.maxIssuerBp!.bp)));
  }
  constraints.push(shareAtMost('foreign', partTerms(() => false, (v) => v.tier !== null && v.holding.currency !== currency), profile.maxForeignCurrencyBp));
  if (profile.maxHotBp !== undefined) constraints.push(shareAtMost('hot', partTerms(() => false, (v) => v.tier !== null && v.holding.custody === 'hot'), profile.maxHotBp));

  const bounds = [
    ...sell.map((s) => (s.v.tier === null ? { name: s.name, type: glpk.GLP_FX, lb: s.value, ub: s.value } : { name: s.name, type: glpk.GLP_DB, lb: 0, ub: s.value })),
    ...buy.map((b) => ({ name: b.name, type: glpk.GLP_LO, lb: 0, ub: 0 })),
    { name: 'inject', type: glpk.GLP_LO, lb: 0, ub: 0 },
  ];
  const solved = glpk.solve({ name: 'rebalance', objective: { direction: glpk.GLP_MIN, name: 'cost', vars: objective }, subjectTo: constraints, bounds }, { msglev: glpk.GLP_MSG_OFF });
  const feasible = solved.result.status === glpk.GLP_OPT || solved.result.status === glpk.GLP_FEAS;
  if (!feasible) return { feasible, topTargetBp, trades: [], estimatedCost: '0.00', note: 'no set of trades meets every rule of the profile' };
  const x = solved.result.vars;
  // Amounts from here on are bigint: a sale never exceeds the holding it sells, whatever the solver's rounding.
  const sold = sell.map((s) => ({ s, amount: ((a) => (a > s.v.value ? s.v.value : a))(toValue(x[s.name] ?? 0)) })).filter(({ amount }) => amount > 0n);
  const bought = buy.map((b) => ({ b, amount: toValue(x[b.name] ?? 0) })).filter(({ amount }) => amount > 0n);
  const added = toValue(x['inject'] ?? 0);
  const trades: Trade[] = [
    ...sold.map(({ s, amount }): Trade => ({ action: 'sell', instrumentId: s.v.holding.instrumentId, class: s.v.holding.class, tier: s.v.tier, amount: money(amount) })),
    ...bought.map(({ b, amount }): Trade => ({ action: 'buy', instrumentId: null, class: b.c, tier: tierOf(b.c), amount: money(amount) })),
    ...(added > 0n ? [{ action: 'add' as const, instrumentId: null, class: 'cash' as const, tier: 'top' as const, amount: money(added) }] : []),
  ];
  // Trading costs both ways, and a month's yield forgone on what is sold (yields to the hundredth of a percent).
  const monthlyYield = (c: HoldingClass) => BigInt(Math.round(yieldOf(c) * 100));
  const cost = sold.reduce((sum, { s, amount }) => sum + (amount * BigInt(COST_BP[s.v.holding.class])) / 10_000n + (s.v.tier === null ? 0n : (amount * monthlyYield(s.v.holding.class)) / 120_000n), 0n)
    + bought.reduce((sum, { b, amount }) => sum + (amount * BigInt(COST_BP[b.c])) / 10_000n, 0n);
  const note = trades.length === 0 ? 'the register meets the profile: nothing to trade' : `${trades.length} trade${trades.length === 1 ? '' : 's'} restore the profile${topTargetBp > (profile.minTierBp.top ?? 0) ? ` (top tier raised to ${topTargetBp / 100}%: bills yield less than cash)` : ''}`;
  return { feasible, topTargetBp, trades, estimatedCost: money(cost), note };
}

/** Sums the coefficients of terms naming the same variable (GLPK wants each once per row). */
function merge(terms: readonly Term[]): Term[] {
  const sums = new Map<string, number>();
  for (const term of terms) sums.set(term.name, (sums.get(term.name) ?? 0) + term.coef);
  return [...sums].map(([name, coef]) => ({ name, coef }));
}
