import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complianceModule } from '../../src/modules/compliance/index.js';
import type { Operation } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runNode } from '../../src/node/run.js';
import { runStandaloneModule } from '../../src/modules/kit/standalone.js';
import pino from 'pino';
import { DepositumClient } from '../../src/sdk/index.js';
import { seededRandom } from '../random.js';
import { watchStalls } from '../stalls.js';
import { summarize, type Figures } from '../stats.js';

const OFAC = new URL('../../../shared/data/sanctions/ofac', import.meta.url).pathname;
const CLIENTS = ['acme', 'globex', 'initech'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type ClientOf = (participant: string) => DepositumClient;

/** The demo clients funded for the load, and an account of acme's own for the structuring pattern. */
async function fund(client: ClientOf): Promise<void> {
  for (const holder of CLIENTS) await client('first-meridian').submit([{ type: 'issue', account: `${holder}-usd`, amount: '300000000.00', depositReference: `BENCH-${holder}` }]);
  await client('operator').submit([{ type: 'open_account', account: 'acme-watch', owner: 'acme', asset: 'usd-fmb' }]);
  await client('first-meridian').submit([{ type: 'issue', account: 'acme-watch', amount: '100000.00', depositReference: 'BENCH-watch' }]);
}

/** The `f`th bulk file of 1,000 payments from one demo client to the two others; how many the ledger refused. */
async function submitBulkFile(client: ClientOf, f: number, random: () => number): Promise<number> {
  const from = CLIENTS[f % CLIENTS.length]!;
  const payments: Operation[] = Array.from({ length: 1000 }, (_, i) => ({
    type: 'transfer', from: `${from}-usd`, to: `${CLIENTS[(f + 1 + (i % 2)) % CLIENTS.length]!}-usd`, amount: `${Math.floor(10 ** (1 + random() * 4))}.00`,
  }));
  const outcome = await client(from).submit(payments, { atomic: false });
  const result = outcome.status === 'sealed' ? outcome.receipt.result : undefined;
  return result === undefined || result.status === 'rejected' ? 1000 : result.rejected?.length ?? 0;
}

/** Three payments just under USD 10,000 out of acme-watch: a structuring alert. */
async function submitStructuring(client: ClientOf): Promise<void> {
  for (const amount of ['9500.00', '9400.00', '9800.00']) await client('acme').submit([{ type: 'transfer', from: 'acme-watch', to: 'globex-usd', amount }]);
}

/**
 * The compliance module following a loaded ledger, end to end: a demo node with the module
 * in its process; the three demo clients send bulk files of 1,000 payments to each other
 * (`payments` in all) as fast as the node takes them; halfway, a structuring pattern from an
 * account of its own. Figures: payments the module has monitored per second, from the first
 * submission until it has recorded the last one (ops/s); how far behind the ledger it
 * finished; and the alert's latency, from the pattern's last commit until the alert could
 * be read (p50 = that one latency).
 */
export async function monitoringFeedScenario(options: { payments: number; seed: number }): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-monitoring-'));
  const node = await runNode({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, logLevel: process.env['DEPOSITUM_BENCH_LOG'] === '1' ? 'warn' : 'silent', modules: [complianceModule({ lists: [OFAC] })], moduleRunner: { pollMs: 5 } });
  try {
    const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir).load(participant), session: true });
    await fund(client);
    const monitored = async () => (await client('compliance').request<{ payments: number }>('GET', '/v1/compliance/monitoring')).payments;
    const before = await monitored();
    const random = seededRandom(options.seed);
    const files = Math.ceil(options.payments / 1000);
    const stalls = await watchStalls();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let patternLatencyMs = Number.NaN;
    let rejected = 0;
    for (let f = 0; f < files; f++) {
      rejected += await submitBulkFile(client, f, random);
      if (f === Math.floor(files / 2)) {
        await submitStructuring(client);
        const committedAt = performance.now();
        const watch = client('compliance');
        void (async () => {
          for (;;) {
            const { data } = await watch.request<{ data: unknown[] }>('GET', '/v1/compliance/alerts?rule=structuring&subject=acme-watch');
            if (data.length > 0) return void (patternLatencyMs = performance.now() - committedAt);
            await sleep(5);
          }
        })();
      }
    }
    const ledgerDone = performance.now();
    const total = files * 1000 + 3 - rejected;
    while (await monitored() - before < total) await sleep(20);
    const moduleDone = performance.now();
    while (Number.isNaN(patternLatencyMs)) await sleep(5);
    const seconds = (moduleDone - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const heldMs = await stalls.stop();
    return summarize({
      scenario: 'monitoring-feed', ops: total, seconds, latenciesMs: new Float64Array([patternLatencyMs]), cpuS: (cpu.user + cpu.system) / 1e6,
      ok: rejected === 0, ...(rejected > 0 && { problem: `${rejected} payments of the load were refused` }),
      target: 'alert < 1 s, done ≤ 1 s after the ledger', met: (_opsPerS, p99) => p99 < 1000 && moduleDone - ledgerDone <= 1000,
      note: `${total} payments in ${files} bulk files; the ledger committed them in ${((ledgerDone - started) / 1000).toFixed(2)} s, the module had monitored them all ${((moduleDone - ledgerDone) / 1000).toFixed(2)} s later; the planted structuring alert readable ${Math.round(patternLatencyMs)} ms after its last payment committed; node and module in this process, its event loop held at most ${heldMs.toFixed(0)} ms at a time`,
    });
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The compliance module's own pace on the feed: a demo node loaded with `payments`
 * payments in bulk files (a structuring pattern halfway) while no module follows it; then
 * the module starts as its own process would (its own database, signed as compliance,
 * reading the node's feed over HTTP, in this process) and catches up from the start of the
 * feed. Figures: payments monitored per second from its start until it has recorded the
 * last one (ops/s); the check: the planted alert is raised.
 */
export async function monitoringCatchUpScenario(options: { payments: number; seed: number }): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-catchup-'));
  const node = await runNode({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
  try {
    const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir).load(participant), session: true });
    await fund(client);
    const random = seededRandom(options.seed);
    const files = Math.ceil(options.payments / 1000);
    let rejected = 0;
    for (let f = 0; f < files; f++) {
      rejected += await submitBulkFile(client, f, random);
      if (f === Math.floor(files / 2)) await submitStructuring(client);
    }
    const total = files * 1000 + 3 - rejected;
    const cpuStarted = process.cpuUsage();
    const loading = performance.now();
    // Its lists are read when the module is made, in one synchronous run (as when a node starts with it).
    const compliance = complianceModule({ lists: [OFAC] });
    const listsMs = performance.now() - loading;
    const stalls = await watchStalls();
    const started = performance.now();
    const module = await runStandaloneModule({
      module: compliance, client: client('compliance'), database: { sqlite: join(dir, 'compliance.sqlite') },
      host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), runner: { pollMs: 5 },
    });
    try {
      const desk = new DepositumClient({ url: module.url, signer: KeyStore.at(dir).load('compliance') });
      const ready = performance.now();
      // Asked ten times a second: each answer counts the module's table, work the module would otherwise do.
      while ((await desk.request<{ payments: number }>('GET', '/v1/compliance/monitoring')).payments < total) await sleep(100);
      const done = performance.now();
      const seconds = (done - ready) / 1000;
      const cpu = process.cpuUsage(cpuStarted);
      const heldMs = await stalls.stop();
      const { data } = await desk.request<{ data: unknown[] }>('GET', '/v1/compliance/alerts?rule=structuring&subject=acme-watch');
      const problem = rejected > 0 ? `${rejected} payments of the load were refused` : data.length !== 1 ? `the planted structuring pattern raised ${data.length} alerts, not 1` : null;
      return summarize({
        scenario: 'monitoring-catchup', ops: total, seconds, latenciesMs: new Float64Array([(done - ready) / total]), cpuS: (cpu.user + cpu.system) / 1e6,
        ok: problem === null, problem, target: '≥ 20,000 events/s', met: (opsPerS) => opsPerS >= 20_000,
        note: `${total} payments on the feed before the module started; it loaded its lists in ${(listsMs / 1000).toFixed(2)} s (holding the event loop that long, once), was following ${((ready - started) / 1000).toFixed(2)} s later, then monitored them all in ${seconds.toFixed(2)} s (pages of 500, one commit each; p50 is the mean time per payment), the event loop held at most ${heldMs.toFixed(0)} ms at a time; node and module in this process`,
      });
    } finally {
      await module.close();
    }
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
