import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TransactionResult } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runObserver } from '../../src/node/observe.js';
import { paths, VALIDATOR_KEY_NAME } from '../../src/node/data-dir.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { correctnessProblem } from '../check.js';
import { drive } from '../drive.js';
import { admitted, benchNetwork, openBenchLedger, paymentOperations, setUp, setupEnvelopes, signedPayments, type BenchNetwork } from '../network.js';
import { startNode, type NodeProcess } from '../nodes.js';
import { sql } from '../postgres.js';
import { summarize, type Figures } from '../stats.js';

/** A bench network's genesis and validator key in a fresh data directory, as every node of one ledger holds them. */
function nodeDir(bench: BenchNetwork): string {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-node-'));
  KeyStore.at(dir).save(VALIDATOR_KEY_NAME, bench.network.validator);
  writeFileSync(paths(dir).genesis, JSON.stringify(bench.network.genesis));
  return dir;
}

async function readiness(url: string): Promise<{ role: string; height: number } | null> {
  try {
    return (await (await fetch(`${url}/ready`, { signal: AbortSignal.timeout(500) })).json()) as { role: string; height: number };
  } catch {
    return null;
  }
}

export interface FailoverOptions {
  rounds: number;
  accounts: number;
  seed: number;
  databaseUrl: string;
}

/**
 * Three node processes on one PostgreSQL, payments flowing through the SDK (every node's
 * URL, retries with the same id). Each round SIGKILLs the sequencer and measures the
 * time until a survivor commits the next block; the killed node then rejoins as a follower.
 */
export async function failoverScenario(options: FailoverOptions): Promise<Figures> {
  const schema = `depositum_bench_failover_${process.pid}`;
  await sql(options.databaseUrl, `CREATE SCHEMA ${schema}`);
  const databaseUrl = `${options.databaseUrl}${options.databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const bench = benchNetwork(options.accounts, Math.min(10, options.accounts));
  const dirs = [nodeDir(bench)];
  for (let i = 1; i < 3; i += 1) {
    dirs.push(mkdtempSync(join(tmpdir(), 'depositum-bench-node-')));
    cpSync(dirs[0]!, dirs[i]!, { recursive: true });
  }
  const args = ['--database-url', databaseUrl];
  const nodes: NodeProcess[] = [];
  try {
    for (const dir of dirs) nodes.push(await startNode(dir, { args }));
    const client = (signer = bench.network.signers.get('operator')!) => new DepositumClient({ url: nodes.map((node) => node.url), signer, session: true });
    const operator = client();
    for (const envelope of await setupEnvelopes(bench, '10000.00')) await operator.submitEnvelope(envelope);

    const acknowledged = new Map<string, TransactionResult>();
    const failures: string[] = [];
    let stopped = false;
    const payer = async (worker: number): Promise<void> => {
      const payments = paymentOperations(bench, 100_000, options.seed + worker);
      for (let i = 0; !stopped && i < payments.length; i += 1) {
        const { from, operation } = payments[i]!;
        try {
          const outcome = await client(bench.owners[bench.accounts[from]!.owner]!).submit([operation], { id: `failover-${worker}-${i}` });
          if (outcome.status === 'sealed') acknowledged.set(outcome.receipt.transaction, outcome.receipt.result);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, worker) => payer(worker)));

    const failoverMs: number[] = [];
    const started = performance.now();
    for (let round = 0; round < options.rounds; round += 1) {
      await sleep(1500);
      const states = await Promise.all(nodes.map((node) => readiness(node.url)));
      const victim = states.findIndex((state) => state?.role === 'sequencer');
      if (victim < 0) throw new Error('no sequencer to kill');
      const heightAtKill = Math.max(...states.map((state) => state?.height ?? 0));
      const killedAt = performance.now();
      await nodes[victim]!.kill();
      for (;;) {
        const survivors = await Promise.all(nodes.filter((_, i) => i !== victim).map((node) => readiness(node.url)));
        if (survivors.some((state) => state?.role === 'sequencer' && state.height > heightAtKill)) break;
        if (performance.now() - killedAt > 30_000) throw new Error('no takeover within 30 s');
        await sleep(10);
      }
      failoverMs.push(performance.now() - killedAt);
      nodes[victim] = await startNode(dirs[victim]!, { args });
    }
    await sleep(1000);
    stopped = true;
    await load;
    const seconds = (performance.now() - started) / 1000;
    const store = await PostgresStore.open(databaseUrl);
    const problem = (await correctnessProblem(bench.network.genesis, store, acknowledged)) ?? (failures.length > 0 ? `${failures.length} payments gave up: ${failures[0]}` : null);
    await store.close();
    return summarize({
      scenario: 'failover', ops: failoverMs.length, seconds, latenciesMs: Float64Array.from(failoverMs), cpuS: 0,
      ok: problem === null, problem, target: '< 5 s from SIGKILL to the next block', met: (_, p99) => p99 < 5000,
      note: `${options.rounds} SIGKILLs of the sequencer among 3 nodes on PostgreSQL under load (lease 2 s, renewed every 500 ms); latencies are fail-over times; ${acknowledged.size} payments acknowledged, every one on the chain once`,
    });
  } finally {
    await Promise.all(nodes.map((node) => node.kill().catch(() => undefined)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await sql(options.databaseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

export interface ObserverBenchOptions {
  payments: number;
  accounts: number;
  inFlight: number;
  seed: number;
}

/**
 * A ledger with `payments` in it, served by a node process; an auditor's observer starts
 * empty and catches up through the API, verifying every signature and replaying every
 * transaction into its own SQLite ledger.
 */
export async function observerScenario(options: ObserverBenchOptions): Promise<Figures> {
  const bench = benchNetwork(options.accounts, Math.min(100, options.accounts));
  const dir = nodeDir(bench);
  const observerDir = mkdtempSync(join(tmpdir(), 'depositum-bench-observer-'));
  let node: NodeProcess | null = null;
  try {
    const ledger = await openBenchLedger(bench, dir, { blockIntervalMs: 1 });
    await setUp(ledger, await setupEnvelopes(bench, '10000.00'));
    await drive(ledger, (await signedPayments(bench, options.payments, options.seed)).map((envelope) => admitted(ledger, envelope)), options.inFlight);
    const head = ledger.engine.head!;
    await ledger.close();
    node = await startNode(dir);
    KeyStore.at(observerDir).save('auditor', bench.network.signers.get('auditor')!);
    const { genesisHash } = await (await fetch(`${node.url}/v1/network`)).json() as { genesisHash: string };
    const observer = await runObserver({ dataDir: observerDir, upstream: node.url, as: 'auditor', genesisHash, host: '127.0.0.1', port: 0, logLevel: 'silent' }, false);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const status = await observer.observer.catchUp();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    await observer.close();
    const copy = new SqliteStore(paths(observerDir).ledger, { readonly: true });
    const copiedHead = await copy.head();
    await copy.close();
    const problem = status.alarm !== null ? `alarm: ${status.alarm.reason}` : copiedHead?.hash !== head.hash ? `observer head ${copiedHead?.hash} is not the upstream's ${head.hash}` : null;
    const transactions = options.payments;
    return summarize({
      scenario: 'observer', ops: head.header.height, seconds, latenciesMs: new Float64Array(0), cpuS: (used.user + used.system) / 1e6,
      ok: problem === null, problem, target: 'catches up (reported)', met: () => true,
      note: `blocks per second catching up from empty: ${head.header.height} blocks, ${Math.round(transactions / seconds)} payments/s verified (every signature) and replayed into the observer's own SQLite ledger`,
    });
  } finally {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(observerDir, { recursive: true, force: true });
  }
}
