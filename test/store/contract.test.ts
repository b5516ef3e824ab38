import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { verifyChain } from '../../src/chain/index.js';
import { encodeEntity, TABLE_NAMES, type LedgerState } from '../../src/core/index.js';
import { createDemoNetwork } from '../../src/node/demo.js';
import { verifyStore } from '../../src/cli/verify.js';
import { copyLedger } from '../../src/store/copy.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { recordedBlocks, type Store } from '../../src/store/types.js';
import { NETWORK, openTestLedger, tempDir } from '../helpers.js';
import { DATABASE_URL, postgresSkip } from '../postgres.js';

const skipPostgres = await postgresSkip();
const reachable = skipPostgres === false;

const schemas: string[] = [];
let opened = 0;

/** Each backend opens a fresh, empty store; `reopen` opens the same one again. */
const BACKENDS: { name: string; skip: string | false; fresh: () => Promise<{ open: () => Promise<Store>; remove: () => Promise<void> }> }[] = [
  {
    name: 'SQLite',
    skip: false,
    fresh: async () => {
      const dir = tempDir();
      return { open: async () => new SqliteStore(join(dir.path, 'ledger.sqlite')), remove: async () => dir.remove() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipPostgres,
    fresh: async () => {
      opened += 1;
      const schema = `depositum_test_${process.pid}_${opened}`;
      schemas.push(schema);
      return { open: () => PostgresStore.open(DATABASE_URL, { schema }), remove: async () => undefined };
    },
  },
];

after(async () => {
  if (!reachable || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

const dump = (state: LedgerState) => TABLE_NAMES.map((t) => [...state.table(t)].map(([id, e]) => `${id}=${encodeEntity(t, e)}`).sort().join(',')).join('|');

for (const backend of BACKENDS) {
  describe(`${backend.name} store`, { skip: backend.skip }, () => {
    it('keeps blocks, transactions, history, snapshots and spent ids, and reopens to the same state', async () => {
      const fresh = await backend.fresh();
      const network = createDemoNetwork(NETWORK, Date.now());
      try {
        const t = await openTestLedger({ network, store: await fresh.open(), dir: 'unused' });
        assert.equal((await t.ledger.store.genesis())?.network, NETWORK);
        const minted = await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
        const paid = await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '30.00' }], { id: 'pay-1' });
        await t.submit('acme', [{ type: 'hold', hold: 'h', from: 'acme-usd', to: 'globex-usd', amount: '5.00', expiresAtMs: Date.now() + 60_000 }]);
        const store = t.ledger.store;

        assert.equal((await store.head())?.hash, t.ledger.engine.head?.hash);
        assert.deepEqual((await store.blocks(0, 2)).map((b) => b.header.height), [1, 2]);
        assert.equal((await store.transaction(paid.transaction))?.height, paid.block.header.height);
        assert.deepEqual((await store.transactionById('acme', 'pay-1'))?.result, { status: 'committed' });
        assert.deepEqual((await store.blockTransactions(minted.block.header.height)).map((tx) => tx.hash), [minted.transaction]);
        const history = await store.accountHistory('acme-usd', { limit: 2 });
        assert.deepEqual(history.map((line) => line.event.type), ['hold_placed', 'transferred']);
        assert.deepEqual(history.map((line) => [line.entry.availableAfterMinor, line.entry.heldAfterMinor]), [[6500n, 500n], [7000n, 0n]]);
        const older = await store.accountHistory('acme-usd', { before: history[1]!.entry, limit: 10 });
        assert.deepEqual(older.map((line) => line.event.type), ['issued', 'account_opened']);
        assert.equal((await store.events(null, 1000)).filter((event) => event.type === 'transferred').length, 1);
        assert.equal(await store.heightAt(t.ledger.engine.head!.header.timestampMs), t.ledger.engine.head!.header.height);
        const before = { state: dump(t.ledger.state), head: t.ledger.engine.head };
        await t.ledger.close();

        const reopened = await openTestLedger({ network, store: await fresh.open(), dir: 'unused' });
        assert.equal(dump(reopened.ledger.state), before.state);
        assert.deepEqual(reopened.ledger.engine.head, before.head);
        assert.equal((await reopened.ledger.store.snapshot()).height, before.head?.header.height, 'a clean shutdown leaves a snapshot at the head');
        const report = await verifyChain(network.genesis, recordedBlocks(reopened.ledger.store), { invariantsEveryBlock: true });
        assert.equal(report.failure, null);
        assert.equal(report.blocks, before.head?.header.height);
        await reopened.ledger.close();
      } finally {
        await fresh.remove();
      }
    });

    it('receives a whole ledger copied from SQLite, which then verifies and runs on', async () => {
      const source = tempDir();
      const target = await backend.fresh();
      const network = createDemoNetwork(NETWORK, Date.now());
      try {
        const t = await openTestLedger({ network, dir: source.path });
        await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
        await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '40.00' }]);
        const before = dump(t.ledger.state);
        await t.ledger.close();

        const from = new SqliteStore(join(source.path, 'ledger.sqlite'), { readonly: true });
        const to = await target.open();
        const copied = await copyLedger(from, to);
        assert.equal(copied.blocks, 7);
        const outcome = await verifyStore(to);
        assert.equal(outcome.ok, true, JSON.stringify(outcome.report.failure ?? outcome.stateProblem));
        await assert.rejects(copyLedger(from, to), /not empty/);
        await from.close();
        await to.close();

        const moved = await openTestLedger({ network, store: await target.open(), dir: 'unused' });
        assert.equal(dump(moved.ledger.state), before);
        assert.equal((await moved.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }])).result.status, 'committed');
        await moved.ledger.close();
      } finally {
        source.remove();
        await target.remove();
      }
    });

    it('writes a block height once: a second writer of the same height fails and changes nothing', async () => {
      const fresh = await backend.fresh();
      const network = createDemoNetwork(NETWORK, Date.now());
      try {
        const t = await openTestLedger({ network, store: await fresh.open(), dir: 'unused' });
        const head = t.ledger.engine.head!;
        const stale = { block: { ...head, hash: 'f'.repeat(64) }, transactions: [], records: { events: [], entries: [] }, snapshot: null };
        await assert.rejects(t.ledger.store.commitBlock(stale));
        assert.equal((await t.ledger.store.head())?.hash, head.hash);
        await t.ledger.close();
      } finally {
        await fresh.remove();
      }
    });

    it('keeps one shared secret per name, the same for every opener, different for every ledger', async () => {
      const [first, second] = [await backend.fresh(), await backend.fresh()];
      try {
        const [a, b, other] = [await first.open(), await first.open(), await second.open()];
        const secret = await a.sharedSecret('sessions');
        assert.equal(secret.length, 32);
        assert.deepEqual(await b.sharedSecret('sessions'), secret, 'a second node on the same store reads the same secret');
        assert.notDeepEqual(await a.sharedSecret('other'), secret);
        assert.notDeepEqual(await other.sharedSecret('sessions'), secret);
        await Promise.all([a.close(), b.close(), other.close()]);
      } finally {
        await first.remove();
        await second.remove();
      }
    });
  });
}
