import { newSalt, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import type { Operation } from '../../src/core/index.js';
import { levelAt } from '../../src/modules/reserves/assess.js';
import { HOLDING_CLASSES, type Holding, type HoldingClass } from '../../src/modules/reserves/holdings.js';
import { fromAssetMinor } from '../../src/modules/reserves/money.js';
import { totalsOf, valueRegister } from '../../src/modules/reserves/portfolio.js';
import { HK_PROFILE } from '../../src/modules/reserves/profiles.js';
import { checkRules } from '../../src/modules/reserves/rules.js';
import { defaultScenarios, runScenario, type Scenario } from '../../src/modules/reserves/stress.js';
import { drive } from '../drive.js';
import { seededRandom } from '../random.js';
import { admitted } from '../network.js';
import { summarize, type Figures } from '../stats.js';
import { withLedger } from './inprocess.js';

const AS_OF_MS = Date.parse('2026-12-04T00:00:00Z');
const ELIGIBLE: readonly HoldingClass[] = ['cash', 'tbill', 'deposit', 'commercial_paper', 'sovereign_bond', 'mmf', 'repo'];

/** A register of `count` holdings of every class, currency, maturity and custodian (a few ineligible), about HKD 1 billion in all. */
export function syntheticRegister(count: number, seed: number): Holding[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, i): Holding => {
    const kind = i % 97 === 0 ? 'corporate_bond' : ELIGIBLE[Math.floor(next() * ELIGIBLE.length)]!;
    const value = BigInt(50_000 + Math.floor(next() * 150_000)) * 10_000n;
    const days = 1 + Math.floor(next() * 400);
    return {
      instrumentId: `BENCH-${String(i).padStart(6, '0')}`, class: kind, issuer: `Issuer ${i % 400}`, isin: null, currency: i % 5 === 0 ? 'USD' : 'HKD',
      nominal: value, marketValue: value, maturityDate: kind === 'cash' || kind === 'deposit' || kind === 'mmf' ? null : new Date(AS_OF_MS + days * 86_400_000).toISOString().slice(0, 10),
      rating: ['AAA', 'AA+', 'AA', 'A+'][i % 4]!, custodian: `Custodian ${i % 12}`, custodianJurisdiction: ['HK', 'SG', 'GB', 'US'][i % 4]!, purpose: 'reserve', custody: null,
    };
  });
}

const RATES = new Map([['USD', 778_120_000n]]);

/**
 * The early warning beside the engine at full rate: `mints` mint transactions of the HKD
 * stablecoin, each a supply change, committed durably while minting is throttled (every
 * issue checks the capped allowance), and the watch's work per supply change on a register
 * of 10,000 holdings (the register is valued once per import; a supply change sets two
 * ratios against the totals). The check: every mint committed, and the coverage the watch
 * computed for the last supply equals the full rules' coverage.
 */
