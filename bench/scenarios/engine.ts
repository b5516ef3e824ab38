import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransactionResult } from '../../src/core/index.js';
import { correctnessProblem } from '../check.js';
import { benchNetwork, openBenchLedger, setUp, setupEnvelopes, signedPayments } from '../network.js';
import { summarize, type Figures } from '../stats.js';

export interface EngineOptions {
  payments: number;
  accounts: number;
  /** Transactions in flight at once: how many submitters wait on receipts together. */
  inFlight: number;
  seed: number;
}

/** Payments submitted to the ledger in process, each acknowledged once its block is durable in SQLite. */
export async function engineScenario(options: EngineOptions): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-'));
  try {
    const bench = benchNetwork(options.accounts, Math.min(100, options.accounts));
    const ledger = await openBenchLedger(bench, dir, { blockIntervalMs: 1 });
    await setUp(ledger, await setupEnvelopes(bench, '10000.00'));
    const payments = await signedPayments(bench, options.payments, options.seed);

    const latenciesMs = new Float64Array(payments.length);
    const acknowledged = new Map<string, TransactionResult>();
    let next = 0;
    const submitter = async () => {
      for (let i = next++; i < payments.length; i = next++) {
        const started = performance.now();
        const outcome = await ledger.submit(payments[i]!, true);
        latenciesMs[i] = performance.now() - started;
        if (outcome.status === 'sealed') acknowledged.set(outcome.receipt.transaction, outcome.receipt.result);
      }
    };
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: options.inFlight }, submitter));
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpu);

    const problem = await correctnessProblem(ledger.genesis, ledger.store, acknowledged);
    await ledger.close();
    if (problem !== null) console.error(`engine: CORRECTNESS CHECK FAILED: ${problem}`);
    return summarize({
      scenario: 'engine', ops: payments.length, seconds, latenciesMs, cpuS: (cpuUsed.user + cpuUsed.system) / 1e6,
      ok: problem === null && acknowledged.size === payments.length,
      target: '≥ 200,000 payments/s', met: (opsPerS) => opsPerS >= 200_000,
      note: `${options.accounts} accounts, ${options.inFlight} in flight, SQLite synchronous=FULL`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
