import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { TransactionResult } from '../src/core/index.js';
import type { AdmittedTransaction } from '../src/node/engine.js';
import type { Ledger } from '../src/node/ledger.js';

export interface Driven {
  seconds: number;
  cpuS: number;
  latenciesMs: Float64Array;
  acknowledged: Map<string, TransactionResult>;
}

/**
 * Closed loop in process: `inFlight` submitters each hand the sequencer one admitted
 * transaction and wait for its durable receipt before taking the next.
 */
export async function drive(ledger: Ledger, transactions: readonly AdmittedTransaction[], inFlight: number): Promise<Driven> {
  const latenciesMs = new Float64Array(transactions.length);
  const acknowledged = new Map<string, TransactionResult>();
  let next = 0;
  const submitter = async () => {
    for (let i = next++; i < transactions.length; i = next++) {
      const started = performance.now();
      const { block, position } = await ledger.sequencer.enqueue(transactions[i]!);
      latenciesMs[i] = performance.now() - started;
      const tx = block.transactions[position]!;
      acknowledged.set(tx.hash, tx.result);
    }
  };
  const profiler = await windowProfiler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, transactions.length) }, submitter));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await profiler?.();
  return { seconds, cpuS: (used.user + used.system) / 1e6, latenciesMs, acknowledged };
}

/**
 * With DEPOSITUM_BENCH_PROFILE_DIR set, a CPU profile of the timed window alone (not the
 * setup, nor the final check), written there; the stop function writes it.
 */
export async function windowProfiler(): Promise<(() => Promise<void>) | null> {
  const dir = process.env.DEPOSITUM_BENCH_PROFILE_DIR;
  if (dir === undefined) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `window-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
