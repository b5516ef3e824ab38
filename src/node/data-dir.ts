import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalSigner } from '../chain/index.js';
import { CHAIN_VERSION, GenesisSchema, type Genesis } from '../core/index.js';
import { createDemoNetwork } from './demo.js';
import { KeyStore } from './keystore.js';
import { assertMatches } from './schema-check.js';

/**
 * A node's data directory: its genesis, its keys, the embedded ledger file and where the
 * running node says it listens. What `init` and `start --demo` write, and every node reads.
 */

export const DEMO_NETWORK_ID = 'depositum-demo';
export const VALIDATOR_KEY_NAME = 'validator';

export const paths = (dataDir: string) => ({
  genesis: join(dataDir, 'genesis.json'),
  ledger: join(dataDir, 'ledger.sqlite'),
  node: join(dataDir, 'node.json'),
});

/**
 * Says where the running node listens. Written beside and renamed into place so that a
 * reader (the CLI, a supervisor) never sees the file empty or half-written.
 */
export function publishNodeFile(dataDir: string, info: { url: string; observing?: string }): void {
  const file = paths(dataDir).node;
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, `${JSON.stringify({ ...info, pid: process.pid }, null, 2)}\n`);
  renameSync(staged, file);
}

export interface NetworkSpec {
  network: string;
  operatorId: string;
  legalName: string;
  lei: string;
  jurisdiction: string;
}

/** Writes a new network's genesis, its operator's key and a validator key into an empty data directory. */
export function initNetwork(dataDir: string, spec: NetworkSpec): Genesis {
  if (existsSync(paths(dataDir).genesis)) throw new Error(`${dataDir} already holds a network`);
  const operator = LocalSigner.generate(spec.operatorId, `${spec.operatorId}-1`);
  const validator = LocalSigner.generate(spec.operatorId, 'validator-1');
  const genesis: Genesis = {
    chainVersion: CHAIN_VERSION,
    network: spec.network,
    createdAtMs: Date.now(),
    operator: {
      id: spec.operatorId, legalName: spec.legalName, lei: spec.lei, jurisdiction: spec.jurisdiction,
      roles: ['operator', 'compliance'], kycStatus: 'approved', kycExpiresAtMs: null,
      keys: [{ id: operator.keyId, publicKey: operator.publicKey }], delegates: [],
    },
    validators: [{ id: validator.keyId, publicKey: validator.publicKey }],
  };
  // The API's own rules: a network id, LEI or country it would refuse on every transaction is refused here, before any file is written.
  assertMatches(GenesisSchema, genesis);
  mkdirSync(dataDir, { recursive: true });
  const keys = KeyStore.at(dataDir);
  keys.save(VALIDATOR_KEY_NAME, validator);
  keys.save(spec.operatorId, operator);
  writeFileSync(paths(dataDir).genesis, `${JSON.stringify(genesis, null, 2)}\n`, { flag: 'wx' });
  return genesis;
}

/** Writes a fresh demo network's genesis and every key into the data directory. */
export function initDemo(dataDir: string): void {
  const network = createDemoNetwork(DEMO_NETWORK_ID, Date.now());
  const keys = KeyStore.at(dataDir);
  keys.save(VALIDATOR_KEY_NAME, network.validator);
  for (const [name, signer] of network.signers) keys.save(name, signer);
  writeFileSync(paths(dataDir).genesis, `${JSON.stringify(network.genesis, null, 2)}\n`, { flag: 'wx' });
}

export function readGenesis(dataDir: string): Genesis {
  const file = paths(dataDir).genesis;
  if (!existsSync(file)) throw new Error(`no network in ${dataDir}: run "depositum init" or "depositum start --demo"`);
  let genesis: unknown;
  try {
    genesis = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    assertMatches(GenesisSchema, genesis);
  } catch (error) {
    throw new Error(`${file} is not a genesis this node accepts: ${(error as Error).message}`, { cause: error });
  }
  return genesis as Genesis;
}

