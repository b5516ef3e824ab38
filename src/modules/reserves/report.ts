import { stringify } from 'csv-stringify/sync';
import { canonicalJson, sha256Hex } from '../../chain/index.js';
import type { Assessment, Coin } from './assess.js';
import { money, percent } from './money.js';
import { holdingsTree } from './proof.js';
import type { RuleResult } from './rules.js';
import type { StressResult } from './stress.js';

/** A day's reserve report: what the regulator receives and what the chain's attestation commits to by hash. */
export interface DailyReport {
  readonly asset: string;
  readonly report: string;
  readonly profile: string;
  readonly registerVersion: number;
  readonly asOf: string;
  readonly currency: string;
  readonly supply: string;
  readonly reserves: string;
  readonly ineligible: string;
  readonly riskReserve: string;
  readonly coverage: string;
  readonly liquidity: string;
  readonly tiers: readonly { tier: string; value: string; share: string; minimum: string | null }[];
  readonly rules: readonly { rule: string; value: string; limit: string; status: string }[];
  readonly breaches: readonly string[];
  readonly stress: readonly { scenario: string; description: string; reservesAfter: string; coverage: string; hoursCovered: number | null; firstBreach: string | null }[];
  readonly holdings: number;
  readonly holdingsRoot: string;
}

export function dailyReport(report: string, coin: Coin, assessment: Assessment, stress: readonly StressResult[]): DailyReport {
  const { totals, profile } = assessment;
  const tiers = (['top', 'middle', 'bottom'] as const).map((tier) => ({
    tier, value: money(totals.byTier[tier]), share: percent(totals.eligible === 0n ? 0n : (totals.byTier[tier] * 10_000n) / totals.eligible),
    minimum: profile.minTierBp[tier] === undefined ? null : percent(BigInt(profile.minTierBp[tier])),
  }));
  const rules = assessment.rules.map((r: RuleResult) => ({ rule: r.rule, value: r.value, limit: r.limit, status: r.status }));
  return {
    asset: coin.asset, report, profile: profile.id, registerVersion: assessment.registerVersion, asOf: assessment.asOf, currency: coin.currency,
    supply: money(assessment.supply), reserves: money(totals.eligible), ineligible: money(totals.ineligible), riskReserve: money(totals.riskReserve),
    coverage: percent(assessment.coverageBp), liquidity: percent(assessment.liquidityBp), tiers, rules,
    breaches: rules.filter((r) => r.status !== 'pass').map((r) => `${r.rule} ${r.value} (${r.limit}): ${r.status}`),
    stress: stress.map((s) => ({ scenario: s.scenario, description: s.description, reservesAfter: money(s.reservesAfter), coverage: percent(s.coverageBp), hoursCovered: s.hoursCovered, firstBreach: s.firstBreach })),
    holdings: assessment.valued.length, holdingsRoot: holdingsTree(assessment.valued.map((v) => v.holding)).tree.root().toString('hex'),
  };
}

/** The report's canonical JSON (RFC 8785) and its SHA-256: what the attestation names. */
export function reportBytes(report: DailyReport): { json: string; sha256: string } {
  const json = canonicalJson(report);
  return { json, sha256: sha256Hex(json) };
}

/** The holdings in detail, one row each, for the regulator's spreadsheet. */
export function holdingsCsv(assessment: Assessment): string {
  return stringify([
    ['instrument_id', 'class', 'issuer', 'isin', 'currency', 'market_value', 'value_in_coin_currency', 'tier', 'maturity_date', 'rating', 'custodian', 'custodian_jurisdiction', 'purpose', 'not_eligible_because'],
    ...assessment.valued.map((v) => [
      v.holding.instrumentId, v.holding.class, v.holding.issuer, v.holding.isin ?? '', v.holding.currency, money(v.holding.marketValue), money(v.value), v.tier ?? '',
      v.holding.maturityDate ?? '', v.holding.rating ?? '', v.holding.custodian, v.holding.custodianJurisdiction, v.holding.purpose, v.holding.purpose === 'reserve' ? v.ineligible ?? '' : '',
    ]),
  ]);
}

/** A Vega-Lite chart rendered to SVG on the server: the page needs no script to show it. */
async function chart(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 420, height: 220, ...spec } as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const table = (head: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
  `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(String(c ?? ''))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** The day's report as one HTML page: figures, rules, tiers against the profile, stress results, with charts. */
export async function reportHtml(report: DailyReport, sha256: string): Promise<string> {
  const tiersChart = await chart({
    title: 'Reserves by tier (share of eligible reserves)',
    data: { values: report.tiers.map((t) => ({ tier: t.tier, share: Number.parseFloat(t.share), minimum: t.minimum === null ? null : Number.parseFloat(t.minimum) })) },
    layer: [
      { mark: 'bar', encoding: { x: { field: 'tier', type: 'nominal', sort: ['top', 'middle', 'bottom'], axis: { labelAngle: 0 } }, y: { field: 'share', type: 'quantitative', title: '% of reserves' } } },
      { mark: { type: 'tick', color: 'firebrick', thickness: 3 }, encoding: { x: { field: 'tier', type: 'nominal', sort: ['top', 'middle', 'bottom'] }, y: { field: 'minimum', type: 'quantitative' } } },
    ],
  });
  const stressChart = await chart({
    title: 'Coverage after each stress scenario (%)',
    data: { values: report.stress.map((s) => ({ scenario: s.scenario, coverage: s.coverage === '∞' ? null : Number.parseFloat(s.coverage) })) },
    layer: [
      { mark: 'bar', encoding: { x: { field: 'scenario', type: 'nominal', axis: { labelAngle: 0 } }, y: { field: 'coverage', type: 'quantitative', title: 'coverage %' } } },
      { mark: { type: 'rule', color: 'firebrick' }, encoding: { y: { datum: 100 } } },
    ],
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reserve report ${escape(report.asset)} ${escape(report.report)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}.charts{display:flex;flex-wrap:wrap;gap:1rem}</style></head>
<body><h1>Reserve report: ${escape(report.asset)}, ${escape(report.report)}</h1>
<p>Profile ${escape(report.profile)}; register version ${report.registerVersion} as of ${escape(report.asOf)}; report SHA-256 <code>${sha256}</code>; holdings Merkle root <code>${report.holdingsRoot}</code>.</p>
${table(['supply', 'eligible reserves', 'coverage', 'liquidity', 'ineligible', 'risk reserve'], [[`${report.supply} ${report.currency}`, `${report.reserves} ${report.currency}`, report.coverage, report.liquidity, report.ineligible, report.riskReserve]])}
<div class="charts"><figure>${tiersChart}</figure><figure>${stressChart}</figure></div>
<h2>Rules</h2>${table(['rule', 'value', 'limit', 'status'], report.rules.map((r) => [r.rule, r.value, r.limit, r.status]))}
<h2>Tiers</h2>${table(['tier', 'value', 'share', 'minimum'], report.tiers.map((t) => [t.tier, t.value, t.share, t.minimum]))}
<h2>Stress tests</h2>${table(['scenario', 'what', 'reserves after', 'coverage', 'hours of redemptions covered', 'first rule broken'], report.stress.map((s) => [s.scenario, s.description, s.reservesAfter, s.coverage, s.hoursCovered, s.firstBreach ?? 'none']))}
</body></html>
`;
}
