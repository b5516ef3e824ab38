import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { signTransaction } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import { PostgresStore } from '../store/postgres.js';
import { SqliteStore } from '../store/sqlite.js';
import { buildApp } from './api/app.js';
import { ClusterMember, CLUSTER_DEFAULTS, type ClusterOptions } from './cluster.js';
import { initDemo, paths, publishNodeFile, readGenesis, VALIDATOR_KEY_NAME } from './data-dir.js';
import { DEMO_PARTICIPANTS, demoSetup, type DemoNetwork } from './demo.js';
import { KeyStore } from './keystore.js';
import { nodeLogger } from './logging.js';
import { Ledger } from './ledger.js';
import type { SequencerOptions } from './sequencer.js';
import { moduleNamed } from '../modules/index.js';
import { prepareModule, startModule, type PreparedModule } from '../modules/kit/host.js';
import type { LedgerModule } from '../modules/kit/module.js';
import type { ModuleRunner, RunnerOptions } from '../modules/kit/runner.js';
import { DepositumClient } from '../sdk/client.js';

export interface NodeOptions {
  dataDir: string;
  host: string;
  port: number;
  /** Create (on first start) and populate the demo network. */
  demo: boolean;
  /** PostgreSQL connection URL; without it the ledger is the SQLite file in the data directory. */
  databaseUrl?: string;
  /** Where the other nodes on the same database reach this one (default: the listen address). */
  advertiseUrl?: string;
  cluster?: Partial<ClusterOptions>;
  sequencer?: Partial<SequencerOptions>;
  /** Worker threads verifying signatures (default: one per core). */
  verifierThreads?: number;
  logLevel?: string;
  /** The level of the one line logged per request (debug keeps a demo's terminal readable). */
  requestLogLevel?: 'info' | 'debug';
  /**
   * Modules run in the node's process, by name or definition: their tables in the node's
   * store, their routes under /v1/<name>, their identity the key `<data>/keys/<name>.json`.
   */
  modules?: readonly (string | LedgerModule)[];
  moduleRunner?: Partial<RunnerOptions>;
}

export interface RunningNode {
  app: FastifyInstance;
  ledger: Ledger;
  /** Present when the node shares its database with others and takes part in the sequencer election. */
  cluster: ClusterMember | null;
  url: string;
  close(): Promise<void>;
}

async function populateDemo(ledger: Ledger, genesis: Genesis, keys: KeyStore): Promise<void> {
  const network: DemoNetwork = { genesis, validator: keys.load(VALIDATOR_KEY_NAME), signers: new Map(DEMO_PARTICIPANTS.map((p) => [p.id, keys.load(p.id)])) };
  for (const step of demoSetup(network, ledger.now())) {
    const outcome = await ledger.submit(await signTransaction(step.body, [network.signers.get(step.signer)!]), true);
    if (outcome.status !== 'sealed' || outcome.receipt.result.status !== 'committed') throw new Error(`demo setup step ${step.body.id} failed: ${JSON.stringify(outcome)}`);
  }
}

/** How long a clustered demo node waits to be elected or to see another node seed the demo. */
const DEMO_ELECTION_WAIT_MS = 30_000;

