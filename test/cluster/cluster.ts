import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { tempDir } from '../helpers.js';
import { freshSchema } from '../postgres.js';
import { startNodeProcess, type NodeProcess } from '../process.js';

export interface Cluster {
  nodes: NodeProcess[];
  databaseUrl: string;
  schema: string;
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

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The node that holds the sequencer lease, once one does. */
export async function sequencerOf(nodes: readonly NodeProcess[]): Promise<NodeProcess> {
  return eventually('a sequencer to be elected', async () => {
    for (const node of nodes) if ((await readiness(node))?.role === 'sequencer') return node;
    return null;
  });
}

/**
 * `size` node processes of one demo network on a fresh PostgreSQL schema: the first
 * creates the network, the others get its genesis and keys (a bank's nodes share the
 * validator key through its HSM; here through copied files).
 */
export async function startCluster(size: number): Promise<Cluster> {
  const { url: databaseUrl, schema, drop } = await freshSchema('cluster');
  const dirs = Array.from({ length: size }, () => tempDir());
  const nodes = [await startNodeProcess(dirs[0]!.path, { databaseUrl })];
  for (const dir of dirs.slice(1)) {
    cpSync(join(dirs[0]!.path, 'keys'), join(dir.path, 'keys'), { recursive: true });
    cpSync(join(dirs[0]!.path, 'genesis.json'), join(dir.path, 'genesis.json'));
  }
  nodes.push(...(await Promise.all(dirs.slice(1).map((dir) => startNodeProcess(dir.path, { databaseUrl })))));
  const keys = KeyStore.at(dirs[0]!.path);
  return {
    nodes, databaseUrl, schema, keys,
    client: (participant, first = 0) => {
      const urls = nodes.map((node) => node.url);
      return new DepositumClient({ url: [...urls.slice(first), ...urls.slice(0, first)], signer: keys.load(participant) });
    },
    openStore: () => PostgresStore.open(databaseUrl),
    remove: async () => {
      await Promise.all(nodes.map((node) => node.kill().catch(() => undefined)));
      for (const dir of dirs) dir.remove();
      await drop();
    },
  };
}
