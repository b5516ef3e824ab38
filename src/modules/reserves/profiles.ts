import type { HoldingClass } from './holdings.js';

export type Tier = 'top' | 'middle' | 'bottom';

/** Where a class stands under a profile: its tier, and what makes a holding of it eligible. */
export interface ClassRule {
  readonly tier: Tier;
  /** The longest a holding may run to maturity, from the valuation day. */
  readonly maxMaturityDays?: number;
  /** The lowest long-term rating accepted (S&P scale). */
  readonly minRating?: string;
}

/**
 * A regulator's reserve rules as data. Figures marked in `docs/reserves.md` as the rules'
 * come from the regulator (through the seed article for Hong Kong); the rest are the
 * product's defaults, which a bank may change in its settings.
 */
export interface Profile {
  readonly id: string;
  readonly name: string;
  /** Eligible classes; a class not listed is ineligible (counted nowhere in reserves). */
  readonly classes: Readonly<Partial<Record<HoldingClass, ClassRule>>>;
  /** Coverage below which minting stops (basis points of supply). */
  readonly stopBp: number;
  /** Coverage or liquidity below which the module warns and throttles. */
  readonly warningBp: number;
  readonly minTierBp: Readonly<Partial<Record<Tier, number>>>;
  /** Cash and bank deposits at least this share of reserves (MiCA). */
  readonly minDepositBp?: number;
  /** No single issuer of these classes above this share of reserves. */
  readonly maxIssuerBp?: { readonly classes: readonly HoldingClass[]; readonly bp: number };
  /** Liquid (top-tier) assets over a stressed day's redemptions. */
  readonly minLiquidityBp: number;
  /** The share of supply a stressed day redeems, for the liquidity ratio. */
  readonly runShareBp: number;
  /** Reserves in another currency than the coin's, at most this share. */
  readonly maxForeignCurrencyBp: number;
  /** The regulator's risk reserve, as a share of circulation. */
  readonly riskReserveBp?: number;
  /** Hot custody at most this share of reserves. */
  readonly maxHotBp?: number;
}

const TOP = { tier: 'top' } as const;

/** Hong Kong (HKMA, as the seed describes its sandbox issuers' practice): three tiers. */
export const HK_PROFILE: Profile = {
  id: 'hk',
  name: 'Hong Kong (HKMA stablecoin issuers)',
  classes: {
    cash: TOP, repo: { tier: 'top', maxMaturityDays: 7 }, tbill: { tier: 'top', maxMaturityDays: 92 },
    deposit: { tier: 'middle' }, commercial_paper: { tier: 'middle', maxMaturityDays: 365, minRating: 'AA+' },
    sovereign_bond: { tier: 'bottom', maxMaturityDays: 365 }, mmf: { tier: 'bottom' },
  },
  stopBp: 10_000, warningBp: 11_000,
  minTierBp: { top: 3_000 },
  maxIssuerBp: { classes: ['commercial_paper'], bp: 500 },
  minLiquidityBp: 12_000, runShareBp: 2_500, maxForeignCurrencyBp: 5_000,
  riskReserveBp: 100, maxHotBp: 500,
};

/** United States (GENIUS Act): 1:1 in cash, insured deposits, bills of at most 93 days, repos, government money-market funds. */
export const GENIUS_PROFILE: Profile = {
  id: 'genius',
  name: 'United States (GENIUS Act payment stablecoins)',
  classes: { cash: TOP, deposit: TOP, tbill: { tier: 'top', maxMaturityDays: 93 }, repo: { tier: 'top', maxMaturityDays: 7 }, mmf: TOP },
  stopBp: 10_000, warningBp: 11_000,
  minTierBp: {},
  minLiquidityBp: 12_000, runShareBp: 2_500, maxForeignCurrencyBp: 0,
};

function mica(significant: boolean): Profile {
  return {
    id: significant ? 'mica-significant' : 'mica',
    name: `European Union (MiCA e-money tokens${significant ? ', significant' : ''})`,
    classes: { cash: TOP, deposit: TOP, tbill: { tier: 'middle', maxMaturityDays: 365 }, sovereign_bond: { tier: 'middle', maxMaturityDays: 730 }, mmf: { tier: 'middle' } },
    stopBp: 10_000, warningBp: 11_000,
    minTierBp: {}, minDepositBp: significant ? 6_000 : 3_000,
    minLiquidityBp: 12_000, runShareBp: 2_500, maxForeignCurrencyBp: 0,
  };
}

export const PROFILES: Readonly<Record<string, Profile>> = { hk: HK_PROFILE, genius: GENIUS_PROFILE, mica: mica(false), 'mica-significant': mica(true) };

export function profileNamed(id: string): Profile {
  const profile = PROFILES[id];
  if (profile === undefined) throw new Error(`no reserve profile "${id}"; known: ${Object.keys(PROFILES).join(', ')}`);
  return profile;
}

/** Long-term ratings, best first (S&P and Fitch letters; Moody's mapped by the custodian file). */
const RATINGS = ['AAA', 'AA+', 'AA', 'AA-', 'A+', 'A', 'A-', 'BBB+', 'BBB', 'BBB-', 'BB+', 'BB', 'BB-', 'B+', 'B', 'B-', 'CCC', 'CC', 'C', 'D'];

/** Whether `rating` is at least `floor`; an unknown or missing rating is not. */
export function ratedAtLeast(rating: string | null, floor: string): boolean {
  const at = rating === null ? -1 : RATINGS.indexOf(rating);
  return at >= 0 && at <= RATINGS.indexOf(floor);
}