/** Seeds the demo once: by this node if it sequences a ledger still empty, else by whichever node was elected. */
async function seedDemo(ledger: Ledger, genesis: Genesis, keys: KeyStore): Promise<void> {
  const deadline = Date.now() + DEMO_ELECTION_WAIT_MS;
  while (ledger.engine.head === null) {
    if (ledger.role === 'sequencer') return populateDemo(ledger, genesis, keys);
    if (Date.now() > deadline) throw new Error('no sequencer was elected to seed the demo network');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a starting node has opened so far: all of it is closed if a later step fails, so a node that cannot start exits instead of hanging on. */
interface Opened {
  readonly ledger: Ledger;
  cluster: ClusterMember | null;
  app: FastifyInstance | null;
  readonly prepared: PreparedModule[];
  readonly runners: ModuleRunner[];
}

/** Closes what was opened, the last opened first: the runners, the election, the API, the ledger (its last block written, then the lease given up), the modules' databases. */
async function closeOpened(opened: Opened): Promise<void> {
  await Promise.all(opened.runners.map((runner) => runner.stop()));
  await opened.cluster?.stop();
  await opened.app?.close();
  await opened.ledger.close(async () => opened.cluster?.release());
  await Promise.all(opened.prepared.map((module) => module.close()));
}

/**
 * Opens the ledger in `dataDir` and serves its API until close(). On PostgreSQL the
 * node joins the sequencer election: it follows until it holds the lease. If any step
 * fails (a port in use, a module's settings, the demo's seeding), what was opened is
 * closed before the error is thrown.
 */
export async function runNode(options: NodeOptions): Promise<RunningNode> {
  if (options.demo && !existsSync(paths(options.dataDir).genesis)) initDemo(options.dataDir);
  const genesis = readGenesis(options.dataDir);
  const keys = KeyStore.at(options.dataDir);
  const store = options.databaseUrl === undefined ? new SqliteStore(paths(options.dataDir).ledger) : await PostgresStore.open(options.databaseUrl);
  let ledger: Ledger;
  try {
    ledger = await Ledger.open({
      store, genesis, validators: [keys.load(VALIDATOR_KEY_NAME)], verifierThreads: options.verifierThreads ?? availableParallelism(),
      role: store.lease === null ? 'sequencer' : 'follower',
      ...(options.sequencer !== undefined && { sequencer: options.sequencer }),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const opened: Opened = { ledger, cluster: null, app: null, prepared: [], runners: [] };
  try {
    const url = await serve(opened, options, genesis, keys);
    publishNodeFile(options.dataDir, { url });
    return { app: opened.app!, ledger, cluster: opened.cluster, url, close: () => closeOpened(opened) };
  } catch (error) {
    await closeOpened(opened).catch(() => undefined); // the step that failed is what to report
    throw error;
  }
}

/** The node's steps after its ledger is open, each recorded in `opened` as it is reached: its modules, its API listening, the demo seeded, the modules' runners. */
async function serve(opened: Opened, options: NodeOptions, genesis: Genesis, keys: KeyStore): Promise<string> {
  const { ledger } = opened;
  const log = await nodeLogger(options.logLevel ?? 'info');
  const lease = ledger.store.lease;
  const cluster = lease === null ? null : new ClusterMember(ledger, lease, log, { ...CLUSTER_DEFAULTS, ...options.cluster });
  opened.cluster = cluster;
  const location = options.databaseUrl === undefined ? { sqlite: paths(options.dataDir).ledger } : { postgres: options.databaseUrl };
  for (const module of options.modules ?? []) opened.prepared.push(await prepareModule(typeof module === 'string' ? await moduleNamed(module, { dataDir: options.dataDir, demo: options.demo === true }) : module, location, log));
  for (const { module, services } of opened.prepared) if (module.admissionPolicy !== undefined) ledger.addAdmissionPolicy(module.admissionPolicy(services));
  const metrics = new Registry();
  const app = await buildApp({ ledger, logger: log, requestLogLevel: options.requestLogLevel ?? 'info', modules: opened.prepared, metrics, ...(cluster !== null && { cluster: { locator: cluster, self: cluster.holder } }) });
  opened.app = app;
  if (cluster === null) {
    ledger.on('failed', (error) => {
      app.log.fatal({ err: error }, 'block commit failed; stopping so a restart resumes from what is durable');
      process.exitCode = 1;
      void app.close();
    });
  }
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  cluster?.start(options.advertiseUrl ?? url);
  if (options.demo) await seedDemo(ledger, genesis, keys);
  // Modules follow the ledger through this node's own API, signed as their participant, like any client.
  for (const module of opened.prepared) opened.runners.push(await startModule(module, new DepositumClient({ url, signer: keys.load(module.module.name), session: true }), options.moduleRunner, metrics));
  return url;
}
