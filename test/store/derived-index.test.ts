import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { formatPosition } from '../../src/chain/index.js';
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

const removeIndex = (file: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${derivedIndexPath(file)}${suffix}`, { force: true });
};

describe('SQLite derived indexes (history, transactions by hash), behind the commit path', () => {
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

  it('migrates a ledger file that kept its history in an account_entries table', async () => {
    const dir = tempDir();
    try {
      const { file, expected } = await ledgerWithHistory(dir.path);
      // Back to the previous layout: entries as rows of the ledger file, no columns, no index file.
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
