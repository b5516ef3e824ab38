import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { formatPosition } from '../../src/chain/index.js';
import { verifyDataFile } from '../../src/cli/verify.js';
import { BlockRecordView } from '../../src/store/block-record.js';
import { derivedIndexPath } from '../../src/store/derived-index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { openTestLedger, tempDir, type TestLedger } from '../helpers.js';

const ACCOUNTS = ['acme-usd', 'globex-usd', 'initech-usd'];

/** Every account's history as the store answers it: positions and balances after, newest first. */
async function histories(store: SqliteStore): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const account of ACCOUNTS) {
    out[account] = (await store.accountHistory(account, { limit: 1000 })).map(({ entry, event }) => `${formatPosition(entry)} ${event.type} ${entry.availableAfterMinor}/${entry.heldAfterMinor}`);
  }
  return out;
}

async function somePayments(t: TestLedger): Promise<string> {
  await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '900.00', depositReference: 'D1' }]);
  for (let i = 0; i < 5; i += 1) await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: `${i + 1}.00` }]);
  await t.submit('acme', [{ type: 'hold', hold: 'h1', from: 'acme-usd', to: 'initech-usd', amount: '10.00', expiresAtMs: Date.now() + 60_000 }]);
  return (await t.submit('acme', [{ type: 'post', hold: 'h1', amount: '4.00' }])).transaction;
}

/** A ledger file with payments on it, closed; returns its path and the histories it answered. */
async function ledgerWithHistory(dir: string): Promise<{ file: string; expected: Record<string, string[]>; hash: string }> {
  const t = await openTestLedger({ dir });
  const hash = await somePayments(t);
  const file = join(dir, 'ledger.sqlite');
  const store = t.ledger.store as SqliteStore;
  const expected = await histories(store);
  await t.ledger.close();
  return { file, expected, hash };
}

async function reopened(file: string): Promise<Record<string, string[]>> {
  const store = new SqliteStore(file);
  try {
    return await histories(store);
  } finally {
    await store.close();
  }
}

/**
 * Back to the layout before the block log (schema 5): a row per transaction with its
 * events and entries, the block's own in columns of its row. Built from the records, so
 * the file holds exactly the chain it held.
 */
function backToTransactionRows(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE transactions (
      seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, sender TEXT NOT NULL, client_id TEXT NOT NULL,
      valid_until_ms INTEGER NOT NULL, envelope TEXT NOT NULL, result TEXT NOT NULL, signers TEXT NOT NULL,
      events TEXT NOT NULL DEFAULT '{"events":[]}', entries TEXT NOT NULL DEFAULT '[]',
      UNIQUE (sender, client_id));
    ALTER TABLE blocks ADD COLUMN events TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE blocks ADD COLUMN entries TEXT NOT NULL DEFAULT '[]';`);
  const insert = db.prepare('INSERT INTO transactions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const setColumns = db.prepare('UPDATE blocks SET events = ?, entries = ? WHERE height = ?');
  const records = db.prepare<[], { height: number; record: Buffer }>('SELECT height, record FROM blocks').all();
  for (const { height, record } of records) {
    const view = new BlockRecordView(height, record);
    setColumns.run(view.events, view.entries, height);
    [...view.transactions()].forEach((tx, position) => {
      const validUntilMs = (JSON.parse(tx.envelope) as { body: { validUntilMs: number } }).body.validUntilMs;
      insert.run(height * 2 ** 20 + position, tx.hash, tx.sender, tx.id, validUntilMs, tx.envelope, tx.result, tx.signers, tx.events, tx.entries);
    });
  }
  db.exec('ALTER TABLE blocks DROP COLUMN record; PRAGMA user_version = 5;');
  db.close();
}

/** Every block and transaction as the store reads them back, and the events they carry. */
async function chainOf(file: string): Promise<string> {
  const store = new SqliteStore(file, { readonly: true });
  try {
    const blocks: unknown[] = [];
    for await (const block of store.storedBlocks(0, { events: true })) blocks.push(block);
    return JSON.stringify(blocks);
  } finally {
    await store.close();
  }
}

const removeIndex = (file: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${derivedIndexPath(file)}${suffix}`, { force: true });
};