export async function reservesScenario(options: { mints: number; holdings: number; inFlight: number; seed: number }): Promise<Figures> {
  return withLedger(100, 10, async (bench, ledger) => {
    const { network } = bench;
    const validUntilMs = Date.now() + 3_600_000;
    const sign = (sender: string, id: string, operations: Operation[]): Promise<TransactionEnvelope> =>
      signTransaction({ network: network.genesis.network, id, sender, validUntilMs, operations, salt: newSalt() }, [network.signers.get(sender)!]);
    await ledger.sequencer.enqueue(admitted(ledger, await sign('reserves', 'bench-throttle', [{ type: 'throttle_minting', asset: 'hkd-hsi', ceiling: '900000000.00', reason: 'bench' }])));
    const holders = ['acme-hkd', 'globex-hkd', 'initech-hkd'];
    const mints = await Promise.all(Array.from({ length: options.mints }, (_, i) => sign('harbour-stable', `bench-mint-${i}`, [{ type: 'issue', account: holders[i % holders.length]!, amount: '10.00', depositReference: `BENCH-${i}` }])));
    const run = await drive(ledger, mints.map((envelope) => admitted(ledger, envelope)), options.inFlight);
    const committed = [...run.acknowledged.values()].filter((result) => result.status === 'committed').length;

    // The watch: the register valued once, then every supply change of the run against it.
    const register = syntheticRegister(options.holdings, options.seed);
    const valuedAt = performance.now();
    const totals = totalsOf(valueRegister(register, HK_PROFILE, { currency: 'HKD', asOfMs: AS_OF_MS, rates: RATES }), 'HKD');
    const valuationMs = performance.now() - valuedAt;
    const supplyMinor = ledger.state.assets.get('hkd-hsi')!.issuedMinor;
    const lookedAt = performance.now();
    let last = levelAt(totals, 0n, HK_PROFILE);
    for (let i = 1; i <= options.mints; i += 1) last = levelAt(totals, fromAssetMinor(BigInt(i) * 1_000n, 2), HK_PROFILE);
    const perChangeUs = ((performance.now() - lookedAt) * 1000) / options.mints;
    const rules = checkRules(totals, fromAssetMinor(supplyMinor, 2), HK_PROFILE);
    const same = rules.find((r) => r.rule === 'coverage')!.valueBp === last.coverageBp;
    await ledger.close();
    const problem = committed !== options.mints ? `${options.mints - committed} mints not committed` : !same ? 'the watch and the rules disagree on coverage' : null;
    return summarize({
      scenario: 'reserves', ops: options.mints, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: run.cpuS, ok: problem === null, problem,
      // The watch is off the engine's path (it follows the feed a page at a time); it keeps up if it checks supply changes faster than the engine could ever make them.
      target: 'the check keeps up: ≥ 200,000 supply changes/s and ≥ the mint rate', met: (opsPerS) => 1e6 / perChangeUs >= Math.max(200_000, opsPerS),
      note: `mints of the HKD stablecoin while throttled, ${options.inFlight} in flight; the watch: ${options.holdings} holdings valued in ${valuationMs.toFixed(1)} ms once per import, then ${perChangeUs.toFixed(3)} µs per supply change (${Math.round(1e6 / perChangeUs).toLocaleString('en-US')} changes/s on one core), ${(perChangeUs * options.mints / 1000).toFixed(1)} ms for the whole run`,
    });
  });
}

/** The four default stress scenarios and two custom ones over a register of `holdings` holdings, each run timed. */
export function reservesStressScenario(options: { holdings: number; rounds: number; seed: number }): Figures {
  const register = syntheticRegister(options.holdings, options.seed);
  const supply = 9_000_000_000_000n;
  const custom: Scenario[] = [
    { name: 'rates-shock', description: 'bills and bonds −8%, paper −12%, a 40% run', haircutsBp: { tbill: 800, sovereign_bond: 800, commercial_paper: 1_200 }, runShareBp: 4_000 },
    { name: 'two-freezes', description: 'HK and SG frozen', frozenJurisdictions: ['HK', 'SG'] },
  ];
  const latencies = new Float64Array(options.rounds);
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  let breaches = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    const t = performance.now();
    const valued = valueRegister(register, HK_PROFILE, { currency: 'HKD', asOfMs: AS_OF_MS, rates: RATES });
    for (const scenario of [...defaultScenarios(valued), ...custom]) if (runScenario(valued, supply, HK_PROFILE, 'HKD', scenario).firstBreach !== null) breaches += 1;
    latencies[round] = performance.now() - t;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return summarize({
    scenario: 'reserves-stress', ops: options.rounds, seconds, latenciesMs: latencies, cpuS: (cpu.user + cpu.system) / 1e6, ok: breaches > 0, problem: breaches > 0 ? null : 'no scenario broke a rule: the register is not what it should be',
    target: 'a stress run over 10,000 holdings < 1 s', met: (_ops, p99) => p99 < 1000,
    note: `each round values ${options.holdings} holdings (${HOLDING_CLASSES.length} classes, HKD and USD) and runs 6 scenarios (market, run, operational, legal, two custom); p99 is one round`,
  });
}
