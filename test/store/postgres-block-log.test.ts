import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { formatPosition, signTransaction } from '../../src/chain/index.js';
import { verifyStore } from '../../src/cli/verify.js';
import { createDemoNetwork, type DemoNetwork } from '../../src/node/demo.js';
import { copyLedger } from '../../src/store/copy.js';
import { BlockRecordView } from '../../src/store/block-record.js';
import { PostgresDerivedIndex } from '../../src/store/postgres-index.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { HistoryLine, Store } from '../../src/store/types.js';
import { body, eventually, NETWORK, openTestLedger, signerOf, tempDir, type TestLedger } from '../helpers.js';
import { DATABASE_URL, freshSchema, postgresSkip, sql } from '../postgres.js';

const skip = await postgresSkip();
const ACCOUNTS = ['acme-usd', 'globex-usd', 'initech-usd'];
/** The lock whoever writes the derived indexes holds (postgres-index.ts). */
const INDEX_LOCK = 0x64_65_70_69;

const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
});

async function schema(): Promise<{ schema: string; open: () => Promise<PostgresStore> }> {
  const fresh = await freshSchema('blocklog');
  drops.push(fresh.drop);
  return { schema: fresh.schema, open: () => PostgresStore.open(DATABASE_URL, { schema: fresh.schema }) };
}

async function somePayments(t: TestLedger): Promise<void> {
  await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '900.00', depositReference: 'D1' }]);
  for (let i = 0; i < 5; i += 1) await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: `${i + 1}.00` }], { id: `pay-${i}` });
  await t.submit('acme', [{ type: 'hold', hold: 'h1', from: 'acme-usd', to: 'initech-usd', amount: '10.00', expiresAtMs: Date.now() + 60_000 }]);
  await t.submit('acme', [{ type: 'post', hold: 'h1', amount: '4.00' }]);
}

/** Everything a reader asks the store: the chain with its events, the feed, each account's history, lookups by hash and id. */
async function answers(store: Store, hash: string): Promise<string> {
  const blocks: unknown[] = [];
  for await (const block of store.storedBlocks(0, { events: true })) blocks.push(block);
  const histories: Record<string, string[]> = {};
  for (const account of ACCOUNTS) {
    histories[account] = (await store.accountHistory(account, { limit: 1000 })).map(({ entry, event }) => `${formatPosition(entry)} ${event.type} ${entry.availableAfterMinor}/${entry.heldAfterMinor}`);
  }
  // Taken in pages too: the feed from every third event on, three at a time; a history two lines at a time.
  const events = await store.events(null, 10_000);
  const feedPages: string[][] = [];
  for (let i = 0; i < events.length; i += 3) feedPages.push((await store.events(events[i]!, 3)).map((event) => formatPosition(event)));
  const historyPages: string[][] = [];
  for (let before: HistoryLine['entry'] | undefined; ;) {
    const page = await store.accountHistory('acme-usd', { limit: 2, ...(before !== undefined && { before }) });
    if (page.length === 0) break;
    historyPages.push(page.map(({ entry }) => formatPosition(entry)));
    before = page[page.length - 1]!.entry;
  }
  const byHash = await store.transaction(hash);
  const byId = await store.transactionById('acme', 'pay-3');
  const byPrefix = (await store.transactionsByHashPrefix(hash.slice(0, 6), 10)).map((tx) => tx.hash);
  return JSON.stringify({ blocks, events, feedPages, histories, historyPages, byHash, byId, byPrefix });
}

/**
 * A ledger with payments on a fresh PostgreSQL schema (copied from SQLite, as an operator
 * would move one), and what the SQLite store it came from answers: the two must agree.
 */
async function ledgerOnPostgres(network: DemoNetwork): Promise<{ open: () => Promise<PostgresStore>; schema: string; hash: string; expected: string }> {
  const dir = tempDir();
  try {
    const t = await openTestLedger({ network, dir: dir.path });
    await somePayments(t);
    const hash = (await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'initech-usd', amount: '7.00' }])).transaction;
    await t.ledger.close();
    const target = await schema();
    const from = new SqliteStore(join(dir.path, 'ledger.sqlite'), { readonly: true });
    const to = await target.open();
    await copyLedger(from, to);
    await Promise.all([from.close(), to.close()]);
    const source = new SqliteStore(join(dir.path, 'ledger.sqlite'));
    const expected = await answers(source, hash);
    await source.close();
    return { ...target, hash, expected };
  } finally {
    dir.remove();
  }
}

/**
 * Back to the layout before the block log (migration 4): a row per transaction with its
 * events, the block's own events in a column, history entries as rows. Built from the
 * records, so the database holds exactly the chain it held.
 */
