import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { verifyNode } from '../../src/cli/verify.js';
import { buildApp } from '../../src/node/api/app.js';
import { Ledger } from '../../src/node/ledger.js';
import { StateDamageError } from '../../src/node/state-load.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { derivedIndexPath } from '../../src/store/derived-index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { editStoredTransactions, openTestLedger, signerOf, tempDir, type TestLedger } from '../helpers.js';

/** A stopped ledger with some history: 1,000,000.00 minted to acme, payments to globex and initech. */
async function stoppedLedger(options: { finalSnapshot: boolean }): Promise<{ dir: ReturnType<typeof tempDir>; t: TestLedger; file: string }> {
  const dir = tempDir();
  // The clock stands still, so block times advance 1 ms a block: the engine's snapshot (every 100 ms of block time) cannot fall on the last block however slow the machine.
  const frozenMs = Date.now();
  const t = await openTestLedger({ dir: dir.path, clock: () => frozenMs });
  await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000000.00', depositReference: 'DEP-INT' }]);
  await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '250000.00' }]);
  await t.submit('globex', [{ type: 'transfer', from: 'globex-usd', to: 'initech-usd', amount: '1000.00' }]);
  if (options.finalSnapshot) await t.ledger.close();
  else {
    // As after kill -9: no snapshot at the head, the last blocks are replayed at start.
    await t.ledger.sequencer.stop();
    await t.ledger.store.close();
  }
  return { dir, t, file: join(dir.path, 'ledger.sqlite') };
}

const reopen = (t: TestLedger, file: string) => Ledger.open({ store: new SqliteStore(file), genesis: t.network.genesis, validators: [t.network.validator] });

function edit(file: string, sql: string, ...values: unknown[]): void {
  const db = new Database(file);
  try {
    // An edit that matches nothing would let the test pass without testing anything.
    assert.ok(db.prepare(sql).run(...values).changes > 0, `the edit changed no row: ${sql}`);
  } finally {
    db.close();
  }
}

describe('a node only serves the state its validators signed', () => {
  it('refuses a snapshot with an inflated balance, naming the account', async () => {
    const { dir, t, file } = await stoppedLedger({ finalSnapshot: true });
    try {
      edit(file, "UPDATE state SET body = replace(body, '\"availableMinor\":\"75000000\"', '\"availableMinor\":\"175000000\"') WHERE kind = 'accounts' AND id = 'acme-usd'");
      await assert.rejects(reopen(t, file), (error: unknown) => error instanceof StateDamageError && error.entity === 'accounts/acme-usd' && /differs from replay/.test(error.message));
    } finally {
      dir.remove();
    }
  });

  it('refuses a snapshot where an amount moved between two accounts (every total kept), naming one', async () => {
    const { dir, t, file } = await stoppedLedger({ finalSnapshot: true });
    try {
      edit(file, "UPDATE state SET body = replace(body, '\"availableMinor\":\"75000000\"', '\"availableMinor\":\"25000000\"') WHERE kind = 'accounts' AND id = 'acme-usd'");
      edit(file, "UPDATE state SET body = replace(body, '\"availableMinor\":\"24900000\"', '\"availableMinor\":\"74900000\"') WHERE kind = 'accounts' AND id = 'globex-usd'");
      await assert.rejects(reopen(t, file), (error: unknown) => error instanceof StateDamageError && /accounts\/(acme|globex)-usd/.test(error.entity ?? ''));
    } finally {
      dir.remove();
    }
  });

  it('refuses a snapshot recorded under another height, saying which block its rows belong to', async () => {
    const { dir, t, file } = await stoppedLedger({ finalSnapshot: true });
    try {
      const db = new Database(file);
      const height = Number((db.prepare("SELECT value FROM meta WHERE key = 'state_height'").get() as { value: string }).value);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'state_height'").run(String(height - 2));
      db.close();
      await assert.rejects(reopen(t, file), (error: unknown) => error instanceof StateDamageError && error.message.includes(`its rows are the state after block ${height}`));
    } finally {
      dir.remove();
    }
  });

  it('refuses, at restart, blocks whose stored signers are not the ones the block committed to', async () => {
    const { dir, t, file } = await stoppedLedger({ finalSnapshot: false });
    try {
      const db = new Database(file);
      const snapshotHeight = Number((db.prepare("SELECT value FROM meta WHERE key = 'state_height'").get() as { value: string } | undefined)?.value ?? 0);
      const lastHeight = (db.prepare('SELECT max(height) AS height FROM blocks').get() as { height: number }).height;
      db.close();
      assert.ok(lastHeight > snapshotHeight, 'the last block is after the snapshot, so a restart replays it');
      const edited = editStoredTransactions(file, (tx, height, position) => (height === lastHeight && position === 0 ? { ...tx, signers: JSON.stringify(['globex', 'operator']) } : tx));
      assert.equal(edited, 1);
      await assert.rejects(reopen(t, file), /results or signers do not match its result root/);
    } finally {
      dir.remove();
    }
  });

  it('never shows a client a forged line of its history, and still shows the real ones', async () => {
    const { dir, t, file } = await stoppedLedger({ finalSnapshot: true });
    try {
      // A line under initech's account pointing at acme's payment to globex (the transfer's first event), in the
      // entries column the history index is rebuilt from (its file removed, so it is).
      const forged = editStoredTransactions(file, (tx) => (tx.events.includes('"type":"transferred"') && tx.events.includes('acme-usd')
        ? { ...tx, entries: JSON.stringify([...(JSON.parse(tx.entries) as unknown[]), [0, 'initech-usd', '0', '0']]) } : tx));
      assert.ok(forged > 0);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${derivedIndexPath(file)}${suffix}`, { force: true });
      const ledger = await reopen(t, file);
      try {
        const initech = { participant: ledger.state.participants.get('initech')!, seesAll: false };
        const page = await ledger.queries.history(initech, 'initech-usd', { limit: 50 });
        assert.deepEqual(page.data.map((line) => line.type), ['transferred', 'account_opened'], 'only the payment from globex and the opening');
        assert.equal(page.data[0]?.counterparty, 'globex-usd');
      } finally {
        await ledger.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('online verify compares what the node serves with the replay, not only the supply', async () => {
    const dir = tempDir();
    const t = await openTestLedger({ dir: dir.path });
    const app = await buildApp({ ledger: t.ledger });
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '500.00', depositReference: 'DEP-ONLINE' }]);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
      const auditor = new DepositumClient({ url, signer: signerOf(t.network, 'auditor') });
      assert.equal((await verifyNode(auditor)).stateProblem, null);
      // The node's memory diverges from its chain (every total kept): an amount moves between two accounts.
      const { accounts } = t.ledger.state;
      accounts.set('acme-usd', { ...accounts.get('acme-usd')!, availableMinor: accounts.get('acme-usd')!.availableMinor - 10_000n });
      accounts.set('globex-usd', { ...accounts.get('globex-usd')!, availableMinor: accounts.get('globex-usd')!.availableMinor + 10_000n });
      const outcome = await verifyNode(auditor);
      assert.equal(outcome.ok, false);
      assert.match(outcome.stateProblem ?? '', /acme-usd/);
    } finally {
      await app.close();
      await t.close();
      dir.remove();
    }
  });
});
