import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
// Each scenario's module is imported when it runs: a child process loads only its own (the
// node, Fastify, the banking reader's WASM, the sanctions lists are seconds of start-up each).
const inProcess = () => import('./scenarios/inprocess.js');
const cluster = () => import('./scenarios/cluster.js');
const http = () => import('./scenarios/http.js');
const banking = () => import('./scenarios/banking.js');
const monitoringFeed = () => import('./scenarios/monitoring-feed.js');
const reserves = () => import('./scenarios/reserves.js');
const trade = () => import('./scenarios/trade.js');
const instructions = () => import('./scenarios/instructions.js');
const hashing = () => import('./scenarios/hashing.js');
const moduleQueries = () => import('./scenarios/module-queries.js');
const screening = () => import('./scenarios/screening.js');
const monitoring = () => import('./scenarios/monitoring.js');
import { RESULT_PREFIX, runChild } from './child.js';
import type { Figures } from './stats.js';

/**
 * `npm run bench [-- --scenario a,b --payments N --accounts N --clients N --in-flight N --seed N --offered N --rounds N --smoke --profile-dir DIR]`
 * `npm run bench -- --baseline REF [--pairs N] --scenario a,b`: the scenarios alternately on this tree and on REF (built
 * in a temporary worktree), printing medians and their ratio.
 * Runs each scenario in a fresh child process (so its memory and CPU figures are its own),
 * prints a table and writes one JSON object per scenario to bench/results/latest.jsonl.
 */
const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'engine,http,gateway,contention,holds,conditional,settlement-2,settlement-4,instructions,banking-credits,banking-backlog,banking-credits-apart,banking-backlog-apart,banking-reconcile,screening,monitoring,monitoring-feed,monitoring-catchup,reserves,reserves-stress,trade,trade-http,recovery,memory,latency,postgres,failover,observer,hashing,module-queries' },
    rounds: { type: 'string' },
    'database-url': { type: 'string', default: process.env.DEPOSITUM_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    payments: { type: 'string' },
    accounts: { type: 'string' },
    clients: { type: 'string', default: '64' },
    'in-flight': { type: 'string', default: '8192' },
    seed: { type: 'string', default: '42' },
    smoke: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    offered: { type: 'string', default: '5000' },
    baseline: { type: 'string' },
    pairs: { type: 'string', default: '3' },
    child: { type: 'string' },
  },
});

const smoke = values.smoke === true;
const seed = Number(values.seed);
const inFlight = Number(values['in-flight']);
const clients = Number(values.clients);
const profile = values['profile-dir'] === undefined ? {} : { profileDir: values['profile-dir'] };

/** Full and smoke sizes: [payments, accounts]. */
const SIZES: Record<string, [number, number, number, number]> = {
  engine: [100_000, 10_000, 300, 100],
  http: [20_000, 10_000, 300, 100],
  gateway: [100_000, 10_000, 2_000, 100],
  contention: [100_000, 10_000, 300, 100],
  holds: [60_000, 10_000, 300, 100],
  conditional: [30_000, 10_000, 300, 100],
  'settlement-2': [30_000, 10_000, 300, 100],
  'settlement-4': [20_000, 10_000, 300, 100],
  instructions: [100_000, 10_000, 300, 100],
  'banking-credits': [20_000, 0, 200, 0],
  'banking-backlog': [20_000, 0, 200, 0],
  'banking-credits-apart': [20_000, 0, 200, 0],
  'banking-backlog-apart': [20_000, 0, 200, 0],
  'banking-reconcile': [100_000, 0, 500, 0],
  screening: [20_000, 0, 500, 0],
  monitoring: [200_000, 10_000, 2_000, 100],
  'monitoring-feed': [20_000, 0, 2_000, 0],
  'monitoring-catchup': [100_000, 0, 2_000, 0],
  reserves: [50_000, 10_000, 500, 10_000],
  'reserves-stress': [20, 10_000, 2, 10_000],
  trade: [20_000, 0, 200, 0],
  'trade-http': [2_000, 0, 50, 0],
  recovery: [1_000_000, 10_000, 1_000, 100],
  memory: [50_000, 1_000_000, 300, 2_000],
  latency: [25_000, 10_000, 300, 100],
  postgres: [100_000, 10_000, 300, 100],
  observer: [50_000, 10_000, 300, 100],
  hashing: [200_000, 0, 1_000, 0],
  'module-queries': [20_000, 0, 500, 0],
};

function sized(name: string): { payments: number; accounts: number } {
  const [payments, accounts, smokePayments, smokeAccounts] = SIZES[name]!;
  return {
    payments: values.payments !== undefined ? Number(values.payments) : smoke ? smokePayments : payments,
    accounts: values.accounts !== undefined ? Number(values.accounts) : smoke ? smokeAccounts : accounts,
  };
}

