import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { AUTH_HEADERS, requestSigningMessage, toBase64Url, type LocalSigner, type Receipt, type TransactionEnvelope } from '../../src/chain/index.js';
import type { TransactionResult } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { paths, VALIDATOR_KEY_NAME } from '../../src/node/run.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { correctnessProblem } from '../check.js';
import { benchNetwork, setupEnvelopes, signedPayments, type BenchNetwork } from '../network.js';
import { summarize, type Figures } from '../stats.js';

export interface HttpOptions {
  payments: number;
  accounts: number;
  clients: number;
  seed: number;
  /** Where the node process writes a CPU profile (.cpuprofile), if anywhere. */
  profileDir?: string;
}

const ROOT = new URL('../..', import.meta.url).pathname;

/** A submission encoded in advance, so the timed window only sends. */
interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

function signedHeaders(signer: LocalSigner, path: string, body: string): Record<string, string> {
  const timestampMs = Date.now();
  const signature = signer.signSync(requestSigningMessage('POST', path, timestampMs, body));
  return {
    [AUTH_HEADERS.participant]: signer.participant,
    [AUTH_HEADERS.key]: signer.keyId,
    [AUTH_HEADERS.timestamp]: String(timestampMs),
    [AUTH_HEADERS.signature]: toBase64Url(signature),
  };
}

function prepare(envelope: TransactionEnvelope, auth: Record<string, string>): PreparedRequest {
  return { body: JSON.stringify(envelope), headers: { 'content-type': 'application/json', ...auth } };
}

/** A bearer token per payer, as a busy client would hold (one Ed25519 check per sign-in, not per request). */
async function openSession(url: string, signer: LocalSigner): Promise<Record<string, string>> {
  const response = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: signedHeaders(signer, '/v1/sessions', '') });
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

async function startNode(dir: string, profileDir?: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = spawn(process.execPath, [...profile, join(ROOT, 'dist/src/cli/main.js'), '--data-dir', dir, 'start', '--port', '0', '--log-level', 'warn', '--block-interval-ms', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  while (!existsSync(paths(dir).node)) {
    if (child.exitCode !== null) throw new Error('bench node did not start');
    await sleep(50);
  }
  const { url } = JSON.parse(readFileSync(paths(dir).node, 'utf8')) as { url: string };
  return { url, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

function writeNetwork(dir: string, bench: BenchNetwork): void {
  KeyStore.at(dir).save(VALIDATOR_KEY_NAME, bench.network.validator);
  writeFileSync(paths(dir).genesis, JSON.stringify(bench.network.genesis));
}

/** Keep-alive connections, one per client: undici's request API costs the load generator far less than fetch. */
function connect(url: string, clients: number): Pool {
  return new Pool(url, { connections: clients, pipelining: 1 });
}

async function post(pool: Pool, request: PreparedRequest): Promise<Receipt> {
  const response = await pool.request({ method: 'POST', path: '/v1/transactions', headers: request.headers, body: request.body });
  const payload = (await response.body.json()) as { receipt?: Receipt; error?: { code: string } };
  if (response.statusCode !== 200 || payload.receipt === undefined) throw new Error(`submission failed: HTTP ${response.statusCode} ${payload.error?.code ?? ''}`);
  return payload.receipt;
}

/** One payment per transaction over HTTP: each signed by its payer's key and verified by the node. */
export async function httpScenario(options: HttpOptions): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-http-'));
  try {
    const bench = benchNetwork(options.accounts, Math.min(100, options.accounts));
    writeNetwork(dir, bench);
    const node = await startNode(dir, options.profileDir);
    const pool = connect(node.url, options.clients);
    const operator = bench.network.signers.get('operator')!;
    for (const envelope of await setupEnvelopes(bench, '10000.00')) {
      const body = JSON.stringify(envelope);
      await post(pool, { body, headers: { 'content-type': 'application/json', ...signedHeaders(operator, '/v1/transactions', body) } });
    }
    const sessions = new Map(await Promise.all(bench.owners.map(async (owner) => [owner.participant, await openSession(node.url, owner)] as const)));
    const requests = (await signedPayments(bench, options.payments, options.seed)).map((envelope) => prepare(envelope, sessions.get(envelope.body.sender)!));

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
    await Promise.all(Array.from({ length: options.clients }, client));
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    await pool.close();
    await node.stop();

    const store = new SqliteStore(paths(dir).ledger);
    const problem = await correctnessProblem(bench.network.genesis, store, acknowledged);
    await store.close();
    if (problem !== null) console.error(`http: CORRECTNESS CHECK FAILED: ${problem}`);
    return summarize({
      scenario: 'http', ops: requests.length, seconds, latenciesMs, cpuS: (cpuUsed.user + cpuUsed.system) / 1e6,
      ok: problem === null && acknowledged.size === requests.length,
      target: '≥ 10,000 tx/s, p99 < 50 ms', met: (opsPerS, p99) => opsPerS >= 10_000 && p99 < 50,
      note: `${options.clients} clients, node in its own process; cpu_s and rss_mb are the load generator's`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
