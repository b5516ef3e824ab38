import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENIUS_PROFILE, HK_PROFILE, PROFILES } from '../../../src/modules/reserves/profiles.js';
import { checkRules, type RuleResult } from '../../../src/modules/reserves/rules.js';
import { holding, totals, v, valued } from './fixture.js';
import type { Holding } from '../../../src/modules/reserves/holdings.js';
import type { Profile } from '../../../src/modules/reserves/profiles.js';

function rule(holdings: readonly Holding[], supply: string, name: string, profile: Profile = HK_PROFILE, rates?: ReadonlyMap<string, bigint>): RuleResult {
  const found = checkRules(totals(holdings, profile, rates), v(supply), profile).find((r) => r.rule === name);
  assert.ok(found !== undefined, `no rule ${name}`);
  return found;
}

/** A Hong Kong portfolio of 1,000.00 HKD that passes every rule: 40% cash, 40% deposits, 20% sovereign bonds; 10.00 risk reserve. */
function base(extra: Holding[] = []): Holding[] {
  return [holding('cash', '400.00'), holding('deposit', '400.00'), holding('sovereign_bond', '200.00', { maturityDate: '2027-06-01' }), holding('cash', '10.00', { purpose: 'risk_reserve' }), ...extra];
}

describe('reserve rules: a portfolio that just passes and one that just breaches each', () => {
  it('coverage: at 110% it passes, just under warns (minting is throttled), under 100% breaches', () => {
    assert.equal(rule(base(), '909.09', 'coverage').status, 'pass');
    assert.equal(rule(base(), '909.10', 'coverage').status, 'warning');
    assert.equal(rule(base(), '1000.00', 'coverage').status, 'warning', 'exactly covered: not breached, still throttled');
    assert.equal(rule(base(), '1000.01', 'coverage').status, 'breach');
    assert.equal(rule(base(), '1000.01', 'coverage').value, '99.99%');
  });

  it('liquidity: top tier over a stressed day (25% of supply): 120% passes, under 110% breaches', () => {
    // Top tier 400.00: a stressed day of 333.33 gives 120.00%.
    assert.equal(rule(base(), '1333.33', 'liquidity').status, 'pass');
    assert.equal(rule(base(), '1333.34', 'liquidity').status, 'warning');
    assert.equal(rule(base(), '1454.55', 'liquidity').status, 'breach');
  });

  it('ineligible: one cent of corporate bonds breaches the 100% eligible rule (the issuer that put 0.5% into corporate bonds)', () => {
    assert.equal(rule(base(), '500.00', 'ineligible').status, 'pass');
    const breach = rule(base([holding('corporate_bond', '0.01')]), '500.00', 'ineligible');
    assert.equal(breach.status, 'breach');
  });

  it('the top tier at least 30% of reserves', () => {
    const at = (cash: string, deposit: string) => [holding('cash', cash), holding('deposit', deposit), holding('cash', '100.00', { purpose: 'risk_reserve' })];
    assert.equal(rule(at('300.00', '700.00'), '500.00', 'tier_top').status, 'pass');
    assert.equal(rule(at('299.99', '700.01'), '500.00', 'tier_top').status, 'breach');
  });

  it('no commercial paper issuer above 5% of reserves; paper below AA+ is not eligible', () => {
    const paper = (value: string, rating = 'AA+') => holding('commercial_paper', value, { issuer: 'Paper Issuer', rating });
    assert.equal(rule(base([paper('50.00')]).map((h) => (h.class === 'deposit' ? { ...h, marketValue: v('350.00') } : h)), '500.00', 'issuer_concentration').status, 'pass');
    assert.equal(rule(base([paper('50.01')]).map((h) => (h.class === 'deposit' ? { ...h, marketValue: v('349.99') } : h)), '500.00', 'issuer_concentration').status, 'breach');
    const below = valued([paper('10.00', 'AA')], HK_PROFILE)[0]!;
    assert.equal(below.tier, null);
    assert.match(below.ineligible!, /rated AA, below AA\+/);
  });

  it('reserves in another currency at most 50% (a HKD coin may hold USD), valued at the FX rate', () => {
    const rates = new Map([['USD', 780_000_000n]]);
    const usd = (value: string) => holding('tbill', value, { currency: 'USD' });
    // 64.10 USD at 7.80 = 499.98 HKD of 999.98: 50.00%.
    assert.equal(rule([holding('cash', '500.00'), usd('64.10'), holding('cash', '10.00', { purpose: 'risk_reserve' })], '500.00', 'foreign_currency', HK_PROFILE, rates).status, 'pass');
    assert.equal(rule([holding('cash', '499.00'), usd('64.10')], '500.00', 'foreign_currency', HK_PROFILE, rates).status, 'breach');
    assert.match(valued([usd('1.00')], HK_PROFILE)[0]!.ineligible!, /no USD\/HKD rate/);
  });

  it('the risk reserve at least 1% of circulation, kept out of the pool', () => {
    assert.equal(rule(base(), '1000.00', 'risk_reserve').status, 'pass');
    assert.equal(rule(base(), '1000.01', 'risk_reserve').status, 'breach');
    assert.equal(totals(base(), HK_PROFILE).eligible, v('1000.00'), 'the risk reserve does not back the coin');
  });

  it('hot custody at most 5% of reserves', () => {
    const hot = (value: string) => base().map((h, i) => (i === 0 ? { ...h, custody: 'hot' as const, marketValue: v(value) } : h));
    assert.equal(rule(hot('50.00').concat(holding('cash', '350.00', { custody: 'cold' })), '500.00', 'hot_custody').status, 'pass');
    assert.equal(rule(hot('50.01').concat(holding('cash', '349.99', { custody: 'cold' })), '500.00', 'hot_custody').status, 'breach');
  });

  it('MiCA: deposits at least 30% of reserves (60% for a significant token); GENIUS: bills of at most 93 days, USD only', () => {
    const mica = (deposit: string, bond: string) => [holding('deposit', deposit), holding('sovereign_bond', bond, { maturityDate: '2027-06-01' })];
    assert.equal(rule(mica('300.00', '700.00'), '500.00', 'deposits', PROFILES['mica']!).status, 'pass');
    assert.equal(rule(mica('299.99', '700.01'), '500.00', 'deposits', PROFILES['mica']!).status, 'breach');
    assert.equal(rule(mica('599.99', '400.01'), '500.00', 'deposits', PROFILES['mica-significant']!).status, 'breach');
    // 2026-12-04 + 93 days = 2027-03-07.
    assert.equal(valued([holding('tbill', '1.00', { maturityDate: '2027-03-07' })], GENIUS_PROFILE)[0]!.tier, 'top');
    assert.match(valued([holding('tbill', '1.00', { maturityDate: '2027-03-08' })], GENIUS_PROFILE)[0]!.ineligible!, /matures in 94 days, over 93/);
    assert.equal(rule([holding('cash', '100.00'), holding('tbill', '0.01', { currency: 'EUR' })], '50.00', 'foreign_currency', GENIUS_PROFILE, new Map([['EUR', 100_000_000n]])).status, 'breach');
  });

  it('a matured holding and a class the profile does not list count for nothing', () => {
    assert.match(valued([holding('tbill', '1.00', { maturityDate: '2026-12-01' })], HK_PROFILE)[0]!.ineligible!, /matured on 2026-12-01/);
    assert.match(valued([holding('corporate_bond', '1.00')], HK_PROFILE)[0]!.ineligible!, /corporate_bond is not an eligible reserve asset/);
  });
});
