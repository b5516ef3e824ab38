import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Genesis } from '../src/core/index.js';
import { KeyStore } from '../src/node/keystore.js';
import { Ledger } from '../src/node/ledger.js';
import { VALIDATOR_KEY_NAME } from '../src/node/data-dir.js';
import { SqliteStore } from '../src/store/sqlite.js';

/**
 * Opens the ledger in the directory given as the argument, as a node does at start,
 * and prints how many accounts it holds and its resident memory, in a process that
 * never did anything else.
 */
const dir = process.argv[2]!;
const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8')) as Genesis;
const ledger = await Ledger.open({ store: new SqliteStore(join(dir, 'ledger.sqlite')), genesis, validators: [KeyStore.at(dir).load(VALIDATOR_KEY_NAME)] });
(globalThis as { gc?: () => void }).gc?.();
const { rss, heapUsed } = process.memoryUsage();
console.log(JSON.stringify({ accounts: ledger.state.accounts.size, rss_mb: Math.round(rss / 1048576), heap_mb: Math.round(heapUsed / 1048576) }));
await ledger.close();