async function backToTransactionRows(schemaName: string): Promise<void> {
  const s = schemaName;
  await sql(`
    CREATE TABLE ${s}.transactions (
      seq BIGINT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, client_id TEXT NOT NULL,
      valid_until_ms BIGINT NOT NULL, envelope TEXT NOT NULL, result TEXT NOT NULL, signers TEXT NOT NULL,
      events TEXT NOT NULL DEFAULT '{"events":[]}', UNIQUE (sender, client_id));
    ALTER TABLE ${s}.blocks ADD COLUMN events TEXT NOT NULL DEFAULT '[]'`);
  const { rows } = await sql(`SELECT height, record FROM ${s}.blocks ORDER BY height`);
  for (const row of rows as { height: number; record: Buffer }[]) {
    const view = new BlockRecordView(Number(row.height), row.record);
    await sql(`UPDATE ${s}.blocks SET events = $1 WHERE height = $2`, [view.events, row.height]);
    for (const [position, tx] of [...view.transactions()].entries()) {
      const validUntilMs = (JSON.parse(tx.envelope) as { body: { validUntilMs: number } }).body.validUntilMs;
      await sql(`INSERT INTO ${s}.transactions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [Number(row.height) * 2 ** 20 + position, tx.hash, tx.sender, tx.id, validUntilMs, tx.envelope, tx.result, tx.signers, tx.events]);
    }
  }
  await sql(`ALTER TABLE ${s}.blocks DROP COLUMN record; DROP TABLE ${s}.transaction_index; DELETE FROM ${s}.meta WHERE key = 'indexed_height'; DELETE FROM ${s}.schema_migrations WHERE version = 5`);
}

/** As after a sequencer died before indexing its last blocks: the index holds fewer blocks than the log. */
async function forgetIndexAfter(schemaName: string, height: number): Promise<void> {
  const seq = (height + 1) * 2 ** 20;
  await sql(`DELETE FROM ${schemaName}.transaction_index WHERE seq >= ${seq}; DELETE FROM ${schemaName}.account_entries WHERE seq >= ${seq}; UPDATE ${schemaName}.meta SET value = '${height}' WHERE key = 'indexed_height'`);
}

const indexedHeight = async (schemaName: string): Promise<number> => Number((await sql(`SELECT value FROM ${schemaName}.meta WHERE key = 'indexed_height'`)).rows[0].value);

describe('PostgreSQL block log and its derived indexes', { skip }, () => {
  it('converts a database of transaction rows to the block log: the same chain, feed, history and lookups, and it verifies', async () => {
    const ledger = await ledgerOnPostgres(createDemoNetwork(NETWORK, Date.now()));
    const { expected } = ledger;
    const store = await ledger.open();
    assert.equal(await answers(store, ledger.hash), expected, 'PostgreSQL answers what SQLite does');
    await store.close();
    await backToTransactionRows(ledger.schema);
    assert.equal((await sql(`SELECT count(*)::int AS n FROM ${ledger.schema}.transactions`)).rows[0].n > 10, true);

    const migrated = await ledger.open();
    try {
      assert.equal(await answers(migrated, ledger.hash), expected);
      const outcome = await verifyStore(migrated);
      assert.equal(outcome.ok, true, JSON.stringify(outcome.report.failure ?? outcome.stateProblem));
      assert.equal((await sql(`SELECT to_regclass('${ledger.schema}.transactions') IS NULL AS gone`)).rows[0].gone, true);
    } finally {
      await migrated.close();
    }
  });

  it('answers every read when the index lags the log, and indexes what the last writer left', async () => {
    const ledger = await ledgerOnPostgres(createDemoNetwork(NETWORK, Date.now()));
    const { expected } = ledger;
    const store = await ledger.open();
    const head = (await store.head())!.header.height;
    await store.close();
    await forgetIndexAfter(ledger.schema, head - 5);

    const follower = await ledger.open();
    try {
      // Lookups asked together (admission under load): each gets its own answer, a missing id none.
      const ids = ['pay-4', 'pay-0', 'never-sent', 'pay-4', 'pay-2', 'also-never'];
      const found = await Promise.all(ids.map((id) => follower.transactionById('acme', id)));
      assert.deepEqual(found.map((tx) => tx?.envelope.body.id ?? null), ['pay-4', 'pay-0', null, 'pay-4', 'pay-2', null]);
      assert.equal(await follower.transactionById('globex', 'pay-4'), null, 'an id is the sender\'s own');
      assert.equal(await indexedHeight(ledger.schema), head, 'the reader caught the index up');
      assert.equal(await answers(follower, ledger.hash), expected);
      // Rebuilt on demand, under a running store: emptied, and indexed again by the next read.
      await sql(`BEGIN; DELETE FROM ${ledger.schema}.transaction_index; DELETE FROM ${ledger.schema}.account_entries; UPDATE ${ledger.schema}.meta SET value = '0' WHERE key = 'indexed_height'; COMMIT`);
      assert.equal(await answers(follower, ledger.hash), expected);
      assert.equal(await indexedHeight(ledger.schema), head);
    } finally {
      await follower.close();
    }
  });

  it('is not held up by a node paused in the middle of an index transaction: the server ends its session, the next reader indexes', async () => {
    const ledger = await ledgerOnPostgres(createDemoNetwork(NETWORK, Date.now()));
    const store = await ledger.open();
    const head = (await store.head())!.header.height;
    await store.close();
    await forgetIndexAfter(ledger.schema, head - 5);
    // A node frozen (SIGSTOP, a VM paused) right after it took the index's lock, with its rows not yet written.
    const pool = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${ledger.schema}` });
    const frozen = new PostgresDerivedIndex(async (work) => {
      const client = await pool.connect();
      client.on('error', () => undefined);
      await client.query('BEGIN');
      const pausing = {
        query: async (text: string, values?: unknown[]) => {
          const result = await client.query(text, values);
          if (text.includes('pg_advisory_xact_lock')) await new Promise(() => undefined);
          return result;
        },
      };
      return work(pausing as unknown as pg.PoolClient);
    });
    try {
      void frozen.caughtUp(head).catch(() => undefined);
      await eventually('the frozen node to hold the lock', async () => (await sql(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = ${INDEX_LOCK} AND granted`)).rows[0].n === 1);
      const reader = await ledger.open();
      try {
        assert.equal((await reader.transactionById('acme', 'pay-4'))?.envelope.body.id, 'pay-4');
        assert.equal(await indexedHeight(ledger.schema), head, 'indexed by the reader once the frozen session was ended');
      } finally {
        await reader.close();
      }
    } finally {
      // Not awaited: the frozen client is never given back (its session is gone).
      void pool.end().catch(() => undefined);
    }
  });

  it('finds what the sequencer committed before it is indexed, and a new sequencer refuses an id its predecessor left unindexed', async () => {
    const network = createDemoNetwork(NETWORK, Date.now());
    const target = await schema();
    const t = await openTestLedger({ network, store: await target.open() });
    // Another session holds the index's lock: nothing gets indexed until it lets go.
    const blocker = new pg.Client({ connectionString: DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('SELECT pg_advisory_lock($1)', [INDEX_LOCK]);
      const before = await indexedHeight(target.schema);
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '50.00', depositReference: 'D2' }]);
      const paid = await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '5.00' }], { id: 'unindexed-1' });
      try {
        const store = t.ledger.store;
        assert.equal((await store.transactionById('acme', 'unindexed-1'))?.hash, paid.transaction);
        assert.equal((await store.transaction(paid.transaction))?.hash, paid.transaction);
        assert.equal(await indexedHeight(target.schema), before, 'nothing was indexed meanwhile');
      } finally {
        // Let go first: closing waits for the index transaction under way.
        await blocker.query('SELECT pg_advisory_unlock($1)', [INDEX_LOCK]);
        await t.close();
      }

      // A new sequencer on the same database, its predecessor's last blocks not indexed.
      await forgetIndexAfter(target.schema, before);
      const next = await openTestLedger({ network, store: await target.open(), dir: 'unused' });
      try {
        const again = await signTransaction(body(network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '9.00' }], { id: 'unindexed-1' }), [signerOf(network, 'acme')]);
        await assert.rejects(next.ledger.submit(again, true), (error: Error & { code?: string }) => error.code === 'idempotency_conflict');
        assert.equal((await next.ledger.store.transactionById('acme', 'unindexed-1'))?.hash, paid.transaction);
        let sent = 0;
        for await (const { transactions } of next.ledger.store.storedBlocks(0)) sent += transactions.filter((tx) => tx.envelope.body.id === 'unindexed-1').length;
        assert.equal(sent, 1, 'the id is on the chain once');
        const head = Number((await sql(`SELECT max(height) AS h FROM ${target.schema}.blocks`)).rows[0].h);
        assert.equal(await indexedHeight(target.schema), head, 'the new sequencer indexed what its predecessor left');
      } finally {
        await next.ledger.close();
      }
    } finally {
      await blocker.end();
    }
  });
});
