import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { engineScenario } from './scenarios/engine.js';
import { httpScenario } from './scenarios/http.js';
import type { Figures } from './stats.js';

/**
 * `npm run bench [-- --scenario engine,http --payments N --accounts N --clients N --seed N --smoke]`
 * Prints a table and writes one JSON object per scenario to bench/results/latest.jsonl.
 */
const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'engine,http' },
    payments: { type: 'string' },
    accounts: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '64' },
    'in-flight': { type: 'string', default: '4096' },
    seed: { type: 'string', default: '42' },
    smoke: { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
  },
});

const smoke = values.smoke === true;
const seed = Number(values.seed);
const accounts = smoke ? 200 : Number(values.accounts);
const paymentsFor = (full: number) => (values.payments !== undefined ? Number(values.payments) : smoke ? 500 : full);

const SCENARIOS: Record<string, () => Promise<Figures>> = {
  engine: () => engineScenario({ payments: paymentsFor(50_000), accounts, inFlight: Number(values['in-flight']), seed }),
  http: () => httpScenario({ payments: paymentsFor(20_000), accounts, clients: Number(values.clients), seed, ...(values['profile-dir'] !== undefined && { profileDir: values['profile-dir'] }) }),
};

const results: Figures[] = [];
for (const name of (values.scenario ?? '').split(',')) {
  const scenario = SCENARIOS[name];
  if (scenario === undefined) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  console.error(`running ${name}…`);
  results.push(await scenario());
}

const header = ['scenario', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'rss MB', 'cpu s', 'ok', 'target', 'met'];
const rows = results.map((r) => [r.scenario, String(r.ops), String(r.ops_per_s), String(r.p50_ms), String(r.p99_ms), String(r.max_ms), String(r.rss_mb), String(r.cpu_s), r.ok ? 'yes' : 'NO', r.target, r.met ? 'yes' : 'no']);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
console.log(`Depositum benchmark — ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}${smoke ? ' (smoke)' : ''}`);
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
for (const r of results) if (r.note !== undefined) console.log(`  ${r.scenario}: ${r.note}`);

mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/latest.jsonl', import.meta.url), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
if (results.some((r) => !r.ok)) {
  console.error('a correctness check FAILED');
  process.exitCode = 1;
}
