import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { signedRequestHeaders, type LocalSigner, type Receipt, type TransactionEnvelope } from '../../src/chain/index.js';
import type { TransactionResult } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { paths, VALIDATOR_KEY_NAME } from '../../src/node/data-dir.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { correctnessProblem } from '../check.js';
import { startNode } from '../nodes.js';
import { benchNetwork, gatewayFiles, setupEnvelopes, signedPayments, type BenchNetwork } from '../network.js';
import { watchStallsAt } from '../stalls.js';
import { summarize, type Figures } from '../stats.js';

export interface HttpOptions {
  payments: number;
  accounts: number;
  clients: number;
  seed: number;
  /** Open loop: the rate offered, in transactions per second. */
  offeredPerS?: number;
  /** Where the node process writes a CPU profile (.cpuprofile), if anywhere. */
  profileDir?: string;
}

/** A submission encoded in advance, so the timed window only sends. */
interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

function signedHeaders(signer: LocalSigner, path: string, body: string): Promise<Record<string, string>> {
  return signedRequestHeaders(signer, 'POST', path, body);
}

async function post(pool: Pool, request: PreparedRequest): Promise<Receipt> {
  const response = await pool.request({ method: 'POST', path: '/v1/transactions', headers: request.headers, body: request.body });
  const payload = (await response.body.json()) as { receipt?: Receipt; error?: { code: string } };
  if (response.statusCode !== 200 || payload.receipt === undefined) throw new Error(`submission failed: HTTP ${response.statusCode} ${payload.error?.code ?? ''}`);
  return payload.receipt;
}

interface Served {
  bench: BenchNetwork;
  url: string;
  pool: Pool;
  /** A bearer token per participant, as a busy client holds one (one Ed25519 check per sign-in, not per request). */
  session(signer: LocalSigner): Promise<Record<string, string>>;
}

/** Runs `load` against a fresh node with a funded bench network, then checks the chain it left. */
async function withNode(options: HttpOptions, load: (served: Served) => Promise<Map<string, TransactionResult>>): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-http-'));
  try {
    const bench = benchNetwork(options.accounts, Math.min(100, options.accounts));
    KeyStore.at(dir).save(VALIDATOR_KEY_NAME, bench.network.validator);
    writeFileSync(paths(dir).genesis, JSON.stringify(bench.network.genesis));
    const node = await startNode(dir, options.profileDir === undefined ? {} : { profileDir: options.profileDir });
    const pool = new Pool(node.url, { connections: options.clients, pipelining: 1 });
    let acknowledged: Map<string, TransactionResult>;
    try {
      const operator = bench.network.signers.get('operator')!;
      for (const envelope of await setupEnvelopes(bench, '10000.00')) {
        const body = JSON.stringify(envelope);
        await post(pool, { body, headers: { 'content-type': 'application/json', ...(await signedHeaders(operator, '/v1/transactions', body)) } });
      }
      const session = async (signer: LocalSigner) => {
        const response = await pool.request({ method: 'POST', path: '/v1/sessions', headers: await signedHeaders(signer, '/v1/sessions', '') });
        const { token } = (await response.body.json()) as { token: string };
        return { authorization: `Bearer ${token}` };
      };
      acknowledged = await load({ bench, url: node.url, pool, session });
    } finally {
      await pool.close();
      await node.stop();
    }
    const store = new SqliteStore(paths(dir).ledger);
    const problem = await correctnessProblem(bench.network.genesis, store, acknowledged);
    await store.close();
    return problem;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function prepareAll(served: Served, envelopes: TransactionEnvelope[], signerOf: (envelope: TransactionEnvelope) => LocalSigner): Promise<PreparedRequest[]> {
  const tokens = new Map<string, Record<string, string>>();
  for (const envelope of envelopes) {
    const signer = signerOf(envelope);
    if (!tokens.has(signer.participant)) tokens.set(signer.participant, await served.session(signer));
  }
  return envelopes.map((envelope) => ({ body: JSON.stringify(envelope), headers: { 'content-type': 'application/json', ...tokens.get(signerOf(envelope).participant)! } }));
}

/** Closed loop: `clients` connections, each sending the next request when its receipt arrives. */
async function closedLoop(pool: Pool, requests: PreparedRequest[], clients: number) {
  const latenciesMs = new Float64Array(requests.length);
  const acknowledged = new Map<string, TransactionResult>();
  let next = 0;
  const client = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const started = performance.now();
      const receipt = await post(pool, requests[i]!);
      latenciesMs[i] = performance.now() - started;
      acknowledged.set(receipt.transaction, receipt.result);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6, latenciesMs, acknowledged };
}

/** One payment per transaction, each signed by its payer's key and verified by the node. */
export async function httpScenario(options: HttpOptions): Promise<Figures> {
  let figures: Figures | null = null;
  const problem = await withNode(options, async (served) => {
    const owners = new Map(served.bench.owners.map((owner) => [owner.participant, owner]));
    const envelopes = await signedPayments(served.bench, options.payments, options.seed);
    const requests = await prepareAll(served, envelopes, (e) => owners.get(e.body.sender)!);
    const stalls = await watchStallsAt(served.url);
    const run = await closedLoop(served.pool, requests, options.clients);
    const heldMs = await stalls.stop();
    figures = summarize({
      scenario: 'http', ops: requests.length, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: run.cpuS, ok: run.acknowledged.size === requests.length,
      target: '≥ 10,000 tx/s, p99 < 50 ms', met: (opsPerS, p99) => opsPerS >= 10_000 && p99 < 50,
      note: `${options.clients} clients with bearer sessions, node in its own process with signature workers, its event loop held at most ${heldMs.toFixed(0)} ms at a time; cpu_s and rss_mb are the load generator's`,
    });
    return run.acknowledged;
  });
  return finish(figures, problem);
}

