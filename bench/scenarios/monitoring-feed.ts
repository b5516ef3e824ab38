import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complianceModule } from '../../src/modules/compliance/index.js';
import type { Operation } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runNode } from '../../src/node/run.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { seededRandom } from '../random.js';
import { summarize, type Figures } from '../stats.js';

const OFAC = new URL('../../../shared/data/sanctions/ofac', import.meta.url).pathname;
const CLIENTS = ['acme', 'globex', 'initech'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    for (const holder of CLIENTS) await client('first-meridian').submit([{ type: 'issue', account: `${holder}-usd`, amount: '300000000.00', depositReference: `BENCH-${holder}` }]);
    await client('operator').submit([{ type: 'open_account', account: 'acme-watch', owner: 'acme', asset: 'usd-fmb' }]);
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-watch', amount: '100000.00', depositReference: 'BENCH-watch' }]);
    const monitored = async () => (await client('compliance').request<{ payments: number }>('GET', '/v1/compliance/monitoring')).payments;
    const before = await monitored();
    const random = seededRandom(options.seed);
    const files = Math.ceil(options.payments / 1000);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let patternLatencyMs = Number.NaN;
    let rejected = 0;
    for (let f = 0; f < files; f++) {
      const from = CLIENTS[f % CLIENTS.length]!;
      const payments: Operation[] = Array.from({ length: 1000 }, (_, i) => ({
        type: 'transfer', from: `${from}-usd`, to: `${CLIENTS[(f + 1 + (i % 2)) % CLIENTS.length]!}-usd`, amount: `${Math.floor(10 ** (1 + random() * 4))}.00`,
      }));
      const outcome = await client(from).submit(payments, { atomic: false });
      const result = outcome.status === 'sealed' ? outcome.receipt.result : undefined;
      rejected += result === undefined || result.status === 'rejected' ? 1000 : result.rejected?.length ?? 0;
      if (f === Math.floor(files / 2)) {
        for (const amount of ['9500.00', '9400.00', '9800.00']) await client('acme').submit([{ type: 'transfer', from: 'acme-watch', to: 'globex-usd', amount }]);
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
    return summarize({
      scenario: 'monitoring-feed', ops: total, seconds, latenciesMs: new Float64Array([patternLatencyMs]), cpuS: (cpu.user + cpu.system) / 1e6,
      ok: rejected === 0, ...(rejected > 0 && { problem: `${rejected} payments of the load were refused` }), target: '≥ 20,000 events/s, alert < 1 s', met: (opsPerS, p99) => opsPerS >= 20_000 && p99 < 1000,
      note: `${total} payments in ${files} bulk files; the ledger committed them in ${((ledgerDone - started) / 1000).toFixed(2)} s, the module had monitored them all ${((moduleDone - ledgerDone) / 1000).toFixed(2)} s later; the planted structuring alert readable ${Math.round(patternLatencyMs)} ms after its last payment committed; node and module in this process`,
    });
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
