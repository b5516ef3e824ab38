import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { verifyStore } from '../../src/cli/verify.js';
import type { TransactionResult } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { eventually, tempDir } from '../helpers.js';
import { freshSchema } from '../postgres.js';
import { startNodeProcess, type NodeProcess } from '../process.js';

export interface Cluster {
  nodes: NodeProcess[];
  databaseUrl: string;
  keys: KeyStore;
  /** A client of the named participant that knows every node, starting with node `first`. */
  client(participant: string, first?: number): DepositumClient;
  openStore(): Promise<PostgresStore>;
  remove(): Promise<void>;
}

/** What a node says about itself on /ready, or null if it does not answer. */
export async function readiness(node: NodeProcess): Promise<{ ready: boolean; role: string; height: number } | null> {
  try {
    const response = await fetch(`${node.url}/ready`, { signal: AbortSignal.timeout(1000) });
    return (await response.json()) as { ready: boolean; role: string; height: number };
  } catch {
    return null;
  }
}

export { eventually } from '../helpers.js';

/** The node that holds the sequencer lease, once one does. */
export async function sequencerOf(nodes: readonly NodeProcess[]): Promise<NodeProcess> {
  return eventually('a sequencer to be elected', async () => {
    for (const node of nodes) if ((await readiness(node))?.role === 'sequencer') return node;
    return null;
  });
}

/**
 * `size` node processes of one demo network (started with `args` too) on the given database, or a fresh schema
 * on the machine's PostgreSQL: the first
 * creates the network, the others get its genesis and keys (a bank's nodes share the
 * validator key through its HSM; here through copied files).
 */
export async function startCluster(size: number, database?: { url: string }, args: readonly string[] = []): Promise<Cluster> {
  const { url: databaseUrl, drop } = database === undefined ? await freshSchema('cluster') : { ...database, drop: async () => undefined };
  const dirs = Array.from({ length: size }, () => tempDir());
  const nodes: NodeProcess[] = [];
  const remove = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.kill().catch(() => undefined)));
    for (const dir of dirs) dir.remove();
    await drop();
  };
  try {
    nodes.push(await startNodeProcess(dirs[0]!.path, { databaseUrl, args }));
    for (const dir of dirs.slice(1)) {
      cpSync(join(dirs[0]!.path, 'keys'), join(dir.path, 'keys'), { recursive: true });
      cpSync(join(dirs[0]!.path, 'genesis.json'), join(dir.path, 'genesis.json'));
    }
    // One at a time, so that a node that fails to start leaves none behind unaccounted for.
    for (const dir of dirs.slice(1)) nodes.push(await startNodeProcess(dir.path, { databaseUrl, args }));
  } catch (error) {
    await remove();
    throw error;
  }
  const keys = KeyStore.at(dirs[0]!.path);
  return {
    nodes, databaseUrl, keys, remove,
    client: (participant, first = 0) => {
      const urls = nodes.map((node) => node.url);
      return new DepositumClient({ url: [...urls.slice(first), ...urls.slice(0, first)], signer: keys.load(participant) });
    },
    openStore: () => PostgresStore.open(databaseUrl),
  };
}

/**
 * Payments from acme to globex until stopped; every acknowledged one is recorded with its
 * result. `acknowledgedAtLeast(n)` resolves once n more payments than now were acknowledged,
 * so a test acts on what the load achieved, never on how long it ran.
 */
export function payLoad(cluster: Cluster, workers: number) {
  const acknowledged = new Map<string, { id: string; result: TransactionResult }>();
  const failures: Error[] = [];
  let stopped = false;
  const worker = async (n: number): Promise<void> => {
    const acme = cluster.client('acme', n % cluster.nodes.length);
    for (let i = 0; !stopped; i += 1) {
      const id = `load-${n}-${i}`;
      try {
        const outcome = await acme.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '0.01' }], { id });
        if (outcome.status === 'sealed') acknowledged.set(outcome.receipt.transaction, { id, result: outcome.receipt.result });
      } catch (error) {
        failures.push(error as Error);
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, (_, n) => worker(n)));
  const acknowledgedAtLeast = (more: number, what: string): Promise<number> => {
    const target = acknowledged.size + more;
    return eventually(`${what} (${more} more acknowledged payments; ${acknowledged.size} so far, ${failures.length} gave up)`, async () => acknowledged.size >= target && acknowledged.size);
  };
  return { acknowledged, failures, acknowledgedAtLeast, stop: async () => { stopped = true; await running; } };
}

export async function assertChainHolds(cluster: Cluster, acknowledged: Map<string, { id: string; result: TransactionResult }>, auditor: DepositumClient): Promise<void> {
  for (const [hash, { result }] of acknowledged) assert.deepEqual((await auditor.transaction(hash)).result, result, `acknowledged transaction ${hash}`);
  const store = await cluster.openStore();
  try {
    // Ids are unique per sender in the store, so the id finding the acknowledged hash means it is there exactly once.
    for (const [hash, { id }] of acknowledged) assert.equal((await store.transactionById('acme', id))?.hash, hash);
    const outcome = await verifyStore(store);
    assert.equal(outcome.report.failure, null);
    assert.equal(outcome.stateProblem, null);
  } finally {
    await store.close();
  }
}

