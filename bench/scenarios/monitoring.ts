import { Monitor } from '../../src/modules/compliance/monitoring/monitor.js';
import type { Payment } from '../../src/modules/compliance/monitoring/payment.js';
import { DEFAULT_MONITORING } from '../../src/modules/compliance/monitoring/settings.js';
import { seededRandom } from '../random.js';
import { summarize, type Figures } from '../stats.js';

/**
 * The monitor's own pace: `payments` payments among `accounts` accounts, 5 ms of block time
 * apart (200 payments a second of ledger time, so the 72-hour graph holds all of them),
 * amounts drawn from a skewed distribution, with a structuring pattern and a three-account
 * cycle (each hop passing on most of the last) planted every 1,000 payments. Every payment goes through every rule and typology;
 * each is timed. The check: every planted pattern is raised.
 */
export function monitoringScenario(options: { payments: number; accounts: number; seed: number }): Figures {
  const random = seededRandom(options.seed);
  const monitor = new Monitor(DEFAULT_MONITORING);
  const t0 = Date.UTC(2026, 10, 2);
  const account = () => `acct-${Math.floor(random() ** 2 * options.accounts)}`;
  let position = 0;
  const make = (from: string, to: string, cents: bigint): Payment => {
    position++;
    return { position: `${position}:1:0`, timeMs: t0 + position * 5, transaction: null, from, to, asset: 'usd-fmb', currency: 'USD', decimals: 2, amount: cents };
  };
  const stream: Payment[] = [];
  let planted = 0;
  while (stream.length < options.payments) {
    if (stream.length % 1_000 === 999) {
      planted++;
      const [a, b, c] = [`ring-${planted}-a`, `ring-${planted}-b`, `ring-${planted}-c`];
      stream.push(make(a, b, 950_000n), make(a, c, 940_000n), make(a, b, 980_000n), make(b, c, 950_000n), make(c, a, 930_000n));
      continue;
    }
    const from = account();
    let to = account();
    if (to === from) to = `${to}-x`;
    stream.push(make(from, to, BigInt(Math.floor(10 ** (2 + random() * 5)))));
  }
  const latencies = new Float64Array(stream.length);
  const rules = new Map<string, number>();
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < stream.length; i++) {
    const t = performance.now();
    for (const alert of monitor.observe(stream[i]!)) rules.set(alert.rule, (rules.get(alert.rule) ?? 0) + 1);
    latencies[i] = performance.now() - t;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const missing = ['structuring', 'cycle'].filter((rule) => (rules.get(rule) ?? 0) < planted);
  const problem = missing.length === 0 ? null : `planted ${planted} of each pattern; raised ${missing.map((rule) => `${rule} ${rules.get(rule) ?? 0}`).join(', ')}`;
  return summarize({
    scenario: 'monitoring', ops: stream.length, seconds, latenciesMs: latencies, cpuS: (cpu.user + cpu.system) / 1e6,
    ok: problem === null, problem, target: '≥ 20,000 events/s', met: (opsPerS) => opsPerS >= 20_000,
    note: `${stream.length} payments among ${options.accounts} accounts through every rule and typology; graph ${monitor.graphSize.accounts} accounts, ${monitor.graphSize.pairs} payer-payee pairs, ${monitor.graphSize.payments} payments; alerts ${[...rules].map(([rule, n]) => `${rule} ${n}`).join(', ')}`,
  });
}
