import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ImportError, readPositions, readPrices, readRates } from '../../../src/modules/reserves/holdings.js';
import { holdingsTree, proveHolding, verifyHoldingProof } from '../../../src/modules/reserves/proof.js';
import { HK_PROFILE, PROFILES } from '../../../src/modules/reserves/profiles.js';
import { proposeRebalancing } from '../../../src/modules/reserves/rebalance.js';
import { checkRules } from '../../../src/modules/reserves/rules.js';
import { defaultScenarios, runScenario } from '../../../src/modules/reserves/stress.js';
import { totalsOf } from '../../../src/modules/reserves/portfolio.js';
import { holding, v, valued } from './fixture.js';

const EXAMPLES = new URL('../../../docs/examples/reserves/', import.meta.url).pathname;
const HEADER = 'instrument_id,class,issuer,isin,currency,nominal,market_value,maturity_date,rating,custodian,custodian_jurisdiction';
const GOOD = 'EFB-1,tbill,HKMA,HK0000EFB271,HKD,100.00,99.50,2027-02-18,AA+,Standard Chartered,HK';

function problems(csv: string): { row: number; column: string; problem: string }[] {
  try {
    readPositions(csv);
  } catch (error) {
    assert.ok(error instanceof ImportError);
    return [...error.problems];
  }
  assert.fail('the file was accepted');
}

describe('importing custodian position files', () => {
  it('reads the demo positions: 13 holdings, amounts exact, the risk reserve apart', () => {
    const holdings = readPositions(readFileSync(`${EXAMPLES}positions-2026-12-04.csv`, 'utf8'));
    assert.equal(holdings.length, 13);
    const bill = holdings.find((h) => h.instrumentId === 'EFB-2027-02-18')!;
    assert.deepEqual([bill.class, bill.isin, bill.nominal, bill.marketValue, bill.maturityDate], ['tbill', 'HK0000EFB271', v('5000000.00'), v('4985000.00'), '2027-02-18']);
    assert.equal(holdings.filter((h) => h.purpose === 'risk_reserve').length, 1);
    assert.equal(readRates(readFileSync(`${EXAMPLES}fx-2026-12-04.csv`, 'utf8')).get('USD'), 778_120_000n);
  });

  it('names every bad cell by row and column, and refuses the whole file', () => {
    const found = problems([
      HEADER, GOOD,
      'EFB-1,tbill,HKMA,HK0000EFB272,HKD,100.00,99.50,2027-02-31,AA+,Standard Chartered,HK',
      'X-2,gold,HKMA,,HKD,1e5,-3,,AA+,,Hong Kong',
      'X-3,cash,HKMA,,hkd,100.00,100.00001,,,Custodian,HK',
    ].join('\n'));
    const at = (row: number, column: string) => found.find((p) => p.row === row && p.column === column)?.problem;
    assert.match(at(3, 'instrument_id')!, /also on row 2/);
    assert.match(at(3, 'isin')!, /not an ISIN/);
    assert.match(at(3, 'maturity_date')!, /not a date/);
    assert.match(at(4, 'class')!, /"gold" is not one of cash, deposit/);
    assert.match(at(4, 'nominal')!, /not a decimal amount/);
    assert.match(at(4, 'market_value')!, /not a decimal amount/);
    assert.match(at(4, 'custodian')!, /empty/);
    assert.match(at(4, 'custodian_jurisdiction')!, /not an ISO 3166/);
    assert.match(at(5, 'currency')!, /not an ISO 4217/);
    assert.match(at(5, 'market_value')!, /at most 4 places/);
    assert.equal(found.filter((p) => p.row === 2).length, 0, 'the good row has no problem');
    assert.deepEqual(problems('instrument_id,class\nA,cash'), ['issuer', 'isin', 'currency', 'nominal', 'market_value', 'maturity_date', 'rating', 'custodian', 'custodian_jurisdiction'].map((column) => ({ row: 1, column, problem: 'missing column' })));
    assert.match(problems(`${HEADER}\n"unterminated,tbill`)[0]!.problem, /quote/i);
  });

  it('a price file revalues only instruments on the register; an FX file wants positive rates', () => {
    assert.equal(readPrices('instrument_id,market_value\nEFB-1,99.75', new Set(['EFB-1'])).get('EFB-1'), v('99.75'));
    assert.throws(() => readPrices('instrument_id,market_value\nNOPE,1.00', new Set(['EFB-1'])), /row 2 instrument_id: "NOPE" is not on the register/);
    assert.throws(() => readRates('currency,rate\nUSD,0'), /row 2 rate: "0" is not a positive rate/);
  });
});