/** A gateway submitting bulk files of 1,000 independent payments, each file under one signature. */
export async function gatewayScenario(options: HttpOptions): Promise<Figures> {
  const perFile = Math.min(1000, options.payments);
  let figures: Figures | null = null;
  const problem = await withNode(options, async (served) => {
    const files = await gatewayFiles(served.bench, Math.ceil(options.payments / perFile), perFile, options.seed);
    const requests = await prepareAll(served, files, () => served.bench.gateway);
    const run = await closedLoop(served.pool, requests, Math.min(options.clients, 4));
    const rejectedPayments = [...run.acknowledged.values()].reduce((sum, r) => sum + (r.status === 'committed' ? (r.rejected?.length ?? 0) : perFile), 0);
    figures = summarize({
      scenario: 'gateway', ops: files.length * perFile, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: run.cpuS,
      ok: run.acknowledged.size === files.length && rejectedPayments === 0, target: '≥ 100,000 payments/s', met: (opsPerS) => opsPerS >= 100_000,
      note: `${files.length} files of ${perFile} payments, ${Math.min(options.clients, 4)} in flight; latency is per file`,
    });
    return run.acknowledged;
  });
  return finish(figures, problem);
}

/**
 * Requests sent on a fixed schedule whatever the answers: each one's latency (submission
 * to durable receipt), and when the last answer came.
 */
async function openLoop(pool: Pool, requests: readonly PreparedRequest[], offeredPerS: number, acknowledged: Map<string, TransactionResult>) {
  const latenciesMs = new Float64Array(requests.length);
  const tickMs = 5;
  const perTick = (offeredPerS * tickMs) / 1000;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let sent = 0; sent < requests.length; ) {
    const due = Math.min(requests.length, Math.floor(((performance.now() - started) / 1000) * offeredPerS) + perTick);
    for (; sent < due; sent += 1) {
      const i = sent;
      const begun = performance.now();
      inFlight.push(post(pool, requests[i]!).then((receipt) => {
        latenciesMs[i] = performance.now() - begun;
        acknowledged.set(receipt.transaction, receipt.result);
      }));
    }
    await sleep(tickMs);
  }
  await Promise.all(inFlight);
  return { latenciesMs, seconds: (performance.now() - started) / 1000 };
}

/**
 * Open loop: requests sent on a fixed schedule whatever the answers, to see latency at a
 * given load. The first second's requests warm the node up (its connections opened, its
 * code compiled) and are timed apart: a cold start is not the steady state the target is
 * about, and it is reported beside it.
 */
export async function latencyScenario(options: HttpOptions): Promise<Figures> {
  const offeredPerS = options.offeredPerS ?? 5000;
  let figures: Figures | null = null;
  const problem = await withNode({ ...options, clients: 256 }, async (served) => {
    const owners = new Map(served.bench.owners.map((owner) => [owner.participant, owner]));
    const envelopes = await signedPayments(served.bench, options.payments, options.seed);
    const requests = await prepareAll(served, envelopes, (e) => owners.get(e.body.sender)!);
    const warmUp = Math.min(offeredPerS, Math.floor(requests.length / 5));
    const acknowledged = new Map<string, TransactionResult>();
    const cold = await openLoop(served.pool, requests.slice(0, warmUp), offeredPerS, acknowledged);
    const stalls = await watchStallsAt(served.url);
    const cpu = process.cpuUsage();
    const run = await openLoop(served.pool, requests.slice(warmUp), offeredPerS, acknowledged);
    const used = process.cpuUsage(cpu);
    const heldMs = await stalls.stop();
    const coldP99 = [...cold.latenciesMs].sort((a, b) => a - b)[Math.floor(cold.latenciesMs.length * 0.99)] ?? Number.NaN;
    figures = summarize({
      scenario: 'latency', ops: requests.length - warmUp, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: (used.user + used.system) / 1e6, ok: acknowledged.size === requests.length,
      target: `p99 < 20 ms at ${offeredPerS}/s offered`, met: (_ops, p99) => p99 < 20, offeredPerS,
      note: `open loop: ${offeredPerS} tx/s offered on a fixed schedule, up to 256 connections, timed after a first second (${warmUp} requests, p99 ${coldP99.toFixed(0)} ms) that opens the connections and warms the node up; the node's event loop held at most ${heldMs.toFixed(0)} ms at a time`,
    });
    return acknowledged;
  });
  return finish(figures, problem);
}

function finish(figures: Figures | null, problem: string | null): Figures {
  if (figures === null) throw new Error('scenario produced no figures');
  const result: Figures = figures;
  return problem === null ? result : { ...result, ok: false, met: false, problem };
}