const SCENARIOS: Record<string, () => Promise<Figures>> = {
  engine: async () => (await inProcess()).engineScenario({ ...sized('engine'), inFlight, seed }),
  http: async () => (await http()).httpScenario({ ...sized('http'), clients, seed, ...profile }),
  gateway: async () => (await http()).gatewayScenario({ ...sized('gateway'), clients, seed, ...profile }),
  contention: async () => (await inProcess()).contentionScenario({ ...sized('contention'), inFlight, seed }),
  holds: async () => (await inProcess()).holdsScenario({ ...sized('holds'), inFlight, seed }),
  conditional: async () => (await inProcess()).conditionalScenario({ ...sized('conditional'), inFlight, seed }),
  'settlement-2': async () => (await inProcess()).settlementScenario({ ...sized('settlement-2'), inFlight, seed, legs: 2 }),
  'settlement-4': async () => (await inProcess()).settlementScenario({ ...sized('settlement-4'), inFlight, seed, legs: 4 }),
  instructions: async () => (await instructions()).instructionsScenario({ ...sized('instructions'), inFlight, seed }),
  'banking-credits': async () => (await banking()).bankingCreditsScenario({ credits: sized('banking-credits').payments, ...profile }),
  'banking-backlog': async () => (await banking()).bankingCreditsScenario({ credits: sized('banking-backlog').payments, backlog: true, ...profile }),
  'banking-credits-apart': async () => (await banking()).bankingCreditsScenario({ credits: sized('banking-credits-apart').payments, apart: true, ...profile }),
  'banking-backlog-apart': async () => (await banking()).bankingCreditsScenario({ credits: sized('banking-backlog-apart').payments, backlog: true, apart: true, ...profile }),
  'banking-reconcile': async () => (await banking()).bankingReconcileScenario({ entries: sized('banking-reconcile').payments }),
  screening: async () => (await screening()).screeningScenario({ names: sized('screening').payments, seed }),
  monitoring: async () => (await monitoring()).monitoringScenario({ ...sized('monitoring'), seed }),
  'monitoring-feed': async () => (await monitoringFeed()).monitoringFeedScenario({ payments: sized('monitoring-feed').payments, seed }),
  'monitoring-catchup': async () => (await monitoringFeed()).monitoringCatchUpScenario({ payments: sized('monitoring-catchup').payments, seed }),
  reserves: async () => (await reserves()).reservesScenario({ mints: sized('reserves').payments, holdings: sized('reserves').accounts, inFlight, seed }),
  trade: async () => (await trade()).tradeScenario({ trades: sized('trade').payments, inFlight }),
  'trade-http': async () => (await trade()).tradeHttpScenario({ trades: sized('trade-http').payments, clients: 16 }),
  'reserves-stress': async () => (await reserves()).reservesStressScenario({ rounds: sized('reserves-stress').payments, holdings: sized('reserves-stress').accounts, seed }),
  recovery: async () => (await inProcess()).recoveryScenario({ ...sized('recovery'), inFlight, seed }),
  memory: async () => (await inProcess()).memoryScenario({ ...sized('memory'), inFlight, seed }),
  postgres: async () => (await inProcess()).postgresScenario({ ...sized('postgres'), inFlight, seed, databaseUrl: values['database-url'] ?? '' }),
  failover: async () => (await cluster()).failoverScenario({ rounds: values.rounds !== undefined ? Number(values.rounds) : smoke ? 1 : 5, accounts: 100, seed, databaseUrl: values['database-url'] ?? '' }),
  observer: async () => (await cluster()).observerScenario({ ...sized('observer'), inFlight: 512, seed }),
  hashing: async () => (await hashing()).hashingScenario({ leaves: sized('hashing').payments, rounds: smoke ? 1 : 7 }),
  'module-queries': async () => (await moduleQueries()).moduleQueriesScenario({ lookups: sized('module-queries').payments, rounds: smoke ? 1 : 5 }),
  latency: async () => (await http()).latencyScenario({ ...sized('latency'), clients, seed, offeredPerS: Number(values.offered), ...profile }),
};

/** Runs one scenario in a child process and reads its figures back. */
function inChild(name: string): Promise<Figures> {
  const args = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--scenario') && all[i - 1] !== '--scenario');
  return runChild([...process.execArgv, '--expose-gc', new URL(import.meta.url).pathname, ...args, '--child', name], { label: `scenario ${name}` });
}

if (values.baseline !== undefined) {
  const { compare, prepareBaseline, printComparison } = await import('./baseline.js');
  const baseline = prepareBaseline(values.baseline);
  try {
    const args = process.argv.slice(2).filter((arg, i, all) => !/^--(baseline|pairs|scenario)$/.test(arg) && !/^--(baseline|pairs|scenario)$/.test(all[i - 1] ?? ''));
    const scenarios = (values.scenario ?? '').split(',');
    printComparison(baseline, await compare(baseline, scenarios, Number(values.pairs), args));
  } finally {
    baseline.remove();
  }
} else if (values.child !== undefined) {
  const scenario = SCENARIOS[values.child];
  if (scenario === undefined) throw new Error(`unknown scenario ${values.child}`);
  console.log(RESULT_PREFIX + JSON.stringify(await scenario()));
} else {
  const results: Figures[] = [];
  for (const name of (values.scenario ?? '').split(',')) {
    if (SCENARIOS[name] === undefined) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    console.error(`running ${name}…`);
    results.push(await inChild(name));
  }
  const engine = results.find((r) => r.scenario === 'engine');
  for (const r of results) if (r.scenario === 'contention' && engine !== undefined) r.met = r.ok && r.ops_per_s >= 0.8 * engine.ops_per_s;

  const header = ['scenario', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'rss MB', 'cpu s', 'ok', 'target', 'met'];
  const rows = results.map((r) => [r.scenario, String(r.ops), String(r.ops_per_s), String(r.p50_ms), String(r.p99_ms), String(r.max_ms), String(r.rss_mb), String(r.cpu_s), r.ok ? 'yes' : 'NO', r.target, r.met ? 'yes' : 'no']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(`Depositum benchmark — ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}${smoke ? ' (smoke: correctness only)' : ''}`);
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  for (const r of results) console.log(`  ${r.scenario}: ${r.note ?? ''}${r.offered_per_s === undefined ? '' : ` (offered ${r.offered_per_s}/s)`}${r.problem === undefined ? '' : ` — CHECK FAILED: ${r.problem}`}`);

  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('results/latest.jsonl', import.meta.url), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  if (results.some((r) => !r.ok)) {
    console.error('a correctness check FAILED');
    process.exitCode = 1;
  }
}