describe('stress tests on a hand-computed portfolio', () => {
  // 40.00 cash at Bank A (HK), 60.00 bills at Bank B (US), a risk reserve of 1.00; supply 100.00.
  const register = valued([holding('cash', '40.00', { custodian: 'Bank A' }), holding('tbill', '60.00', { custodian: 'Bank B', custodianJurisdiction: 'US', currency: 'HKD' }), holding('cash', '1.00', { purpose: 'risk_reserve' })], HK_PROFILE);
  const scenarios = defaultScenarios(register);
  const run = (name: string) => runScenario(register, v('100.00'), HK_PROFILE, 'HKD', scenarios.find((s) => s.name === name)!);

  it('market: bills lose 15%, cash stays at par: 40 + 51 = 91% coverage, coverage the first rule broken', () => {
    const result = run('market');
    assert.equal(result.reservesAfter, v('91.00'));
    assert.equal(result.coverageBp, 9_100n);
    assert.equal(result.firstBreach, 'coverage');
  });

  it('run: 30% of supply a day is 30.00; the liquid tiers pay 100.00: 80 hours', () => {
    assert.equal(run('run').hoursCovered, 80);
    assert.equal(run('run').firstBreach, null);
  });

  it("operational: the payout channel at the cash custodian fails: the bills alone pay 48 hours", () => {
    assert.match(scenarios.find((s) => s.name === 'operational')!.description, /payout channel at Bank A fails/);
    // The largest cash or deposit custodian is Bank A.
    assert.deepEqual(scenarios.find((s) => s.name === 'operational')!.unavailableCustodians, ['Bank A']);
    assert.equal(run('operational').hoursCovered, 48);
  });

  it('legal: the largest custody jurisdiction (US, 60.00) frozen: 40% coverage', () => {
    assert.equal(run('legal').coverageBp, 4_000n);
    assert.equal(run('legal').firstBreach, 'coverage');
  });

  it('a custom scenario: haircuts per class and a frozen jurisdiction', () => {
    const result = runScenario(register, v('50.00'), HK_PROFILE, 'HKD', { name: 'custom', description: 'x', haircutsBp: { cash: 1_000 }, frozenJurisdictions: ['US'], runShareBp: 5_000 });
    assert.equal(result.reservesAfter, v('36.00'));
    assert.equal(result.coverageBp, 7_200n);
    // 36.00 liquid against 25.00 a day: 34.56 hours.
    assert.equal(result.hoursCovered, 34.56);
  });
});

describe('the holdings Merkle root', () => {
  const holdings = readPositions(readFileSync(`${EXAMPLES}positions-2026-12-04.csv`, 'utf8'));

  it('proves one holding against the root, and nothing else', () => {
    const root = holdingsTree(holdings).tree.root().toString('hex');
    for (const h of holdings) {
      const proof = proveHolding(holdings, h.instrumentId)!;
      assert.equal(proof.root, root);
      assert.ok(verifyHoldingProof(proof, root), h.instrumentId);
    }
    const proof = proveHolding(holdings, 'EFB-2027-02-18')!;
    assert.equal(verifyHoldingProof({ ...proof, leaf: proof.leaf.replace('4985000', '5985000') }, root), false, 'a changed value');
    assert.equal(verifyHoldingProof(proof, 'ab'.repeat(32)), false, 'another root');
    assert.equal(proveHolding(holdings, 'NOPE'), undefined);
    assert.equal(holdingsTree([...holdings].reverse()).tree.root().toString('hex'), root, 'the order of the file does not matter');
  });
});

describe('rebalancing proposals (GLPK)', () => {
  it('sells the ineligible corporate bond and buys enough of the top tier to reach 35% while bills yield less than cash; the result passes', async () => {
    const holdings = [holding('cash', '200.00'), holding('deposit', '500.00'), holding('sovereign_bond', '250.00', { maturityDate: '2027-06-01' }), holding('corporate_bond', '50.00'), holding('cash', '10.00', { purpose: 'risk_reserve' })];
    const register = valued(holdings, HK_PROFILE);
    const proposal = await proposeRebalancing(register, v('800.00'), HK_PROFILE, 'HKD', { tbill: 3.0, cash: 3.5 });
    assert.equal(proposal.feasible, true);
    assert.equal(proposal.topTargetBp, 3_500);
    const sold = proposal.trades.find((t) => t.action === 'sell' && t.class === 'corporate_bond');
    assert.equal(sold?.amount, '50.00');
    // Apply the trades and check the profile again.
    const after = register.filter((h) => h.holding.class !== 'corporate_bond').map((h) => {
      const sell = proposal.trades.find((t) => t.action === 'sell' && t.instrumentId === h.holding.instrumentId);
      return sell === undefined ? h : { ...h, value: h.value - v(sell.amount) };
    });
    const bought = proposal.trades.filter((t) => t.action !== 'sell').map((t) => valued([holding(t.class!, t.amount)], HK_PROFILE)[0]!);
    const totals = totalsOf([...after, ...bought], 'HKD');
    const results = checkRules(totals, v('800.00'), HK_PROFILE);
    assert.deepEqual(results.filter((r) => r.status !== 'pass' && r.rule !== 'risk_reserve').map((r) => `${r.rule} ${r.value}`), []);
    assert.ok(totals.byTier.top * 10_000n >= 3_499n * totals.eligible, 'the top tier at 35%');
  });

  it('adds money only where trading cannot restore coverage, and proposes nothing for a register that passes', async () => {
    const holdings = [holding('cash', '400.00'), holding('deposit', '400.00'), holding('sovereign_bond', '200.00', { maturityDate: '2027-06-01' })];
    const short = await proposeRebalancing(valued(holdings, PROFILES['hk']!), v('1000.00'), HK_PROFILE, 'HKD');
    assert.equal(short.trades.find((t) => t.action === 'add')?.amount, '100.00', 'coverage back to 110%');
    const fine = await proposeRebalancing(valued(holdings, HK_PROFILE), v('500.00'), HK_PROFILE, 'HKD');
    assert.deepEqual(fine.trades, []);
    assert.match(fine.note, /nothing to trade/);
  });
});