describe('SQLite block log and its derived indexes (history, transactions by hash and id), behind the commit path', () => {
  it('answers a history read right after the receipt, with that receipt\'s entries', async () => {
    const t = await openTestLedger();
    try {
      const store = t.ledger.store as SqliteStore;
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1.00', depositReference: 'D1' }]);
      for (let i = 0; i < 20; i += 1) {
        const receipt = await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '0.01' }]);
        assert.equal(receipt.result.status, 'committed');
        const [line] = await store.accountHistory('globex-usd', { limit: 1 });
        assert.equal(line?.entry.height, receipt.block.header.height, `payment ${i}: the newest line is the receipt's block`);
      }
    } finally {
      await t.close();
    }
  });

  it('is rebuilt from the ledger when its file is deleted', async () => {
    const dir = tempDir();
    try {
      const { file, expected, hash } = await ledgerWithHistory(dir.path);
      assert.ok(existsSync(derivedIndexPath(file)));
      assert.ok(expected['globex-usd']!.length >= 5);
      removeIndex(file);
      assert.deepEqual(await reopened(file), expected);
      const store = new SqliteStore(file);
      try {
        assert.equal((await store.transaction(hash))?.hash, hash, 'found by hash');
        assert.deepEqual((await store.transactionsByHashPrefix(hash.slice(0, 10), 5)).map((tx) => tx.hash), [hash], 'found by a short hash');
        assert.equal(await store.transaction('0'.repeat(64)), null);
      } finally {
        await store.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('is rebuilt when it belongs to another ledger file or runs ahead of its ledger', async () => {
    const a = tempDir();
    const b = tempDir();
    try {
      const first = await ledgerWithHistory(a.path);
      const t = await openTestLedger({ dir: b.path });
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1.00', depositReference: 'B1' }]);
      const store = t.ledger.store as SqliteStore;
      const expected = await histories(store);
      await t.ledger.close();
      const second = join(b.path, 'ledger.sqlite');
      removeIndex(second);
      copyFileSync(derivedIndexPath(first.file), derivedIndexPath(second));
      assert.deepEqual(await reopened(second), expected, 'an index of another ledger is not used');
      // The same ledger restored from an older copy: its index ran ahead.
      const db = new Database(derivedIndexPath(second));
      db.prepare("UPDATE meta SET value = '100000' WHERE key = 'indexed_height'").run();
      db.close();
      assert.deepEqual(await reopened(second), expected, 'an index ahead of its ledger is rebuilt');
    } finally {
      a.remove();
      b.remove();
    }
  });

  it('catches up at start with blocks it had not indexed when the process stopped', async () => {
    const dir = tempDir();
    try {
      const { file, expected } = await ledgerWithHistory(dir.path);
      // As after a crash: the index recorded fewer blocks than the ledger holds (and one it holds again: a redo is harmless).
      const db = new Database(derivedIndexPath(file));
      const height = Number((db.prepare("SELECT value FROM meta WHERE key = 'indexed_height'").get() as { value: string }).value);
      db.prepare('DELETE FROM account_entries WHERE seq >= ?').run((height - 3) * 2 ** 20);
      db.prepare('DELETE FROM transaction_hashes WHERE seq >= ?').run((height - 3) * 2 ** 20);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'indexed_height'").run(String(height - 4));
      db.close();
      assert.deepEqual(await reopened(file), expected);
    } finally {
      dir.remove();
    }
  });

  it('converts a ledger file of transaction rows to the block log, the same chain, found by id and hash', async () => {
    const dir = tempDir();
    try {
      const { file, expected, hash } = await ledgerWithHistory(dir.path);
      const chain = await chainOf(file);
      backToTransactionRows(file);
      removeIndex(file);
      assert.deepEqual(await reopened(file), expected);
      assert.equal(await chainOf(file), chain);
      const store = new SqliteStore(file);
      try {
        const found = await store.transaction(hash);
        assert.equal(found?.hash, hash);
        assert.equal((await store.transactionById(found!.envelope.body.sender, found!.envelope.body.id))?.hash, hash);
      } finally {
        await store.close();
      }
      const db = new Database(file, { readonly: true });
      assert.equal(db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'transactions'").get()?.n, 0);
      db.close();
      assert.equal((await verifyDataFile(file)).ok, true);
    } finally {
      dir.remove();
    }
  });

  it('migrates a ledger file that kept its history in an account_entries table', async () => {
    const dir = tempDir();
    try {
      const { file, expected } = await ledgerWithHistory(dir.path);
      backToTransactionRows(file);
      // Back to the layout before that: entries as rows of the ledger file, no columns, no index file.
      const db = new Database(file);
      db.exec(`
        CREATE TABLE account_entries (
          account TEXT NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL, available_after TEXT NOT NULL, held_after TEXT NOT NULL,
          PRIMARY KEY (account, seq, n)) WITHOUT ROWID;
        INSERT INTO account_entries SELECT e.value ->> 1, t.seq + 1, e.value ->> 0, e.value ->> 2, e.value ->> 3 FROM transactions t, json_each(t.entries) e;
        INSERT INTO account_entries SELECT e.value ->> 1, b.height * ${2 ** 20}, e.value ->> 0, e.value ->> 2, e.value ->> 3 FROM blocks b, json_each(b.entries) e;
        ALTER TABLE transactions DROP COLUMN entries;
        ALTER TABLE blocks DROP COLUMN entries;
        PRAGMA user_version = 3;`);
      const rows = (db.prepare('SELECT count(*) AS n FROM account_entries').get() as { n: number }).n;
      db.close();
      assert.ok(rows > 10);
      removeIndex(file);
      assert.deepEqual(await reopened(file), expected);
      const migrated = new Database(file, { readonly: true });
      assert.equal(migrated.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'account_entries'").get()?.n, 0);
      migrated.close();
    } finally {
      dir.remove();
    }
  });
});
