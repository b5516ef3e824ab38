import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { canonicalJson, genesisHash } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import { DepositumClient } from '../sdk/index.js';
import { SqliteStore } from '../store/sqlite.js';
import { buildApp } from './api/app.js';
import { buildStatusApp } from './api/observer.js';
import { KeyStore } from './keystore.js';
import { Ledger } from './ledger.js';
import { Observer, OBSERVER_DEFAULTS, PartialChain, ReplayedChain, type ObservedChain, type ObserverOptions } from './observer.js';
import { paths, publishNodeFile, readGenesis } from './data-dir.js';
import { nodeLogger } from './logging.js';

export interface ObserveOptions {
  dataDir: string;
  upstream: string;
  /** The participant whose key (in the data directory) the observer signs its requests with. */
  as: string;
  /** The genesis hash the operator published; required the first time, checked every time. */
  genesisHash?: string;
  host: string;
  port: number;
  logLevel?: string;
  observer?: Partial<ObserverOptions>;
}

export interface RunningObserver {
  observer: Observer;
  app: FastifyInstance | null;
  url: string | null;
  close(): Promise<void>;
}

/**
 * The genesis the observer trusts: the one in its data directory, or on first start the
 * upstream's, accepted only if it hashes to the hash the operator published. The
 * upstream may not swap it later.
 */
async function trustedGenesis(options: ObserveOptions, upstream: DepositumClient): Promise<Genesis> {
  const file = paths(options.dataDir).genesis;
  const local = existsSync(file) ? readGenesis(options.dataDir) : null;
  const offered = await upstream.request<Genesis>('GET', '/v1/genesis');
  const trusted = local ?? offered;
  const hash = genesisHash(trusted);
  if (options.genesisHash !== undefined && hash !== options.genesisHash) throw new Error(`the genesis hashes to ${hash}, not the expected ${options.genesisHash}`);
  if (local === null && options.genesisHash === undefined) throw new Error('first start of an observer: give --genesis-hash, the hash the operator published, so the upstream cannot choose the chain you verify');
  if (canonicalJson(offered) !== canonicalJson(trusted)) throw new Error(`the upstream serves another genesis (${genesisHash(offered)}) than the trusted one (${hash})`);
  if (local === null) {
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(offered, null, 2)}\n`, { flag: 'wx' });
  }
  return trusted;
}

/**
 * Starts an observer of `upstream`: an auditor's or operator's replays every
 * transaction into its own SQLite ledger and serves the read API; a participant's keeps
 * the headers and its own transactions, proven, and serves its status.
 */
export async function runObserver(options: ObserveOptions, serve: boolean): Promise<RunningObserver> {
  const log = await nodeLogger(options.logLevel ?? 'info');
  const upstream = new DepositumClient({ url: options.upstream, signer: KeyStore.at(options.dataDir).load(options.as), session: true });
  const genesis = await trustedGenesis(options, upstream);
  const complete = (await upstream.replication(0, 1)).complete;
  const settings = { ...OBSERVER_DEFAULTS, ...options.observer };
  let ledger: Ledger | null = null;
  let chain: ObservedChain;
  let store: SqliteStore;
  if (complete) {
    store = new SqliteStore(paths(options.dataDir).ledger);
    ledger = await Ledger.open({ role: 'follower', store, genesis, validators: [] });
    chain = new ReplayedChain(ledger);
  } else {
    // Another file than a full ledger's: a partial chain cannot be replayed.
    store = new SqliteStore(join(options.dataDir, 'observed.sqlite'));
    chain = await PartialChain.open(store, genesis);
  }
  const observer = new Observer(upstream, chain, log, Date.now, settings);
  const closeStore = async (): Promise<void> => {
    if (ledger !== null) await ledger.close();
    else await store.close();
  };
  if (!serve) return { observer, app: null, url: null, close: closeStore };
  const app = ledger === null ? await buildStatusApp(observer, log) : await buildApp({ ledger, logger: log, observer });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const url = `http://${options.host}:${typeof address === 'object' && address !== null ? address.port : options.port}`;
  observer.start();
  publishNodeFile(options.dataDir, { url, observing: options.upstream });
  return {
    observer, app, url,
    close: async () => {
      await observer.stop();
      await app.close();
      await closeStore();
    },
  };
}
